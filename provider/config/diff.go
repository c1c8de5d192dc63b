package config

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// WithDiffConfig makes prov's DiffConfig the one below. infer's own decodes
// the old configuration into Config and fails when it does not fit, but the
// old configuration is not always smx's: when a stack moves from pulumi-aws
// to smx through aliases, the engine (step_generator.go, providerChanged)
// asks smx's DiffConfig about the old pulumi-aws provider's inputs, with keys
// smx does not have and values in whatever form that provider stored
// ("25" or 25). An error there fails the whole preview, so this DiffConfig
// reads any old configuration and compares only the settings smx has.
func WithDiffConfig(prov p.Provider) p.Provider {
	prov.DiffConfig = func(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		olds := req.OldInputs
		if olds.Len() == 0 {
			olds = req.State // engines that send no old inputs; a provider's outputs are its inputs
		}
		return diffConfig(olds, req.Inputs), nil
	}
	return prov
}

// diffConfig compares an old provider configuration (smx's, or pulumi-aws's
// v6 or v7) with smx's new one, as checked by Check.
//
// A region change replaces every resource of the provider: its secrets live
// in the old region, and a provider for the new one would find none of them.
// The replacements are created before the old secrets are deleted, which is
// safe because secret names are per region. Every other setting only changes
// how smx reaches AWS, never which secrets it manages, so it is an update.
//
// A region that is empty on either side means "from the environment" at the
// time, which no state records. Guessing it from today's environment could
// replace every secret on a wrong guess — and a replacement within one region
// deletes the secret it replaces — whereas not replacing, when the region did
// move, fails loudly at the first call. So empty versus a region is an update.
//
// A new region not known yet (at preview, an explicit provider's region that
// is another resource's output) may differ, so it is shown as a replacement,
// as Pulumi shows any unknown value of a replacing property.
func diffConfig(olds, news property.Map) p.DiffResponse {
	diff := map[string]p.PropertyDiff{}
	_, oldIsSmx := olds.GetOk("__pulumi-go-provider-infer")
	for _, key := range keys {
		if !oldIsSmx && slices.Contains(networkKeys, key) {
			continue // see sharedWithPulumiAWS
		}
		before, after := roleSettingText(key, olds.Get(key)), roleSettingText(key, news.Get(key))
		if before.known && after.known && before.text == after.text {
			continue
		}
		kind := p.Update
		if key == "region" && before.text != "" && (!after.known || after.text != "") {
			kind = p.UpdateReplace
		}
		diff[key] = p.PropertyDiff{Kind: kind}
	}
	return p.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
}

// sharedWithPulumiAWS: the settings of network.go have pulumi-aws's names,
// and pulumi-aws's state holds its bridge's values for them (a
// skipMetadataApiCheck of "true" nobody set) and its other services'
// endpoints. They change only how calls reach AWS, never which secrets the
// provider manages, so a move from pulumi-aws does not compare them: it
// would show a provider update for values smx reads differently, or not at
// all. Between two configurations of smx they are compared (an update).

type text struct {
	text  string
	known bool
}

// settingText is a setting's value in one form whichever form it was stored
// in: stack config as a string ("25"), a typed value (25), or a secret.
func settingText(v property.Value) text {
	switch {
	case v.HasComputed():
		return text{}
	case v.IsString() && strings.HasPrefix(strings.TrimSpace(v.AsString()), "{"):
		// An object setting as stack config or pulumi-aws's state keep it.
		return text{canonicalJSON(v), true}
	case v.IsString():
		return text{v.AsString(), true}
	case v.IsNumber():
		return text{strconv.FormatFloat(v.AsNumber(), 'f', -1, 64), true}
	case v.IsBool():
		return text{strconv.FormatBool(v.AsBool()), true}
	case v.IsNull():
		return text{"", true}
	case v.IsMap() || v.IsArray():
		// defaultTags and ignoreTags: compared as canonical JSON, which is
		// also how stack config and pulumi-aws's state hold them (a string).
		return text{canonicalJSON(v), true}
	default:
		return text{v.GoString(), true}
	}
}

// canonicalJSON is v as JSON with object keys sorted (encoding/json sorts
// map keys), so that the same setting gives the same text in whatever order
// it was written; a JSON string is read first.
func canonicalJSON(v property.Value) string {
	var decoded any
	if v.IsString() {
		if err := json.Unmarshal([]byte(v.AsString()), &decoded); err != nil {
			return v.AsString()
		}
	} else {
		decoded = resource.ToResourcePropertyValue(v).Mappable()
	}
	out, err := json.Marshal(decoded)
	if err != nil {
		return v.GoString()
	}
	return string(out)
}
