package secretsmanager_test

// Details in which a Secret and a SecretPolicy behave as pulumi-aws's (and
// so terraform-provider-aws's) do, found by translating that provider's
// acceptance tests: an empty policy document, the form of the `policy`
// output, the delete-time settings' outputs, and the names made from a
// `namePrefix`.

import (
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
