package config

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

type values = map[string]property.Value

func tagMap(tags map[string]string) property.Value {
	out := values{}
	for k, v := range tags {
		out[k] = property.New(v)
	}
	return property.New(out)
}

func stringList(items ...string) property.Value {
	out := make([]property.Value, len(items))
	for i, s := range items {
		out[i] = property.New(s)
	}
	return property.New(out)
}

func defaultTags(tags map[string]string) property.Value {
	return property.New(values{"tags": tagMap(tags)})
}

func TestCheckRejectsMalformedTagSettings(t *testing.T) {
	fiftyOne := map[string]string{}
	for i := range 51 {
		fiftyOne[fmt.Sprintf("k%d", i)] = "v"
	}
	for name, tc := range map[string]struct {
		settings values
		property string
		reason   string
	}{
		"default tag key aws:":   {values{"defaultTags": defaultTags(map[string]string{"aws:team": "x"})}, "defaultTags", `smx:defaultTags tags: tag key "aws:team" uses the prefix "aws:", which AWS reserves`},
		"default tag key smx:":   {values{"defaultTags": defaultTags(map[string]string{"smx:owner": "x"})}, "defaultTags", `uses the prefix "smx:", which smx reserves`},
		"default tag key empty":  {values{"defaultTags": defaultTags(map[string]string{"": "x"})}, "defaultTags", "tag key \"\" must be 1 to 127 characters long"},
		"default tag key long":   {values{"defaultTags": defaultTags(map[string]string{strings.Repeat("k", 128): "x"})}, "defaultTags", "must be 1 to 127 characters long, got 128"},
		"default tag value long": {values{"defaultTags": defaultTags(map[string]string{"team": strings.Repeat("v", 256)})}, "defaultTags", `the value of tag "team" must be at most 255 characters long, got 256`},
		"default tag value char": {values{"defaultTags": defaultTags(map[string]string{"team": "a|b"})}, "defaultTags", `the value of tag "team" may contain only letters`},
		"51 default tags":        {values{"defaultTags": defaultTags(fiftyOne)}, "defaultTags", "smx:defaultTags may hold at most 50 tags"},
		"default tag ignored": {values{"defaultTags": defaultTags(map[string]string{"team": "x"}),
			"ignoreTags": property.New(values{"keys": stringList("team")})}, "defaultTags", `tag key "team" is also ignored by smx:ignoreTags`},
		"ignored key empty":      {values{"ignoreTags": property.New(values{"keys": stringList("a", "")})}, "ignoreTags", "smx:ignoreTags keys[1] is empty"},
		"ignored prefix empty":   {values{"ignoreTags": property.New(values{"keyPrefixes": stringList("")})}, "ignoreTags", "smx:ignoreTags keyPrefixes[0] is empty: an empty prefix would ignore every tag"},
		"default tags unwrapped": {values{"defaultTags": tagMap(map[string]string{"team": "x"})}, "defaultTags", `smx:defaultTags has no field "team": it is an object {tags: ...}`},
		"ignoreTags misspelt":    {values{"ignoreTags": property.New(values{"key": stringList("a")})}, "ignoreTags", `smx:ignoreTags has no field "key"`},
		"default tags a list":    {values{"defaultTags": stringList("team")}, "defaultTags", "smx:defaultTags must be an object {tags: ...}"},
	} {
		t.Run(name, func(t *testing.T) {
			var failures []string
			for _, f := range checkConfig(t, tc.settings) {
				if f.Property == tc.property && strings.Contains(f.Reason, tc.reason) {
					return
				}
				failures = append(failures, f.Property+": "+f.Reason)
			}
			t.Fatalf("failures %v; want one on %s saying %q", failures, tc.property, tc.reason)
		})
	}
}

func TestCheckAcceptsTagSettings(t *testing.T) {
	settings := values{
		"defaultTags": defaultTags(map[string]string{"team": "payments", "cost-centre": "4711", "empty": ""}),
		"ignoreTags":  property.New(values{"keys": stringList("CostCenter"), "keyPrefixes": stringList("kubernetes.io/")}),
	}
	if failures := checkConfig(t, settings); len(failures) != 0 {
		t.Fatalf("rejected: %v", failures)
	}
	unknown := values{"defaultTags": property.New(property.Computed), "ignoreTags": property.New(property.Computed)}
	if failures := checkConfig(t, unknown); len(failures) != 0 {
		t.Fatalf("unknown settings judged: %v", failures)
	}
}

func TestTagSettingsMergeIgnoreAndSplit(t *testing.T) {
	s := TagSettings{
		Defaults:           map[string]string{"team": "payments", "env": "dev"},
		IgnoredKeys:        []string{"CostCenter"},
		IgnoredKeyPrefixes: []string{"kubernetes.io/"},
	}
	all := s.All(map[string]string{"env": "prod", "app": "db"})
	if want := map[string]string{"team": "payments", "env": "prod", "app": "db"}; !maps.Equal(all, want) {
		t.Fatalf("All = %v, want %v: the resource's own tags win", all, want)
	}
	live := map[string]string{"team": "payments", "env": "prod", "CostCenter": "1", "kubernetes.io/x": "y", "costcenter": "2"}
	visible := s.Visible(live)
	if want := map[string]string{"team": "payments", "env": "prod", "costcenter": "2"}; !maps.Equal(visible, want) {
		t.Fatalf("Visible = %v, want %v (keys compare exactly)", visible, want)
	}
	// Own drops a default tag with the default's value, unless the program
	// sets that key itself; a default key with another value is the
	// resource's own.
	if own := s.Own(visible, nil); !maps.Equal(own, map[string]string{"env": "prod", "costcenter": "2"}) {
		t.Fatalf("Own without program keys = %v", own)
	}
	if own := s.Own(visible, map[string]string{"team": "payments"}); !maps.Equal(own, map[string]string{"team": "payments", "env": "prod", "costcenter": "2"}) {
		t.Fatalf("Own with the program's team = %v", own)
	}
}
