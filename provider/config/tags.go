package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// The provider's tag settings, as pulumi-aws (and terraform-provider-aws)
// have them: `defaultTags` stamps tags on every resource of the provider, and
// `ignoreTags` names tags that other tooling puts on resources, which smx
// neither reports nor changes. The resources apply them through
// TagSettings (provider/secretsmanager/tags.go merges and splits a secret's
// tags with it).

// ProviderDefaultTags is pulumi-aws's `defaultTags` block.
type ProviderDefaultTags struct {
	Tags map[string]string `pulumi:"tags,optional"`
}

// ProviderIgnoreTags is pulumi-aws's `ignoreTags` block.
type ProviderIgnoreTags struct {
	Keys        []string `pulumi:"keys,optional"`
	KeyPrefixes []string `pulumi:"keyPrefixes,optional"`
}

func (d *ProviderDefaultTags) Annotate(a infer.Annotator) {
	a.Describe(&d.Tags, "Tags to put on every resource of this provider. A resource's own `tags` win on the same key.")
}

func (i *ProviderIgnoreTags) Annotate(a infer.Annotator) {
	a.Describe(&i.Keys, "Tag keys that no resource of this provider reports or changes.")
	a.Describe(&i.KeyPrefixes, "Tag key prefixes: a tag whose key starts with one of them is neither reported nor changed.")
}

// tagKeys are the configuration keys of this file.
var tagKeys = []string{"defaultTags", "ignoreTags"}

func (c *Config) annotateTags(a infer.Annotator) {
	a.Describe(&c.DefaultTags, "Tags every resource of this provider gets, as in pulumi-aws: `{tags: {team: payments}}`. "+
		"They are merged into each secret's tags, its own `tags` winning on the same key, and show in `tagsAll`, not in "+
		"`tags`. Changing them updates every secret in place. They count against the 50 tags a secret may hold.")
	a.Describe(&c.IgnoreTags, "Tags that other tooling puts on resources and that this provider leaves alone, as in "+
		"pulumi-aws: `{keys: [...], keyPrefixes: [...]}`. They never show as drift, are never removed or added, and are "+
		"in neither `tags` nor `tagsAll`.")
}

// tagSettingsGiven says which tag settings a decoded configuration sets.
func (c *Config) tagSettingsGiven() map[string]bool {
	return map[string]bool{"defaultTags": c.DefaultTags != nil, "ignoreTags": c.IgnoreTags != nil}
}

// The rules of AWS's tags (TagResource: "Maximum key length: 127 Unicode
// characters", "Maximum value length: 255", the aws: prefix reserved), which
// a resource's `tags` and the provider's `defaultTags` obey alike.
const (
	MaxTagKeyLength   = 127
	MaxTagValueLength = 255
	// ReservedTagPrefix starts the keys of the tags smx sets itself (the
	// owner tag, provider/secretsmanager/ownership.go).
	ReservedTagPrefix = "smx:"
)

// IsAWSTagKey tells a key with the prefix AWS reserves for its own tags
// ("aws:", in any case): nobody else may set or remove such a tag.
func IsAWSTagKey(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), "aws:")
}

var tagChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// ValidTagKey says why key cannot be the key of a tag smx sets, or nil.
func ValidTagKey(key string) error {
	length := utf8.RuneCountInString(key)
	switch {
	case key == "" || length > MaxTagKeyLength:
		return fmt.Errorf("tag key %q must be 1 to %d characters long, got %d", key, MaxTagKeyLength, length)
	case IsAWSTagKey(key):
		return fmt.Errorf("tag key %q uses the prefix \"aws:\", which AWS reserves for its own tags", key)
	case strings.HasPrefix(strings.ToLower(key), ReservedTagPrefix):
		return fmt.Errorf("tag key %q uses the prefix %q, which smx reserves for its own tag", key, ReservedTagPrefix)
	case !tagChars.MatchString(key):
		return fmt.Errorf("tag key %q may contain only letters, digits, spaces and _.:/=+-@", key)
	}
	return nil
}

// ValidTagValue says why value cannot be the value of tag key, or nil.
func ValidTagValue(key, value string) error {
	length := utf8.RuneCountInString(value)
	switch {
	case length > MaxTagValueLength:
		return fmt.Errorf("the value of tag %q must be at most %d characters long, got %d", key, MaxTagValueLength, length)
	case !tagChars.MatchString(value):
		return fmt.Errorf("the value of tag %q may contain only letters, digits, spaces and _.:/=+-@", key)
	}
	return nil
}

// MaxTags is AWS's limit of tags on one secret.
const MaxTags = 50

// tagProblems are the tag settings that break a rule, for Check and Configure.
func (c *Config) tagProblems(s map[string]setting) []p.CheckFailure {
	var failures []p.CheckFailure
	fail := func(key, format string, args ...any) {
		failures = append(failures, p.CheckFailure{Property: key, Reason: "smx:" + key + " " + fmt.Sprintf(format, args...)})
	}
	settings := c.TagSettings()
	if s["defaultTags"].given && s["defaultTags"].known {
		defaults := settings.Defaults
		if len(defaults) > MaxTags {
			fail("defaultTags", "may hold at most %d tags (AWS's limit on one secret, which default tags count "+
				"against), got %d", MaxTags, len(defaults))
		}
		for _, key := range slices.Sorted(maps.Keys(defaults)) {
			if err := ValidTagKey(key); err != nil {
				fail("defaultTags", "tags: %v", err)
			} else if err := ValidTagValue(key, defaults[key]); err != nil {
				fail("defaultTags", "tags: %v", err)
			}
			if s["ignoreTags"].known && settings.Ignores(key) {
				fail("defaultTags", "tags: tag key %q is also ignored by smx:ignoreTags, so it would never be set: "+
					"remove it from one of them", key)
			}
		}
	}
	if s["ignoreTags"].given && s["ignoreTags"].known && c.IgnoreTags != nil {
		for i, key := range c.IgnoreTags.Keys {
			if key == "" {
				fail("ignoreTags", "keys[%d] is empty: name a tag key to ignore, or remove the entry", i)
			}
		}
		for i, prefix := range c.IgnoreTags.KeyPrefixes {
			if prefix == "" {
				fail("ignoreTags", "keyPrefixes[%d] is empty: an empty prefix would ignore every tag; name a prefix, "+
					"or remove the entry", i)
			}
		}
	}
	return failures
}

// TagSettings are the provider's tag settings as resources apply them. The
// zero value sets no tags and ignores none.
type TagSettings struct {
	// Defaults are the tags every resource gets (smx:defaultTags).
	Defaults map[string]string
	// IgnoredKeys and IgnoredKeyPrefixes name the tags no resource reports
	// or changes (smx:ignoreTags).
	IgnoredKeys        []string
	IgnoredKeyPrefixes []string
}

// TagSettings are this configuration's tag settings.
func (c Config) TagSettings() TagSettings {
	var t TagSettings
	if c.DefaultTags != nil {
		t.Defaults = c.DefaultTags.Tags
	}
	if c.IgnoreTags != nil {
		t.IgnoredKeys, t.IgnoredKeyPrefixes = c.IgnoreTags.Keys, c.IgnoreTags.KeyPrefixes
	}
	return t
}

// Ignores reports whether smx:ignoreTags names key. Keys compare exactly,
// as AWS's tag keys are case-sensitive and terraform-provider-aws compares
// them so (tftags.KeyValueTags.IgnoreConfig).
func (t TagSettings) Ignores(key string) bool {
	if slices.Contains(t.IgnoredKeys, key) {
		return true
	}
	for _, prefix := range t.IgnoredKeyPrefixes {
		if prefix != "" && strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// Visible is tags without the ignored ones: what smx reports of, and
// changes on, a resource.
func (t TagSettings) Visible(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if !t.Ignores(k) {
			out[k] = v
		}
	}
	return out
}

// All is the tags a resource whose own tags are tags carries: the default
// tags, overridden by its own on the same key, without the ignored ones
// (terraform-provider-aws: DefaultConfig.MergeTags, then IgnoreConfig).
func (t TagSettings) All(tags map[string]string) map[string]string {
	all := make(map[string]string, len(t.Defaults)+len(tags))
	maps.Copy(all, t.Defaults)
	maps.Copy(all, tags)
	return t.Visible(all)
}

// Own is the part of a resource's visible live tags (all) that are its own
// `tags`: every tag, except a default tag with the default's value that the
// program does not set itself (programKeys). terraform-provider-aws drops
// every default tag with the default's value (RemoveDefaultConfig), which
// makes a program that sets a default tag to the default's value diff for
// ever; with the program's keys at hand smx keeps those.
func (t TagSettings) Own(all map[string]string, programKeys map[string]string) map[string]string {
	out := make(map[string]string, len(all))
	for k, v := range all {
		_, inProgram := programKeys[k]
		if d, isDefault := t.Defaults[k]; isDefault && d == v && !inProgram {
			continue
		}
		out[k] = v
	}
	return out
}

// tagShapeProblems reports tag settings of the wrong shape, which decoding
// would otherwise pass over in silence: `smx:defaultTags: {team: x}` (the
// tags without their `tags` block) would set no tag at all, and a misspelt
// `ignoreTags.key` would ignore none.
func tagShapeProblems(given property.Map) []p.CheckFailure {
	var failures []p.CheckFailure
	fields := map[string][]string{"defaultTags": {"tags"}, "ignoreTags": {"keys", "keyPrefixes"}}
	for _, key := range tagKeys {
		v, ok := given.GetOk(key)
		if !ok || v.IsNull() || v.IsComputed() {
			continue
		}
		want := fields[key]
		shape := "{" + strings.Join(want, ": ..., ") + ": ...}"
		if !v.IsMap() {
			failures = append(failures, p.CheckFailure{Property: key,
				Reason: fmt.Sprintf("smx:%s must be an object %s, as in pulumi-aws", key, shape)})
			continue
		}
		for _, field := range slices.Sorted(maps.Keys(v.AsMap().AsMap())) {
			if !slices.Contains(want, field) {
				failures = append(failures, p.CheckFailure{Property: key,
					Reason: fmt.Sprintf("smx:%s has no field %q: it is an object %s, as in pulumi-aws", key, field, shape)})
			}
		}
	}
	return failures
}
