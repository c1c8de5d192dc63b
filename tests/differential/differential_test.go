// Package differential runs the same Secrets Manager call sequences against
// moto and against the served fake (internal/fakesm, served over the wire),
// and compares their answers. Every difference is either a moto deviation
// listed in deviations_test.go — with the line of the AWS API reference that says
// moto is wrong, and in CONTRIBUTING.md's "Where moto differs from AWS" — or
// a bug of the fake, to be fixed there. A difference that is neither fails
// the suite, and so does a listed deviation that no longer occurs.
//
// The calls are raw AWS JSON 1.1 requests, not SDK calls, so that a sequence
// can send what no SDK would (a member of the wrong type).
package differential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// motoAccount is the account moto plays for any access key.
const motoAccount = "123456789012"

// A sequence is calls made in order against a fresh service.
type sequence struct {
	name  string
	steps []step
}

// A step is one call: the operation and its JSON input.
type step struct {
	op   string
	body string
}

// M is a call's input, marshalled as its JSON body.
type M = map[string]any

func call(op string, input M) step {
	body, err := json.Marshal(input)
	if err != nil {
		panic(err)
	}
	return step{op: op, body: string(body)}
}

// rawCall is a call whose body is sent as written, e.g. with a member of the
// wrong type.
func rawCall(op, body string) step { return step{op: op, body: body} }

// token is the n-th ClientRequestToken (so version ID) of a sequence.
func token(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// answer is one service's answer to a step, normalized (normalize).
type answer struct {
	status int
	body   any
}

// A difference is where the two answers to one step differ.
type difference struct {
	sequence string
	step     int    // 1-based
	op       string // the step's operation
	path     string // the member that differs, e.g. ".Tags[0].Value"; "" for the status, bodyPath for the whole body
	moto     string
	fake     string
}

func (d difference) String() string {
	return fmt.Sprintf("%s step %d (%s) %s: moto %s, fake %s", d.sequence, d.step, d.op, d.displayPath(), d.moto, d.fake)
}

func (d difference) displayPath() string {
	if d.path == "" {
		return "status"
	}
	return d.path
}

func TestDifferential(t *testing.T) {
	server := moto.Start(t) // skips under -short
	var found []difference
	seen := map[string]bool{}
	for _, seq := range sequences {
		t.Run(seq.name, func(t *testing.T) {
			require.NoError(t, server.Reset(t.Context()))
			fake := fakesm.Serve(t, fakesm.NewCloud(nil), map[string]string{moto.AccessKeyID: motoAccount})
			motoIDs, fakeIDs := newIdentities(), newIdentities()
			for i, s := range seq.steps {
				m := send(t, server.Endpoint, s, motoIDs)
				f := send(t, fake.Endpoint, s, fakeIDs)
				if i == 0 && seq.name != "bad input" && (m.status != http.StatusOK || f.status != http.StatusOK) {
					// A sequence that cannot make its first secret compares
					// nothing but two failures.
					t.Fatalf("the first call failed: moto %d %v, fake %d %v", m.status, m.body, f.status, f.body)
				}
				for _, d := range compare(seq.name, i+1, s.op, m, f) {
					found = append(found, d)
					if dev, ok := expected(d); ok {
						seen[dev.name] = true
						t.Logf("listed %q: %s", dev.name, d)
						continue
					}
					t.Errorf("unexplained difference: %s", d)
				}
			}
		})
	}
	for _, dev := range slices.Concat(deviations, unsettled) {
		if !seen[dev.name] {
			t.Errorf("listed moto deviation %q did not occur: moto may have been fixed; remove it from deviations_test.go and CONTRIBUTING.md", dev.name)
		}
	}
	t.Logf("%d sequences, %d steps, %d differences: explained by %d listed moto deviations and %d unsettled ones",
		len(sequences), countSteps(), len(found), len(deviations), len(unsettled))
}

func countSteps() int {
	n := 0
	for _, s := range sequences {
		n += len(s.steps)
	}
	return n
}

// send makes one call and normalizes its answer.
func send(t *testing.T, endpoint string, s step, ids *identities) answer {
	t.Helper()
	// A page's token and a secret's ARN are the service's own: each service
	// is sent the one it answered last.
	body := s.body
	for placeholder, value := range map[string]string{lastNextToken: ids.nextToken, lastARN: ids.arn} {
		if value == "" {
			continue
		}
		quoted, err := json.Marshal(value)
		require.NoError(t, err)
		body = strings.ReplaceAll(body, `"`+placeholder+`"`, string(quoted))
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "secretsmanager."+s.op)
	// Unsigned: neither moto (without IAM enforcement) nor the served fake
	// checks signatures; both read the key and the region.
	req.Header.Set("Authorization", fmt.Sprintf(
		"AWS4-HMAC-SHA256 Credential=%s/20260101/%s/secretsmanager/aws4_request, SignedHeaders=host, Signature=0",
		moto.AccessKeyID, moto.Region))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var answered any
	if len(bytes.TrimSpace(raw)) > 0 {
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.UseNumber()
		if err := decoder.Decode(&answered); err != nil {
			answered = "<not JSON: " + string(raw) + ">"
		}
	}
	if object, ok := answered.(map[string]any); ok {
		if token, ok := object["NextToken"].(string); ok && token != "" {
			ids.nextToken = token
		}
		if arn, ok := object["ARN"].(string); ok && secretARN.MatchString(arn) {
			ids.arn = arn
		}
	}
	return answer{status: resp.StatusCode, body: normalize(answered, "", ids, resp.StatusCode >= 300)}
}

// lastNextToken and lastARN, as string members of a step's input, stand for
// the NextToken and the secret ARN the service answered last.
const (
	lastNextToken = "$NextToken"
	lastARN       = "$ARN"
)

// identities maps what a service invents (version IDs) to names that are
// the same on both services when the services behave alike: the first
// version ID a service answers is <version-1>, and so on.
type identities struct {
	versions  map[string]string
	nextToken string // the last NextToken answered
	arn       string // the last secret ARN answered
}

func newIdentities() *identities { return &identities{versions: map[string]string{}} }

func (ids *identities) version(id string) string {
	if name, ok := ids.versions[id]; ok {
		return name
	}
	name := fmt.Sprintf("<version-%d>", len(ids.versions)+1)
	ids.versions[id] = name
	return name
}

var (
	// An ARN's last six characters are random.
	secretARN = regexp.MustCompile(`^(arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)-[A-Za-z0-9]{6}$`)
	// A version ID a service generated; the sequences' own tokens start
	// with 00000000- and are kept, so that later steps can name them.
	generatedUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// normalize makes two answers comparable where AWS leaves a choice to the
// service, and only there:
//   - the random suffix of an ARN (…-AbC123 → …-??????);
//   - version IDs the service generated, named by order of appearance;
//   - timestamps, as their distance from now in whole days ("now", "now+7d"),
//     so that a recovery window still shows;
//   - the order of lists the API reference leaves unordered: staging labels,
//     tags, replication statuses, version entries and batch errors;
//   - null members and empty lists, which AWS JSON reads as absent;
//   - a resource policy's text, compared as IAM reads it: compact, and a
//     one-element list ("Action": ["x"]) the same as its element;
//   - a NextToken's text, which is opaque (only whether there is one counts);
//   - a LastAccessedDate, which AWS keeps to the day, as days since today;
//   - an error's message: only its code (__type) is compared, since wording is
//     free text (smx matches the little wording it relies on in errors.go,
//     for both).
func normalize(v any, key string, ids *identities, isError bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, member := range v {
			// In AWS JSON a null member is an absent one (the SDK reads both
			// as nil), and so is an empty list: callers see no items either
			// way. A map's values are kept as they are: in VersionIdsToStages
			// a version with no labels is a different answer from no version.
			if !isVersionsToStages(key) {
				if list, isList := member.([]any); member == nil || (isList && len(list) == 0) {
					continue
				}
			}
			if isError && key == "" {
				if k != "__type" {
					continue // message, Message: free text
				}
				out[k] = errorCode(member)
				continue
			}
			nk, memberKey := k, k
			if isVersionsToStages(key) {
				// A version ID → its staging labels.
				nk, memberKey = normalizeString(k, ids), "VersionStages"
			}
			out[nk] = normalize(member, memberKey, ids, isError)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = normalize(item, key, ids, isError)
		}
		sortUnordered(key, out)
		return out
	case json.Number:
		if key == "LastAccessedDate" {
			return relativeDay(v)
		}
		if strings.HasSuffix(key, "Date") {
			return relativeDate(v)
		}
		return v.String()
	case string:
		if key == "ResourcePolicy" {
			return canonicalPolicy(v)
		}
		if key == "NextToken" && v != "" {
			return "<token>" // opaque: only whether there is one is compared
		}
		return normalizeString(v, ids)
	default:
		return v
	}
}

// isVersionsToStages tells the members that map version IDs to their
// staging labels: DescribeSecret's VersionIdsToStages, SecretListEntry's
// SecretVersionsToStages.
func isVersionsToStages(key string) bool {
	return key == "VersionIdsToStages" || key == "SecretVersionsToStages"
}

// errorCode strips the namespace some services put before an error code
// ("com.amazonaws.secretsmanager#ResourceNotFoundException"), as the SDK does.
func errorCode(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if i := strings.LastIndex(s, "#"); i >= 0 {
		s = s[i+1:]
	}
	s, _, _ = strings.Cut(s, ":")
	return s
}

func normalizeString(s string, ids *identities) string {
	if m := secretARN.FindStringSubmatch(s); m != nil {
		return m[1] + "-??????"
	}
	if generatedUUID.MatchString(s) && !strings.HasPrefix(s, "00000000-") {
		return ids.version(s)
	}
	return s
}

func relativeDate(n json.Number) string {
	seconds, err := n.Float64()
	if err != nil {
		return "<not a number: " + n.String() + ">"
	}
	offset := time.Until(time.Unix(int64(seconds), 0))
	days := int((offset + 12*time.Hour).Hours() / 24)
	if offset > -12*time.Hour && offset < 12*time.Hour {
		return "now"
	}
	return fmt.Sprintf("now%+dd", days)
}

// relativeDay is a date AWS keeps to the day, as calendar days from today.
func relativeDay(n json.Number) string {
	seconds, err := n.Float64()
	if err != nil {
		return "<not a number: " + n.String() + ">"
	}
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	days := int(day(time.Unix(int64(seconds), 0)).Sub(day(time.Now())).Hours() / 24)
	if days == 0 {
		return "today"
	}
	return fmt.Sprintf("today%+dd", days)
}

// canonicalPolicy is a policy document as IAM reads it: compact, with
// one-element lists as their element. Text that is not JSON is kept.
func canonicalPolicy(text string) string {
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return text
	}
	var canon func(v any) any
	canon = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, member := range v {
				v[k] = canon(member)
			}
			return v
		case []any:
			if len(v) == 1 {
				return canon(v[0])
			}
			for i := range v {
				v[i] = canon(v[i])
			}
			return v
		default:
			return v
		}
	}
	b, err := json.Marshal(canon(doc))
	if err != nil {
		return text
	}
	return string(b)
}

// sortUnordered sorts the lists whose order the API reference does not
// define, by a member that identifies their items.
func sortUnordered(key string, items []any) {
	by := map[string]string{
		"VersionStages":     "",
		"Tags":              "Key",
		"ReplicationStatus": "Region",
		"Versions":          "VersionId",
		"Errors":            "SecretId",
		"SecretValues":      "Name",
	}
	member, ok := by[key]
	if !ok {
		return
	}
	sortKey := func(v any) string {
		if member == "" {
			return fmt.Sprint(v)
		}
		if m, ok := v.(map[string]any); ok {
			return fmt.Sprint(m[member])
		}
		return fmt.Sprint(v)
	}
	sort.SliceStable(items, func(i, j int) bool { return sortKey(items[i]) < sortKey(items[j]) })
}

// compare returns where two answers to one step differ.
func compare(seq string, stepNo int, op string, m, f answer) []difference {
	var out []difference
	add := func(path string, mv, fv any) {
		out = append(out, difference{sequence: seq, step: stepNo, op: op, path: path, moto: show(mv), fake: show(fv)})
	}
	if m.status != f.status {
		add("", m.status, f.status)
	}
	var walk func(path string, mv, fv any)
	walk = func(path string, mv, fv any) {
		switch mt := mv.(type) {
		case map[string]any:
			ft, ok := fv.(map[string]any)
			if !ok {
				add(path, mv, fv)
				return
			}
			keys := []string{}
			for k := range mt {
				keys = append(keys, k)
			}
			for k := range ft {
				if _, ok := mt[k]; !ok {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(strings.TrimPrefix(path, bodyPath)+"."+k, present(mt, k), present(ft, k))
			}
		case []any:
			ft, ok := fv.([]any)
			if !ok || len(ft) != len(mt) {
				add(path, mv, fv)
				return
			}
			for i := range mt {
				walk(fmt.Sprintf("%s[%d]", path, i), mt[i], ft[i])
			}
		default:
			if show(mv) != show(fv) {
				add(path, mv, fv)
			}
		}
	}
	walk(bodyPath, m.body, f.body)
	return out
}

// bodyPath names a whole answer that differs, e.g. JSON against an HTML page.
const bodyPath = "<body>"

// absent stands for a member an answer leaves out.
type absent struct{}

func present(m map[string]any, k string) any {
	if v, ok := m[k]; ok {
		return v
	}
	return absent{}
}

func show(v any) string {
	if _, ok := v.(absent); ok {
		return "<absent>"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
