package secretsmanager_test

// Details in which a Secret and a SecretPolicy behave as pulumi-aws's (and
// so terraform-provider-aws's) do, found by translating that provider's
// acceptance tests: an empty policy document, the form of the `policy`
// output, the delete-time settings' outputs, and the names made from a
// `namePrefix`.

import (
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

	h.fake.ResetCalls()
	_, d := h.diff(r, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	assert.Zero(t, h.fake.TotalCalls())
	_, d = h.diff(r, pm{"name": str("app/db"), "recoveryWindowInDays": num(30), "forceOverwriteReplicaSecret": boolean(false)})
	assert.False(t, d.HasChanges, "the defaults written out: %v", d.DetailedDiff)

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
				h.fake.ResetCalls()
				_, d := h.diff(imported, news)
				assert.False(t, d.HasChanges, "%v: %v", news, d.DetailedDiff)
				assert.Zero(t, h.fake.TotalCalls())
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
