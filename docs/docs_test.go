// Package docs holds smx's pages for the Pulumi Registry: _index.md (the
// overview, with the example program in every language) and
// installation-configuration.md (installing, and every smx: setting). The
// Registry reads both from the release tag. This test keeps them from
// drifting: the code of the overview is the repository's examples, byte for
// byte, and the settings table is the provider's configuration, key for key.
package docs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

const (
	indexPage   = "_index.md"
	installPage = "installation-configuration.md"
	// root is the repository, seen from this package's folder.
	root = ".."
)

// exampleTabs says which example files each language tab of the overview's
// chooser shows, in order, and the fence's language. The examples are the
// source: the end-to-end tests run them, so the page copies them.
var exampleTabs = []struct {
	language string
	files    []string
}{
	{"typescript", []string{"examples/ts/index.ts"}},
	{"python", []string{"examples/py/__main__.py"}},
	{"go", []string{"examples/go/main.go"}},
	{"csharp", []string{"examples/cs/MyStack.cs", "examples/cs/Program.cs"}},
	{"yaml", []string{"examples/yaml/Pulumi.yaml"}},
}

// crossAccountExample is the cross-account replication program in each
// language, which the README's and the registry's CrossAccountReplication
// docs show: one block per language, fenced with it, holding the file.
var crossAccountExample = []struct {
	language string
	file     string
}{
	{"typescript", "examples/ts-cross-account/index.ts"},
	{"python", "examples/py-cross-account/__main__.py"},
	{"go", "examples/go-cross-account/main.go"},
	{"csharp", "examples/cs-cross-account/Program.cs"},
	{"yaml", "examples/yaml-cross-account/Pulumi.yaml"},
}

// crossAccountPages are where the cross-account program is shown: the
// resource's registry docs (its schema description, whose blocks each SDK
// filters to its own language) and the README's section on the resource.
var crossAccountPages = []struct {
	path    string // from the repository's root
	section string // the heading whose section shows it; "" for the whole page
}{
	{"provider/secretsmanager/docs/cross_account_replication.md", ""},
	{"README.md", "### Cross-account replication: `smx:secretsmanager:CrossAccountReplication`"},
}

func TestFrontMatter(t *testing.T) {
	for page, layout := range map[string]string{indexPage: "package", installPage: "installation"} {
		fields := frontMatter(t, page)
		if fields["layout"] != layout {
			t.Errorf("docs/%s: the Registry needs `layout: %s` in the front matter, got %q", page, layout, fields["layout"])
		}
		for _, field := range []string{"title", "meta_desc"} {
			if fields[field] == "" {
				t.Errorf("docs/%s: the front matter needs a %s", page, field)
			}
		}
	}
}

// TestOverviewShowsTheExamples checks that each tab of the chooser in
// _index.md holds exactly the example files of its language.
func TestOverviewShowsTheExamples(t *testing.T) {
	tabs := chooserTabs(t, readDoc(t, indexPage))
	var languages []string
	for _, tab := range exampleTabs {
		languages = append(languages, tab.language)
	}
	if got := strings.Join(tabs.languages, ","); got != strings.Join(languages, ",") {
		t.Errorf("docs/%s: the chooser offers %q; it should offer %q, one tab per example",
			indexPage, got, strings.Join(languages, ","))
	}
	for _, tab := range exampleTabs {
		blocks, ok := tabs.blocks[tab.language]
		if !ok {
			t.Errorf("docs/%s: the chooser has no {{%% choosable language %s %%}} tab; add one holding %s",
				indexPage, tab.language, strings.Join(tab.files, " and "))
			continue
		}
		if len(blocks) != len(tab.files) {
			t.Errorf("docs/%s: the %s tab has %d code blocks; it should have %d, holding %s in that order",
				indexPage, tab.language, len(blocks), len(tab.files), strings.Join(tab.files, " and "))
			continue
		}
		for i, file := range tab.files {
			want := readRepoFile(t, file)
			if strings.Contains(want, "```") {
				t.Fatalf("%s contains a code fence (```), which a Markdown code block cannot hold", file)
			}
			block := blocks[i]
			if block.info != tab.language {
				t.Errorf("docs/%s: the %s tab's block %d is fenced as %q; fence it as ```%s",
					indexPage, tab.language, i+1, block.info, tab.language)
			}
			if block.text != want {
				t.Errorf("docs/%s: the %s tab's block %d is not %s (line %d of the page): "+
					"the example is the source, as the tests run it, so copy %s into the block.\n%s",
					indexPage, tab.language, i+1, file, block.line, file, firstDifference(block.text, want))
			}
		}
	}
	for language := range tabs.blocks {
		if !slices.Contains(languages, language) {
			t.Errorf("docs/%s: the %s tab shows no example of the repository; remove it, or add the example to exampleTabs in docs/docs_test.go",
				indexPage, language)
		}
	}
}

// TestCrossAccountDocsShowTheExamples checks that each page showing the
// cross-account program shows it in every language, each block the example
// file byte for byte, and no other program in those languages.
func TestCrossAccountDocsShowTheExamples(t *testing.T) {
	for _, page := range crossAccountPages {
		text := strings.ReplaceAll(readRepoFile(t, page.path), "\r\n", "\n")
		if page.section != "" {
			text = section(t, page.path, text, page.section)
		}
		blocks := map[string][]codeBlock{}
		for _, block := range fencedBlocks(text) {
			blocks[block.info] = append(blocks[block.info], block)
		}
		for _, example := range crossAccountExample {
			want := readRepoFile(t, example.file)
			if strings.Contains(want, "```") {
				t.Fatalf("%s contains a code fence (```), which a Markdown code block cannot hold", example.file)
			}
			shown := blocks[example.language]
			if len(shown) != 1 {
				t.Errorf("%s has %d ```%s blocks; it should have one, holding %s", page.path, len(shown), example.language, example.file)
				continue
			}
			if shown[0].text != want {
				t.Errorf("%s: the ```%s block (line %d of the section) is not %s: the example is the source, "+
					"as the tests check it, so copy %s into the block.\n%s",
					page.path, example.language, shown[0].line, example.file, example.file, firstDifference(shown[0].text, want))
			}
		}
	}
}

// section is the part of a Markdown page from a heading to the next heading
// of the same or a higher level (a line of a code block, such as a Python
// comment, is no heading).
func section(t *testing.T, path, page, heading string) string {
	t.Helper()
	level := strings.Index(heading, " ")
	lines := strings.Split(page, "\n")
	for i, line := range lines {
		if line != heading {
			continue
		}
		end, inCode := len(lines), false
		for j := i + 1; j < len(lines) && end == len(lines); j++ {
			if strings.HasPrefix(strings.TrimLeft(lines[j], " "), "```") {
				inCode = !inCode
			}
			marks := strings.Index(lines[j], " ")
			if !inCode && marks > 0 && marks <= level && strings.Trim(lines[j][:marks], "#") == "" {
				end = j
			}
		}
		return strings.Join(lines[i:end], "\n")
	}
	t.Fatalf("%s has no heading %q", path, heading)
	return ""
}

// TestYAMLPackageDeclaration checks that the declaration the installation
// page tells YAML users to write is the one `make generate` writes for the
// YAML example, and that every plugin download location the pages name is
// the schema's.
func TestYAMLPackageDeclaration(t *testing.T) {
	const declaration = "examples/yaml/sdks/smx.yaml"
	want := readRepoFile(t, declaration)
	var found bool
	for _, block := range fencedBlocks(readDoc(t, installPage)) {
		if !strings.HasPrefix(block.text, "packageDeclarationVersion:") {
			continue
		}
		found = true
		if block.text != want {
			t.Errorf("docs/%s, line %d: the YAML package declaration is not %s, which `make generate` writes from the provider's version and download URL: copy %s into the block.\n%s",
				installPage, block.line, declaration, declaration, firstDifference(block.text, want))
		}
	}
	if !found {
		t.Errorf("docs/%s shows no YAML package declaration (a code block starting with packageDeclarationVersion:); add %s", installPage, declaration)
	}

	downloadURL := readSchema(t).PluginDownloadURL
	if downloadURL == "" {
		t.Fatal("schema.json has no pluginDownloadURL")
	}
	for _, page := range []string{indexPage, installPage} {
		for _, url := range pluginURL.FindAllString(readDoc(t, page), -1) {
			if url != downloadURL {
				t.Errorf("docs/%s names the plugin download URL %s, but the schema's pluginDownloadURL (provider/languages.go) is %s: update docs/%s",
					page, url, downloadURL, page)
			}
		}
	}
	if install := "--server " + downloadURL; !strings.Contains(readDoc(t, installPage), install) {
		t.Errorf("docs/%s: the `pulumi plugin install resource smx` command should name %q, the schema's pluginDownloadURL", installPage, install)
	}
}

// TestSettingsTable checks the table of installation-configuration.md
// against the provider's configuration as the schema publishes it (written
// from provider/config by `make generate`; `make check-generated` proves it
// current): one row per setting, no row for a setting the provider lacks,
// secret settings marked "(secret)", and every environment variable the
// provider's own description of a setting names shown in its row.
func TestSettingsTable(t *testing.T) {
	settings := readSchema(t).Config.Variables
	if len(settings) == 0 {
		t.Fatal("schema.json's config has no variables: run `make generate`")
	}
	rows := settingRows(t, readDoc(t, installPage))
	for _, key := range sortedKeys(settings) {
		setting := settings[key]
		row, ok := rows[key]
		if !ok {
			t.Errorf("smx:%s is a setting of the provider (provider/config, schema.json's config) but docs/%s's table has no row for it: add a row starting with `smx:%s`",
				key, installPage, key)
			continue
		}
		if row.secret != setting.Secret {
			t.Errorf("docs/%s, line %d: smx:%s is secret=%v in the provider, but its row says secret=%v: the first cell of a secret setting reads \"`smx:%s` (secret)\"",
				installPage, row.line, key, setting.Secret, row.secret, key)
		}
		for _, match := range regexp.MustCompile("`(AWS_[A-Z0-9_]+)`").FindAllStringSubmatch(setting.Description, -1) {
			if !strings.Contains(row.text, "`"+match[1]+"`") {
				t.Errorf("docs/%s, line %d: the provider falls back to %s for smx:%s (its description in provider/config says so), but the row does not name it: add `%s` to the row",
					installPage, row.line, match[1], key, match[1])
			}
		}
	}
	for key, row := range rows {
		if _, ok := settings[key]; !ok {
			t.Errorf("docs/%s, line %d: the table documents smx:%s, which is not a setting of the provider (provider/config, schema.json's config): remove or rename the row",
				installPage, row.line, key)
		}
	}

	// Any smx:<name> in the prose is a setting too; smx:<module>:<type>
	// tokens are not.
	mention := regexp.MustCompile(`smx:([A-Za-z][A-Za-z0-9]*)(:?)`)
	for _, page := range []string{indexPage, installPage} {
		for i, line := range strings.Split(readDoc(t, page), "\n") {
			for _, match := range mention.FindAllStringSubmatch(line, -1) {
				if match[2] == ":" {
					continue
				}
				if _, ok := settings[match[1]]; !ok {
					t.Errorf("docs/%s, line %d: smx:%s is not a setting of the provider (provider/config, schema.json's config): fix docs/%s",
						page, i+1, match[1], page)
				}
			}
		}
	}
}

type schemaFile struct {
	PluginDownloadURL string `json:"pluginDownloadURL"`
	Config            struct {
		Variables map[string]struct {
			Description string `json:"description"`
			Secret      bool   `json:"secret"`
		} `json:"variables"`
	} `json:"config"`
}

func readSchema(t *testing.T) schemaFile {
	t.Helper()
	var schema schemaFile
	if err := json.Unmarshal([]byte(readRepoFile(t, "schema.json")), &schema); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	return schema
}

func readDoc(t *testing.T, page string) string {
	t.Helper()
	content, err := os.ReadFile(page)
	if err != nil {
		t.Fatalf("docs/%s: %v", page, err)
	}
	return strings.ReplaceAll(string(content), "\r\n", "\n")
}

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return string(content)
}

// frontMatter reads the `key: value` lines between the page's opening ---
// lines (comments and quotes aside, which the pages do not use).
func frontMatter(t *testing.T, page string) map[string]string {
	t.Helper()
	lines := strings.Split(readDoc(t, page), "\n")
	if len(lines) == 0 || lines[0] != "---" {
		t.Fatalf("docs/%s must start with a front matter block (---)", page)
	}
	fields := map[string]string{}
	for _, line := range lines[1:] {
		if line == "---" {
			return fields
		}
		if key, value, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(key, "#") {
			fields[strings.TrimSpace(key)] = strings.TrimSpace(value)
		}
	}
	t.Fatalf("docs/%s: the front matter block is not closed (---)", page)
	return nil
}

type codeBlock struct {
	info string // the fence's language
	text string // the content, ending in a newline
	line int    // the line of the opening fence, from 1
}

// fencedBlocks are the page's ``` code blocks. A block indented under a
// list item loses its fence's indentation from every line.
func fencedBlocks(page string) []codeBlock {
	var blocks []codeBlock
	var current *codeBlock
	var indent string
	var body strings.Builder
	for i, line := range strings.Split(page, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if current == nil {
			if strings.HasPrefix(trimmed, "```") {
				current = &codeBlock{info: strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), line: i + 1}
				indent = line[:len(line)-len(trimmed)]
				body.Reset()
			}
			continue
		}
		if trimmed == "```" {
			current.text = body.String()
			blocks = append(blocks, *current)
			current = nil
			continue
		}
		body.WriteString(strings.TrimPrefix(line, indent))
		body.WriteString("\n")
	}
	return blocks
}

type chooser struct {
	languages []string
	blocks    map[string][]codeBlock // by the choosable's language
}

var (
	chooserOpen     = regexp.MustCompile(`^\{\{< chooser language "([^"]*)" >\}\}$`)
	chooserClose    = regexp.MustCompile(`^\{\{< /chooser >\}\}$`)
	choosableOpen   = regexp.MustCompile(`^\{\{% choosable language "?([a-z,]+)"? %\}\}$`)
	choosableClose  = regexp.MustCompile(`^\{\{% /choosable %\}\}$`)
	settingRowFirst = regexp.MustCompile("^`smx:([A-Za-z][A-Za-z0-9]*)`( \\(secret\\))?$")
	// pluginURL is a github:// download location, up to the space, quote,
	// backtick or parenthesis that ends it.
	pluginURL = regexp.MustCompile("github://[^\\s\"'`)]+")
)

// chooserTabs reads the page's one language chooser: its languages and the
// code blocks of each of its choosable tabs.
func chooserTabs(t *testing.T, page string) chooser {
	t.Helper()
	lines := strings.Split(page, "\n")
	var found []chooser
	for i := 0; i < len(lines); i++ {
		m := chooserOpen.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		c := chooser{languages: strings.Split(m[1], ","), blocks: map[string][]codeBlock{}}
		start := i
		for i++; i < len(lines) && !chooserClose.MatchString(lines[i]); i++ {
			tab := choosableOpen.FindStringSubmatch(lines[i])
			if tab == nil {
				continue
			}
			if _, dup := c.blocks[tab[1]]; dup {
				t.Errorf("docs/%s, line %d: a second %s tab in the chooser", indexPage, i+1, tab[1])
			}
			tabStart := i
			i++
			for i < len(lines) && !choosableClose.MatchString(lines[i]) {
				i++
			}
			if i == len(lines) {
				t.Fatalf("docs/%s, line %d: the %s tab is not closed with {{%% /choosable %%}}", indexPage, tabStart+1, tab[1])
			}
			blocks := fencedBlocks(strings.Join(lines[tabStart+1:i], "\n"))
			for j := range blocks {
				blocks[j].line += tabStart + 1
			}
			c.blocks[tab[1]] = blocks
		}
		if i == len(lines) {
			t.Fatalf("docs/%s, line %d: the chooser is not closed with {{< /chooser >}}", indexPage, start+1)
		}
		found = append(found, c)
	}
	if len(found) != 1 {
		t.Fatalf("docs/%s has %d language choosers; it should have one, showing the examples", indexPage, len(found))
	}
	return found[0]
}

type settingRow struct {
	secret bool
	text   string
	line   int
}

// settingRows are the table rows whose first cell is a setting, `smx:<key>`,
// followed by " (secret)" for a secret one.
func settingRows(t *testing.T, page string) map[string]settingRow {
	t.Helper()
	rows := map[string]settingRow{}
	for i, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		m := settingRowFirst.FindStringSubmatch(strings.TrimSpace(cells[0]))
		if m == nil {
			continue
		}
		if previous, dup := rows[m[1]]; dup {
			t.Errorf("docs/%s, line %d: a second row for smx:%s (the first is line %d)", installPage, i+1, m[1], previous.line)
		}
		rows[m[1]] = settingRow{secret: m[2] != "", text: line, line: i + 1}
	}
	return rows
}

// firstDifference shows where two texts part, line by line.
func firstDifference(got, want string) string {
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(gotLines), len(wantLines)); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w || i >= len(gotLines) || i >= len(wantLines) {
			return fmt.Sprintf("first difference at line %d of the block:\n  page:    %q\n  example: %q", i+1, g, w)
		}
	}
	return "the texts differ only in line endings"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
