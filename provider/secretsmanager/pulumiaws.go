package secretsmanager

import (
	"maps"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// A stack that pulumi-aws created moves to smx in place: each smx resource
// has a schema alias to the pulumi-aws type it stands in for, so the engine
// matches the old resource to the new one, asks smx's DiffConfig whether the
// provider change needs a replacement, and then hands smx's Diff (and later
// Update, Read or Delete) the state pulumi-aws wrote. That state is shaped by
// the Terraform bridge, not by smx: bookkeeping keys (`__meta`, `__defaults`,
// `id`), empty strings, lists and maps for everything unset, keys smx does
// not have, and SecretRotation's rules as a one-element list in some
// versions. This file is the one place that knows that shape; the resources
// only ever see smx's own.

// PulumiAWSTypes maps each smx resource to the pulumi-aws resource it
// replaces. RotationSchedule has no pulumi-aws twin: SecretRotation is the
// same resource under pulumi-aws's name.
var PulumiAWSTypes = map[tokens.Type]tokens.Type{
	"smx:secretsmanager:Secret":         "aws:secretsmanager/secret:Secret",
	"smx:secretsmanager:SecretVersion":  "aws:secretsmanager/secretVersion:SecretVersion",
	"smx:secretsmanager:SecretRotation": "aws:secretsmanager/secretRotation:SecretRotation",
	"smx:secretsmanager:SecretPolicy":   "aws:secretsmanager/secretPolicy:SecretPolicy",
	"smx:secretsmanager:Tag":            "aws:secretsmanager/tag:Tag",
}

// bridgeKeys are what the Terraform bridge records besides a resource's own
// properties: `__meta` (Terraform's schema version and timeouts) and `id`
// in outputs, `__defaults` (the inputs it filled in) in inputs.
var bridgeKeys = []string{"__meta", "__defaults", "id"}

// shape is what smx records for one resource type: the names of its inputs
// and of its state, and which state properties are always present.
type shape struct {
	inputs, state map[string]bool
	required      map[string]bool
	// rotationRules is SecretRotation's nested object, which some pulumi-aws
	// versions write as a one-element list with zeros and empty strings for
	// the rules not used.
	rotationRules bool
}

var shapes = map[tokens.Type]shape{
	"smx:secretsmanager:Secret":           shapeOf[SecretArgs, SecretState](false),
	"smx:secretsmanager:SecretVersion":    shapeOf[SecretVersionArgs, SecretVersionState](false),
	"smx:secretsmanager:SecretRotation":   shapeOf[RotationScheduleArgs, RotationScheduleState](true),
	"smx:secretsmanager:RotationSchedule": shapeOf[RotationScheduleArgs, RotationScheduleState](true),
	"smx:secretsmanager:SecretPolicy":     shapeOf[SecretPolicyArgs, SecretPolicyState](false),
	"smx:secretsmanager:Tag":              shapeOf[TagArgs, TagState](false),
}

// PulumiAWSMarker tells state written by pulumi-aws (through the Terraform
// bridge) from smx's own, which never holds the bridge's keys: it returns
// the first such key found, and whether it is in the inputs.
func PulumiAWSMarker(state, inputs property.Map) (key string, inInputs, found bool) {
	for _, key := range bridgeKeys {
		if _, ok := state.GetOk(key); ok {
			return key, false, true
		}
		if _, ok := inputs.GetOk(key); ok {
			return key, true, true
		}
	}
	return "", false, false
}

// FromPulumiAWSState rewrites the state pulumi-aws recorded for a resource
// into the shape smx records for the smx resource token: every form of
// "unset" the bridge writes becomes absent, as smx writes it, so that a
// program unchanged but for its import line diffs as no change. State that
// smx wrote passes through unchanged.
func FromPulumiAWSState(token tokens.Type, state property.Map) property.Map {
	s, ok := shapes[token]
	if !ok {
		return state
	}
	out := normalized(state, s.state, s.required, s.rotationRules)
	if token == "smx:secretsmanager:Secret" {
		if _, ok := out.GetOk("tagsAll"); !ok {
			// smx always records tagsAll; pulumi-aws leaves it out when empty.
			out = out.Set("tagsAll", property.New(map[string]property.Value{}))
		}
	}
	return out
}

// FromPulumiAWSInputs does for recorded inputs what FromPulumiAWSState does
// for state.
func FromPulumiAWSInputs(token tokens.Type, inputs property.Map) property.Map {
	s, ok := shapes[token]
	if !ok {
		return inputs
	}
	return normalized(inputs, s.inputs, nil, s.rotationRules)
}

// normalized keeps the properties smx knows and drops the bridge's forms of
// "unset": empty strings, lists and maps. Nothing smx itself records is
// changed by it: smx writes unset properties as absent.
func normalized(m property.Map, known, required map[string]bool, rotationRules bool) property.Map {
	out := map[string]property.Value{}
	for key, value := range m.All {
		if !known[key] {
			continue
		}
		if key == "rotationRules" && rotationRules {
			value = rotationRulesObject(value)
		}
		value = withoutEmptyFields(value)
		if isUnsetForm(value) && !required[key] {
			continue
		}
		out[key] = value
	}
	return property.NewMap(out)
}

// isUnsetForm is how the bridge writes an optional property nobody set.
func isUnsetForm(v property.Value) bool {
	switch {
	case v.IsNull():
		return true
	case v.IsString():
		return v.AsString() == ""
	case v.IsArray():
		return v.AsArray().Len() == 0
	case v.IsMap():
		return v.AsMap().Len() == 0
	}
	return false
}

// withoutEmptyFields drops the empty strings and the bridge's keys inside
// the objects of a value (a replica's unset kmsKeyId, for example), keeping
// its secretness.
func withoutEmptyFields(v property.Value) property.Value {
	switch {
	case v.IsMap():
		fields := map[string]property.Value{}
		for key, field := range v.AsMap().All {
			if strings.HasPrefix(key, "__") {
				continue // the bridge's bookkeeping inside nested objects (`__defaults`)
			}
			field = withoutEmptyFields(field)
			if field.IsString() && field.AsString() == "" || field.IsNull() {
				continue
			}
			fields[key] = field
		}
		return property.New(fields).WithSecret(v.Secret())
	case v.IsArray():
		items := make([]property.Value, 0, v.AsArray().Len())
		for _, item := range v.AsArray().All {
			items = append(items, withoutEmptyFields(item))
		}
		return property.New(items).WithSecret(v.Secret())
	}
	return v
}

// rotationRulesObject turns the one-element list some pulumi-aws versions
// record into smx's object, and drops the zero days the bridge writes when
// a schedule expression is used instead.
func rotationRulesObject(v property.Value) property.Value {
	if v.IsArray() {
		if v.AsArray().Len() == 0 {
			return property.New(map[string]property.Value{})
		}
		v = v.AsArray().Get(0)
	}
	if !v.IsMap() {
		return v
	}
	rules := v.AsMap()
	if days, ok := rules.GetOk("automaticallyAfterDays"); ok && days.IsNumber() && days.AsNumber() == 0 {
		rules = rules.Delete("automaticallyAfterDays")
	}
	return property.New(rules).WithSecret(v.Secret())
}

// shapeOf reads a resource's property names from the `pulumi:"..."` tags of
// its input and state types, so the shape never drifts from the code.
func shapeOf[I, S any](rotationRules bool) shape {
	inputs, _ := propertyNames(reflect.TypeFor[I]())
	state, required := propertyNames(reflect.TypeFor[S]())
	return shape{inputs: inputs, state: state, required: required, rotationRules: rotationRules}
}

func propertyNames(t reflect.Type) (names, required map[string]bool) {
	names, required = map[string]bool{}, map[string]bool{}
	for field := range t.Fields() {
		if field.Anonymous {
			// An embedded struct contributes its own properties.
			embedded, embeddedRequired := propertyNames(field.Type)
			maps.Copy(names, embedded)
			maps.Copy(required, embeddedRequired)
			continue
		}
		tag, ok := field.Tag.Lookup("pulumi")
		if !ok {
			continue
		}
		name, options, _ := strings.Cut(tag, ",")
		names[name] = true
		if !strings.Contains(options, "optional") {
			required[name] = true
		}
	}
	return names, required
}
