package secretsmanager_test

// Details in which a Secret and a SecretPolicy behave as pulumi-aws's (and
// so terraform-provider-aws's) do, found by translating that provider's
// acceptance tests: an empty policy document, the form of the `policy`
// output, the delete-time settings' outputs, and the names made from a
// `namePrefix`.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// ---------------------------------------------------------------------------
// policy: "{}"

// terraform-provider-aws treats a policy of `{}` as no policy: it attaches
// nothing at create, deletes the policy at update, reads back "", and
// compares "" and `{}` as equal, whichever side either is on.
func TestSecretEmptyObjectPolicyIsNoPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	for name, policy := range map[string]string{"compact": `{}`, "spaced": " { }\n"} {
		t.Run("create/"+name, func(t *testing.T) {
			news := pm{"name": str("app/" + name), "policy": str(policy)}
			inputs := h.checkOK(secretType, name, property.Map{}, news)
			h.fake.ResetCalls()
			preview, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, name), Properties: inputs, DryRun: true})
			require.NoError(t, err)
			requireUnknownOr(t, preview.Properties, "policy", str(""))
			resp, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, name), Properties: inputs})
			require.NoError(t, err)
			assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpCreateSecret: 1}, h.fake.Calls(),
				"no PutResourcePolicy: an empty document is no policy")
			assert.Equal(t, "", getString(t, resp.Properties, "policy"))
			snap, ok := h.fake.Snapshot("app/" + name)
			require.True(t, ok)
			assert.Empty(t, snap.ResourcePolicy)

			// A refresh reads "" and the program still says `{}`: no drift,
			// and the next preview shows no change.
			r := created{urn: urnOf(secretType, name), id: resp.ID, inputs: inputs, state: resp.Properties}
			read := h.read(r)
			assert.Equal(t, "", getString(t, read.Properties, "policy"))
			refreshed := created{urn: r.urn, id: read.ID, inputs: read.Inputs, state: read.Properties}
			h.requireNoChange(refreshed, news)
		})
	}

	t.Run("update deletes the policy", func(t *testing.T) {
		r := h.create(secretType, "with-policy", pm{"name": str("app/with-policy"), "policy": str(policyDoc)})
		h.fake.ResetCalls()
		r = h.update(r, pm{"name": str("app/with-policy"), "policy": str(`{}`)})
		assert.Equal(t, map[string]int{fakesm.OpDeleteResourcePolicy: 1}, h.fake.Calls())
		assert.Equal(t, "", getString(t, r.state, "policy"))
		snap, _ := h.fake.Snapshot("app/with-policy")
		assert.Empty(t, snap.ResourcePolicy)
		_, d := h.diff(r, pm{"name": str("app/with-policy"), "policy": str(`{}`)})
		assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	})

	t.Run("a secret with no policy", func(t *testing.T) {
		// A program that adds `{}` to a secret without a policy changes
		// nothing.
		r := h.create(secretType, "no-policy", pm{"name": str("app/no-policy")})
		require.Equal(t, "", getString(t, r.state, "policy"))
		h.requireNoChange(r, pm{"name": str("app/no-policy"), "policy": str(`{}`)})

		// And a state that recorded `{}` (an earlier smx put it as a policy)
		// against a program that says "".
		recorded := r
		recorded.state = r.state.Set("policy", str(`{}`))
		h.requireNoChange(recorded, pm{"name": str("app/no-policy"), "policy": str("")})
		h.requireNoChange(recorded, pm{"name": str("app/no-policy"), "policy": str(`{}`)})
	})
}

// A restored secret, and one adopted as this resource's own, lose the policy
// they held when the program says `{}`, as they do when it says "".
func TestSecretEmptyObjectPolicyRemovesAnAdoptedSecretsPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.scheduledSecret("app/restored")
	require.NoError(t, h.fake.SetResourcePolicy("app/restored", policyDoc))
	r := h.create(secretType, "restored", pm{"name": str("app/restored"), "policy": str(`{}`), "restoreIfScheduledForDeletion": boolean(true)})
	snap, _ := h.fake.Snapshot("app/restored")
	assert.Empty(t, snap.ResourcePolicy, "restored without the old policy")
	assert.Equal(t, "", getString(t, r.state, "policy"))

	// An attempt whose answer was lost left the secret, with a policy from
	// the program as it was then.
	news := pm{"name": str("app/own"), "policy": str(policyDoc)}
	first := h.create(secretType, "own", news)
	require.NotEmpty(t, first.id)
	inputs := h.checkOK(secretType, "own", property.Map{}, pmWith(news, "policy", str(`{}`)))
	resp, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "own"), Properties: inputs})
	require.NoError(t, err)
	assert.Equal(t, first.id, resp.ID, "adopted")
	snap, _ = h.fake.Snapshot("app/own")
	assert.Empty(t, snap.ResourcePolicy, "adopted without the policy")
	assert.Equal(t, "", getString(t, resp.Properties, "policy"))
}

// ---------------------------------------------------------------------------
// The policy output

// pulumiAWSPolicy is a policy document as pulumi-aws records it:
// terraform-plugin-sdk's structure.NormalizeJsonString, which decodes the
// JSON and encodes it again, compact and with object keys sorted.
func pulumiAWSPolicy(t *testing.T, doc string) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return string(out)
}

// normalizedPolicyDoc is policyDoc as pulumi-aws records it: compact, with
// object keys sorted (structure.NormalizeJsonString), arrays as written.
const normalizedPolicyDoc = `{"Statement":[{"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],` +
	`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Resource":"*","Sid":"AppReads"}],` +
	`"Version":"2012-10-17"}`

// pulumi-aws's `policy` output is the document normalized, equal to what
// getSecret returns; the input keeps the program's text, and diffs still
// compare by meaning.
func TestSecretPolicyOutputIsNormalized(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(policyDoc)}
	inputs := h.checkOK(secretType, "secret", property.Map{}, news)
	assert.Equal(t, policyDoc, getString(t, inputs, "policy"), "the input is the program's text")
	preview, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.NoError(t, err)
	requireUnknownOr(t, preview.Properties, "policy", str(normalizedPolicyDoc))

	r := h.create(secretType, "secret", news)
	require.Equal(t, pulumiAWSPolicy(t, policyDoc), normalizedPolicyDoc)
	assert.Equal(t, normalizedPolicyDoc, getString(t, r.state, "policy"))
	looked := h.invokeOK("smx:secretsmanager:getSecret", pm{"name": str("app/db")})
	assert.Equal(t, getString(t, looked, "policy"), getString(t, r.state, "policy"), "the output is what getSecret returns")

	// A refresh with nothing changed, and the next preview: no change, no call.
	read := h.read(r)
	assert.Equal(t, r.state, read.Properties)
	refreshed := created{urn: r.urn, id: read.ID, inputs: read.Inputs, state: read.Properties}
	h.requireNoChange(refreshed, news)

	// An update records the new policy normalized.
	r = h.update(r, pm{"name": str("app/db"), "policy": str(strings.Replace(policyDoc, `"Allow"`, `"Deny"`, 1))})
	assert.Equal(t, strings.Replace(normalizedPolicyDoc, `"Allow"`, `"Deny"`, 1), getString(t, r.state, "policy"))

	// A policy changed outside Pulumi is recorded normalized too.
	require.NoError(t, h.fake.SetResourcePolicy("app/db", otherPolicyDoc))
	drift := h.read(r)
	want := `{"Statement":[{"Action":"secretsmanager:DeleteSecret","Effect":"Deny",` +
		`"Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Resource":"*"}],"Version":"2012-10-17"}`
	assert.Equal(t, want, getString(t, drift.Properties, "policy"))
	assert.Equal(t, getString(t, h.invokeOK("smx:secretsmanager:getSecret", pm{"name": str("app/db")}), "policy"),
		getString(t, drift.Properties, "policy"))
}

// A state an earlier smx recorded holds the program's text: it previews with
// no change and no call, and a refresh keeps it.
func TestSecretPolicyRecordedAsProgramTextStillMatches(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(policyDoc)}
	r := h.create(secretType, "secret", news)
	r.state = r.state.Set("policy", str(policyDoc))

	h.requireNoChange(r, news)

	read := h.read(r)
	assert.Equal(t, policyDoc, getString(t, read.Properties, "policy"), "equivalent: the recorded text stays, so a refresh changes nothing")
}

func TestSecretImportRecordsThePolicyNormalized(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("legacy/db", nil)
	require.NoError(t, h.fake.SetResourcePolicy("legacy/db", policyDoc))

	resp, err := h.server.Read(p.ReadRequest{ID: "legacy/db", Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, normalizedPolicyDoc, getString(t, resp.Properties, "policy"))
	assert.Equal(t, normalizedPolicyDoc, getString(t, resp.Inputs, "policy"))
	assert.Equal(t, getString(t, h.invokeOK("smx:secretsmanager:getSecret", pm{"name": str("legacy/db")}), "policy"),
		getString(t, resp.Properties, "policy"))

	imported := created{urn: urnOf(secretType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(imported, pm{"name": str("legacy/db"), "policy": str(policyDoc)})
	assert.False(t, d.HasChanges, "the program's own text of the policy matches: %v", d.DetailedDiff)
}

// readPolicyNormalized is readPolicy normalized.
const readPolicyNormalized = `{"Statement":[{"Action":["secretsmanager:GetSecretValue"],"Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Resource":"*"}],"Version":"2012-10-17"}`

func TestSecretPolicyResourceOutputIsNormalized(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	news := pm{"secretArn": str(s.id), "policy": str(readPolicy)}
	inputs := h.checkOK(policyType, "policy", property.Map{}, news)
	preview, err := h.server.Create(p.CreateRequest{Urn: urnOf(policyType, "policy"), Properties: inputs, DryRun: true})
	require.NoError(t, err)
	requireUnknownOr(t, preview.Properties, "policy", str(readPolicyNormalized))

	pol := h.create(policyType, "policy", news)
	assert.Equal(t, readPolicy, getString(t, pol.inputs, "policy"), "the input is the program's text")
	assert.Equal(t, readPolicyNormalized, getString(t, pol.state, "policy"))

	read := h.read(pol)
	assert.Equal(t, readPolicyNormalized, getString(t, read.Properties, "policy"))
	h.requireNoChange(created{urn: pol.urn, id: read.ID, inputs: read.Inputs, state: read.Properties}, news)

	other := strings.Replace(readPolicy, "123456789012:root", "210987654321:root", 1)
	pol = h.update(pol, pmWith(news, "policy", str(other)))
	assert.Equal(t, strings.Replace(readPolicyNormalized, "123456789012:root", "210987654321:root", 1), getString(t, pol.state, "policy"))

	// On import, the policy as AWS holds it, normalized: what getSecret gives.
	imported, err := h.server.Read(p.ReadRequest{ID: s.id, Urn: urnOf(policyType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, getString(t, h.invokeOK("smx:secretsmanager:getSecret", pm{"arn": str(s.id)}), "policy"),
		getString(t, imported.Properties, "policy"))

	// A state an earlier smx recorded with the program's text still matches.
	pol.state = pol.state.Set("policy", str(other))
	h.requireNoChange(pol, pmWith(news, "policy", str(other)), "an earlier smx's recorded text")
}

// terraform-provider-aws's SecretPolicy has no special case for `{}`: it
// attaches it as the policy, and so does smx.
func TestSecretPolicyResourceEmptyObjectIsAttached(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	h.fake.ResetCalls()
	pol := h.create(policyType, "policy", pm{"secretArn": str(s.id), "policy": str(`{}`)})
	assert.Equal(t, map[string]int{fakesm.OpPutResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, `{}`, getString(t, pol.state, "policy"))
	_, d := h.diff(pol, pm{"secretArn": str(s.id), "policy": str(`{}`)})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

// ---------------------------------------------------------------------------
// recoveryWindowInDays and forceOverwriteReplicaSecret

func requireDeleteSettings(t *testing.T, what string, state property.Map, days float64, force bool) {
	t.Helper()
	window, ok := state.GetOk("recoveryWindowInDays")
	require.Truef(t, ok && window.IsNumber(), "%s: recoveryWindowInDays is %v", what, window)
	assert.Equalf(t, days, window.AsNumber(), "%s: recoveryWindowInDays", what)
	overwrite, ok := state.GetOk("forceOverwriteReplicaSecret")
	require.Truef(t, ok && overwrite.IsBool(), "%s: forceOverwriteReplicaSecret is %v", what, overwrite)
	assert.Equalf(t, force, overwrite.AsBool(), "%s: forceOverwriteReplicaSecret", what)
}

// requireUnknownOr asserts that a preview's output is unknown (infer marks
// unknown what does not mirror an input, as the input may be unknown too)
// or the value the deployment records: never a value it does not.
func requireUnknownOr(t *testing.T, preview property.Map, key string, want property.Value) {
	t.Helper()
	if v := preview.Get(key); !v.IsComputed() {
		assert.Equalf(t, want, v, "the preview's %s", key)
	}
}

// pulumi-aws outputs its defaults, 30 and false, for the settings a program
// leaves unset; the inputs stay unset.
func TestSecretUnsetDeleteSettingsAreOutputAsDefaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db")}
	inputs := h.checkOK(secretType, "secret", property.Map{}, news)
	preview, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.NoError(t, err)
	requireUnknownOr(t, preview.Properties, "recoveryWindowInDays", num(30))
	requireUnknownOr(t, preview.Properties, "forceOverwriteReplicaSecret", boolean(false))

	r := h.create(secretType, "secret", news)
	requireDeleteSettings(t, "create", r.state, 30, false)
	for _, key := range []string{"recoveryWindowInDays", "forceOverwriteReplicaSecret"} {
		_, set := r.inputs.GetOk(key)
		assert.False(t, set, "%s stays unset in the inputs", key)
	}
	requireDeleteSettings(t, "refresh", h.read(r).Properties, 30, false)

	r = h.update(r, pm{"name": str("app/db"), "description": str("now described")})
	requireDeleteSettings(t, "update", r.state, 30, false)
	set := h.update(r, pm{"name": str("app/db"), "description": str("now described"),
		"recoveryWindowInDays": num(7), "forceOverwriteReplicaSecret": boolean(true)})
	requireDeleteSettings(t, "set by the program", set.state, 7, true)

	imported, err := h.server.Read(p.ReadRequest{ID: "app/db", Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	requireDeleteSettings(t, "import", imported.Properties, 30, false)
	for _, key := range []string{"recoveryWindowInDays", "forceOverwriteReplicaSecret"} {
		_, set := imported.Inputs.GetOk(key)
		assert.False(t, set, "%s is no input of an imported secret", key)
	}
}

// States recorded before these outputs existed hold neither: they diff as no
// change against a program that sets neither, and delete with AWS's default.
func TestSecretDeleteSettingsRecordedNullAreNoChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db")}
	r := h.create(secretType, "secret", news)
	r.state = r.state.Delete("recoveryWindowInDays").Delete("forceOverwriteReplicaSecret")

	h.requireNoChange(r, news)
	h.requireNoChange(r, pm{"name": str("app/db"), "recoveryWindowInDays": num(30), "forceOverwriteReplicaSecret": boolean(false)},
		"the defaults written out")

	require.NoError(t, h.delete(r))
	del := h.fake.Requests(fakesm.OpDeleteSecret)[0].(*sm.DeleteSecretInput)
	assert.Equal(t, int64(30), aws.ToInt64(del.RecoveryWindowInDays))
}

// ---------------------------------------------------------------------------
// namePrefix

// A hexadecimal suffix as terraform-provider-aws's id.PrefixedUniqueId makes.
const hexSuffix = "0123456789abcdef0123456789"

// terraform-provider-aws's Read sets name_prefix from the name
// (create.NamePrefixFromName): the part before a final 26 hexadecimal
// digits, when there is one.
func TestSecretImportDerivesNamePrefix(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"app/db-" + hexSuffix:                      "app/db-",
		"LEGACY_" + strings.ToUpper(hexSuffix):     "LEGACY_",
		"x" + hexSuffix:                            "x",
		hexSuffix:                                  "",
		"legacy/db":                                "",
		"app-" + hexSuffix[:25] + "g":              "",
		"app-" + hexSuffix[:25]:                    "",
		"app-" + strings.Repeat("0", 26) + "-prod": "",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.createSecretDirectly(name, nil)
			resp, err := h.server.Read(p.ReadRequest{ID: name, Urn: urnOf(secretType, "imported")})
			require.NoError(t, err)
			assert.Equal(t, name, getString(t, resp.Properties, "name"))
			assert.Equal(t, want, getString(t, resp.Properties, "namePrefix"))
			assert.Equal(t, name, getString(t, resp.Inputs, "name"))
			programs := []pm{{"name": str(name)}}
			if want != "" {
				assert.Equal(t, want, getString(t, resp.Inputs, "namePrefix"), "the inputs name the prefix")
				programs = append(programs, pm{"namePrefix": str(want)}, pm{"name": str(name), "namePrefix": str(want)})
			} else {
				_, hasPrefix := resp.Inputs.GetOk("namePrefix")
				assert.False(t, hasPrefix)
			}

			// `pulumi import` checks the inputs Read gave against themselves,
			// and writes them as the program: they must pass.
			check := h.check(secretType, "imported", resp.Inputs, resp.Inputs.AsMap())
			assert.Empty(t, check.Failures)

			// The program import writes, one with only the name and one with
			// only the prefix (the import resource option) preview with no
			// change and no call.
			imported := created{urn: urnOf(secretType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
			for _, news := range programs {
				h.requireNoChange(imported, news)
			}
		})
	}
}

// A name and the prefix it was made from say one thing twice, as the
// program an import writes does; any other pair conflicts.
func TestSecretCheckNameWithItsOwnPrefix(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db-" + hexSuffix), "namePrefix": str("app/db-")})
	assert.Equal(t, "app/db-"+hexSuffix, getString(t, inputs, "name"))
	for _, pair := range []pm{
		{"name": str("app/db-" + hexSuffix), "namePrefix": str("app/")},
		{"name": str("app/db-" + hexSuffix), "namePrefix": str("app/db")},
		{"name": str("app/db-x" + hexSuffix[1:]), "namePrefix": str("app/db-")},
		{"name": str("app/db"), "namePrefix": str("app/")},
		{"name": computed(), "namePrefix": str("app/db-")},
		{"name": str("app/db-" + hexSuffix), "namePrefix": computed()},
	} {
		assert.NotEmpty(t, failuresOn(h.check(secretType, "secret", property.Map{}, pair), "name"), "%v", pair)
	}

	// Created from both, the secret has the name given, and previews with no
	// change afterwards.
	r := h.create(secretType, "both", pm{"name": str("app/both-" + hexSuffix), "namePrefix": str("app/both-")})
	assert.Equal(t, "app/both-"+hexSuffix, getString(t, r.state, "name"))
	assert.Equal(t, "app/both-", getString(t, r.state, "namePrefix"))
	_, d := h.diff(r, pm{"name": str("app/both-" + hexSuffix), "namePrefix": str("app/both-")})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}
