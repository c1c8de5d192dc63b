package config

import (
	"maps"
	"slices"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

type settings = map[string]property.Value

var (
	str     = property.New[string]
	num     = property.New[float64]
	flag    = property.New[bool]
	secret  = func(s string) property.Value { return property.New(s).WithSecret(true) }
	unknown = property.New(property.Computed)
)

// pulumi-aws's default provider as its state records it: stack config
// (aws:region, aws:maxRetries, ...) as strings, nested settings as JSON, the
// bridge's defaults, and the engine's version key. The keys are those of
// pulumi-aws's provider config at v6.83.4.
func awsV6DefaultProvider(region string, extra settings) settings {
	s := settings{
		"skipCredentialsValidation": str("false"),
		"skipMetadataApiCheck":      str("true"),
		"skipRegionValidation":      str("true"),
		"version":                   str("6.83.4"),
	}
	if region != "" {
		s["region"] = str(region)
	}
	maps.Copy(s, extra)
	return s
}

// carriedDefaultTags are the default tags of awsV7ExplicitProvider, carried
// over to smx as they are: the same setting, which is no change.
var carriedDefaultTags = property.New(settings{"tags": property.New(settings{"team": str("payments")})})

// An explicit `new aws.Provider(...)` of pulumi-aws v7.0.0 as an SDK sends
// it: typed values, v7's assumeRoles list, and the SDK's defaults.
func awsV7ExplicitProvider(region string, extra settings) settings {
	s := settings{
		"region":                    str(region),
		"skipCredentialsValidation": flag(false),
		"skipRegionValidation":      flag(true),
		"assumeRoles":               deployerRoles,
		"defaultTags":               property.New(settings{"tags": property.New(settings{"team": str("payments")})}),
		"endpoints":                 property.New([]property.Value{property.New(settings{"secretsmanager": str("http://127.0.0.1:5000")})}),
		"maxRetries":                num(5),
		"version":                   str("7.0.0"),
	}
	maps.Copy(s, extra)
	return s
}

// deployerRoles is the assumeRoles of awsV7ExplicitProvider, which a stack
// that moves over carries to smx's provider unchanged.
var deployerRoles = property.New([]property.Value{property.New(settings{
	"roleArn": str("arn:aws:iam::123456789012:role/deployer"), "sessionName": str("ci"),
})})

// smx's configuration as its CheckConfig leaves it in state.
func smxProvider(extra settings) settings {
	s := settings{
		"version":                       str("0.1.0"),
		"__pulumi-go-provider-infer":    flag(true),
		"__pulumi-go-provider-version":  str("1.5.0"),
		"__pulumi-go-provider-unknowns": property.New(settings{}),
	}
	maps.Copy(s, extra)
	return s
}

func TestDiffConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		olds, news settings
		// replaced is true when every resource must be replaced; changed
		// are the settings reported as changed.
		replaced bool
		changed  []string
	}{
		// From pulumi-aws v6, default providers: aws:region → smx:region.
		"aws v6, same region": {
			olds: awsV6DefaultProvider("us-west-2", nil),
			news: smxProvider(settings{"region": str("us-west-2")}),
		},
		"aws v6, region moved": {
			olds: awsV6DefaultProvider("us-west-2", nil), news: smxProvider(settings{"region": str("eu-central-1")}),
			replaced: true, changed: []string{"region"},
		},
		"aws v6, every shared setting carried over": {
			olds: awsV6DefaultProvider("us-west-2", settings{
				"profile": str("prod"), "accessKey": secret("AKIAEXAMPLE"), "secretKey": secret("s3cr3t"),
				"token": secret("session"), "maxRetries": str("25"),
				"endpoints":  str(`[{"secretsmanager":"http://127.0.0.1:5000"}]`),
				"assumeRole": str(`{"roleArn":"arn:aws:iam::123456789012:role/deployer"}`),
			}),
			news: smxProvider(settings{
				"region": str("us-west-2"), "profile": str("prod"), "accessKey": secret("AKIAEXAMPLE"),
				"secretKey": secret("s3cr3t"), "token": secret("session"), "maxRetries": num(25),
				"endpoint": str("http://127.0.0.1:5000"),
			}),
			// pulumi-aws names endpoints per service, in a key smx does not
			// have; smx's single endpoint is new, and never replaces.
			changed: []string{"endpoint"},
		},
		"aws v6, credentials and retries changed with the move": {
			olds:    awsV6DefaultProvider("us-west-2", settings{"profile": str("old"), "maxRetries": str("3")}),
			news:    smxProvider(settings{"region": str("us-west-2"), "profile": str("new"), "accessKey": secret("AKIA"), "secretKey": secret("s")}),
			changed: []string{"accessKey", "maxRetries", "profile", "secretKey"},
		},
		"aws v6, region from the environment, smx's explicit": {
			olds:    awsV6DefaultProvider("", nil),
			news:    smxProvider(settings{"region": str("us-east-1")}),
			changed: []string{"region"},
		},
		"aws v6 and smx, both from the environment": {
			olds: awsV6DefaultProvider("", nil), news: smxProvider(nil),
		},
		// From pulumi-aws v7, explicit providers: new aws.Provider("east", {region})
		// → new smx.Provider("east", {region}).
		"aws v7, same region": {
			olds: awsV7ExplicitProvider("us-east-1", nil),
			news: smxProvider(settings{"region": str("us-east-1"), "maxRetries": num(5), "assumeRoles": deployerRoles, "defaultTags": carriedDefaultTags}),
		},
		"aws v7, region moved": {
			olds: awsV7ExplicitProvider("us-east-1", nil), news: smxProvider(settings{"region": str("us-gov-west-1"), "maxRetries": num(5), "assumeRoles": deployerRoles, "defaultTags": carriedDefaultTags}),
			replaced: true, changed: []string{"region"},
		},
		"aws v7, region not known yet": {
			olds: awsV7ExplicitProvider("us-east-1", nil), news: smxProvider(settings{"region": unknown, "maxRetries": num(5), "assumeRoles": deployerRoles, "defaultTags": carriedDefaultTags}),
			replaced: true, changed: []string{"region"},
		},
		"aws v7, region unset in smx": {
			olds: awsV7ExplicitProvider("us-east-1", nil), news: smxProvider(settings{"maxRetries": num(5), "assumeRoles": deployerRoles, "defaultTags": carriedDefaultTags}),
			changed: []string{"region"},
		},
		// smx to smx.
		"smx, nothing changed": {
			olds: smxProvider(settings{"region": str("eu-west-1"), "maxRetries": num(3)}),
			news: smxProvider(settings{"region": str("eu-west-1"), "maxRetries": num(3), "__pulumi-go-provider-version": str("1.6.0")}),
		},
		"smx, region changed": {
			olds: smxProvider(settings{"region": str("eu-west-1")}), news: smxProvider(settings{"region": str("eu-north-1")}),
			replaced: true, changed: []string{"region"},
		},
		"smx, endpoint, profile, credentials and retries changed": {
			olds: smxProvider(settings{
				"region": str("eu-west-1"), "endpoint": str("http://127.0.0.1:1"), "profile": str("a"),
				"accessKey": secret("A1"), "secretKey": secret("S1"), "token": secret("T1"), "maxRetries": num(1),
			}),
			news: smxProvider(settings{
				"region": str("eu-west-1"), "endpoint": str("http://127.0.0.1:2"), "profile": str("b"),
				"accessKey": secret("A2"), "secretKey": secret("S2"), "maxRetries": num(2),
			}),
			changed: []string{"accessKey", "endpoint", "maxRetries", "profile", "secretKey", "token"},
		},
		// pulumi-aws v6 keeps an object setting of stack config as the JSON
		// string the engine sends; smx's Check stores the object.
		"aws v6, default and ignored tags carried over": {
			olds: awsV6DefaultProvider("us-west-2", settings{
				"defaultTags": str(`{"tags":{"team":"payments","env":"prod"}}`),
				"ignoreTags":  str(`{"keyPrefixes":["kubernetes.io/"]}`),
			}),
			news: smxProvider(settings{
				"region":      str("us-west-2"),
				"defaultTags": property.New(settings{"tags": property.New(settings{"env": str("prod"), "team": str("payments")})}),
				"ignoreTags":  property.New(settings{"keyPrefixes": property.New([]property.Value{str("kubernetes.io/")})}),
			}),
		},
		"smx, default tags changed": {
			olds:    smxProvider(settings{"defaultTags": property.New(settings{"tags": property.New(settings{"team": str("a")})})}),
			news:    smxProvider(settings{"defaultTags": property.New(settings{"tags": property.New(settings{"team": str("b")})})}),
			changed: []string{"defaultTags"},
		},
		"smx, ignored tags added": {
			olds:    smxProvider(settings{}),
			news:    smxProvider(settings{"ignoreTags": property.New(settings{"keys": property.New([]property.Value{str("CostCenter")})})}),
			changed: []string{"ignoreTags"},
		},
		"smx, endpoint not known yet": {
			olds:    smxProvider(settings{"endpoint": str("http://127.0.0.1:1")}),
			news:    smxProvider(settings{"endpoint": unknown}),
			changed: []string{"endpoint"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			diff := diffConfig(property.NewMap(tc.olds), property.NewMap(tc.news))
			changed := slices.Sorted(maps.Keys(diff.DetailedDiff))
			if !slices.Equal(changed, tc.changed) || diff.HasChanges != (len(tc.changed) > 0) {
				t.Fatalf("changed %v (HasChanges %v), want %v", changed, diff.HasChanges, tc.changed)
			}
			for key, d := range diff.DetailedDiff {
				want := p.Update
				if key == "region" && tc.replaced {
					want = p.UpdateReplace
				}
				if d.Kind != want {
					t.Fatalf("%s: %v, want %v", key, d.Kind, want)
				}
			}
			// The replacements in the new region are created before the old
			// secrets are deleted: names are per region, so nothing collides.
			if diff.DeleteBeforeReplace {
				t.Fatal("DeleteBeforeReplace set")
			}
		})
	}
}
