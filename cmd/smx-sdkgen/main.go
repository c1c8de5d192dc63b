// Command smx-sdkgen writes schema.json and the four language SDKs from the
// provider itself, in-process.
//
// `pulumi package gen-sdk` needs the language hosts (pulumi-language-nodejs,
// -python, -go, -dotnet), separate downloads that a machine without network
// access (a locked-down CI runner, for one) cannot fetch, so this tool calls
// the same code generators as libraries instead. It is the only
// writer of schema.json and sdk/: run it through `make generate`.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/smxlabs/pulumi-smx/provider"
)

//go:embed logo.png
var logo []byte

const tool = "smx-sdkgen"

// goSDKModule is sdk/go.mod. The SDK only needs the Pulumi Go SDK; `make
// generate` runs `go mod tidy` after this tool to write sdk/go.sum.
const goSDKModule = `module github.com/smxlabs/pulumi-smx/sdk

go 1.26.8

require github.com/pulumi/pulumi/sdk/v3 v3.274.1
`

func main() {
	root := flag.String("out", ".", "repository root: schema.json and sdk/ are written below it")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}

func run(root string) error {
	spec, raw, err := providerSchema()
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(root, "schema.json"), raw); err != nil {
		return err
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding the schema: %w", diags)
	}

	sdks := []struct {
		dir      string
		generate func() (map[string][]byte, error)
	}{
		{"nodejs", func() (map[string][]byte, error) {
			return nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
		}},
		{"python", func() (map[string][]byte, error) {
			return pythongen.GeneratePackage(tool, pkg, nil, noReferences{})
		}},
		// The Go generator writes paths below the root package, smx.
		{"go/smx", func() (map[string][]byte, error) {
			return gogen.GeneratePackage(tool, pkg, nil)
		}},
		{"dotnet", func() (map[string][]byte, error) {
			return withLocalLogo(func() (map[string][]byte, error) {
				return dotnetgen.GeneratePackage(tool, pkg, nil, nil)
			})
		}},
	}
	for _, sdk := range sdks {
		files, err := sdk.generate()
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", sdk.dir, err)
		}
		dir := filepath.Join(root, "sdk", sdk.dir)
		if err := removeGenerated(dir); err != nil {
			return err
		}
		for name, content := range files {
			if err := writeFile(filepath.Join(dir, name), content); err != nil {
				return err
			}
		}
	}
	if err := writeFile(filepath.Join(root, "sdk", "go.mod"), []byte(goSDKModule)); err != nil {
		return err
	}
	return writeYAMLPackageDeclarations(root)
}

// yamlPackageDeclaration is what `pulumi package add` writes for a Pulumi
// YAML project: pulumi-language-yaml reads every such file below the project
// folder and tells the engine which plugin version the program needs and
// where to download it, as the other languages' SDKs do.
func yamlPackageDeclaration() []byte {
	return []byte(fmt.Sprintf("packageDeclarationVersion: 1\nname: %s\nversion: %s\ndownloadUrl: %s\n",
		provider.Name, provider.Version, provider.PluginDownloadURL))
}

// writeYAMLPackageDeclarations gives every YAML example its package
// declaration, sdks/smx.yaml, so that `pulumi up` in its folder installs the
// plugin by itself.
func writeYAMLPackageDeclarations(root string) error {
	projects, err := filepath.Glob(filepath.Join(root, "examples", "*", "Pulumi.yaml"))
	if err != nil {
		return err
	}
	for _, project := range projects {
		content, err := os.ReadFile(project) //nolint:gosec // the repository's own examples, found by the glob above
		if err != nil {
			return err
		}
		if !strings.Contains(string(content), "\nruntime: yaml\n") {
			continue
		}
		if err := writeFile(filepath.Join(filepath.Dir(project), "sdks", provider.Name+".yaml"), yamlPackageDeclaration()); err != nil {
			return err
		}
	}
	return nil
}

// providerSchema asks the provider for its schema exactly as the engine
// would, through pulumi-go-provider's in-process server.
func providerSchema() (schema.PackageSpec, []byte, error) {
	smx, err := provider.New()
	if err != nil {
		return schema.PackageSpec{}, nil, err
	}
	server, err := integration.NewServer(context.Background(), provider.Name,
		semver.MustParse(provider.Version), integration.WithProvider(smx))
	if err != nil {
		return schema.PackageSpec{}, nil, err
	}
	resp, err := server.GetSchema(p.GetSchemaRequest{})
	if err != nil {
		return schema.PackageSpec{}, nil, fmt.Errorf("getting the schema: %w", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
		return schema.PackageSpec{}, nil, fmt.Errorf("decoding the schema: %w", err)
	}
	spec.Version = provider.Version
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetIndent("", "  ")
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(spec); err != nil {
		return schema.PackageSpec{}, nil, err
	}
	return spec, out.Bytes(), nil
}

// withLocalLogo runs the C# generator, which downloads the package logo with
// http.Get, with the logo served from this binary instead of the network.
func withLocalLogo(generate func() (map[string][]byte, error)) (map[string][]byte, error) {
	saved := http.DefaultTransport
	http.DefaultTransport = logoTransport{}
	defer func() { http.DefaultTransport = saved }()
	return generate()
}

type logoTransport struct{}

func (logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.String() != provider.LogoURL {
		return nil, fmt.Errorf("smx-sdkgen makes no network calls; unexpected request for %s", req.URL)
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Status:     "200 OK",
		Header:     http.Header{"Content-Type": []string{"image/png"}},
		Body:       io.NopCloser(bytes.NewReader(logo)),
		Request:    req,
	}, nil
}

// buildOutputs are the ignored things that building an SDK leaves in its
// folder; regenerating keeps them so that a build stays usable.
var buildOutputs = map[string]bool{"bin": true, "node_modules": true, "package-lock.json": true, "build": true}

// removeGenerated empties dir of everything but build outputs, so files the
// generator no longer writes do not linger.
func removeGenerated(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, entry := range entries {
		if buildOutputs[entry.Name()] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, entry.Name())); err != nil {
			return err
		}
	}
	return nil
}

// noReferences is the schema loader for a package that refers to no other
// package: smx's schema is self-contained, so any lookup is a bug.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the smx schema must not refer to package %q", name)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the smx schema must not refer to package %q", d.Name)
}

func (noReferences) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the smx schema must not refer to package %q", name)
}

func (noReferences) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the smx schema must not refer to package %q", d.Name)
}

func writeFile(path string, content []byte) error {
	// schema.json and sdk/ are committed sources, readable by everyone.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // committed source folders
		return err
	}
	if !strings.HasSuffix(path, ".png") && len(content) > 0 && content[len(content)-1] != '\n' {
		content = append(content, '\n')
	}
	return os.WriteFile(path, content, 0o644) //nolint:gosec // committed source files
}
