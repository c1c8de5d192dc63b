package fakesm

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

// Operations that list secrets and versions, and GetRandomPassword.
const (
	OpListSecrets          = "ListSecrets"
	OpListSecretVersionIds = "ListSecretVersionIds" //nolint:revive // the API operation's own name
	OpGetRandomPassword    = "GetRandomPassword"
)

// punctuation is the set GetRandomPassword draws punctuation from.
const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// ListSecrets lists secrets in the order SortBy and SortOrder ask (by
// default by CreatedDate, oldest first: see sortSecrets), filtered as the API reference
// describes (name, description, tag-key, tag-value, primary-region, all:
// prefix matches; a leading "!" negates), in pages of MaxResults (default
// 100) with a NextToken. Secrets scheduled for deletion are listed only with
// IncludePlannedDeletion.
func (f *Fake) ListSecrets(ctx context.Context, in *sm.ListSecretsInput, _ ...func(*sm.Options)) (*sm.ListSecretsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpListSecrets, in); err != nil {
		return nil, err
	}
	if err := validateFilters(in.Filters); err != nil {
		return nil, err
	}
	var matched []*secret
	for _, s := range f.secrets {
		if s.deletedDate != nil && !aws.ToBool(in.IncludePlannedDeletion) {
			continue
		}
		if matchesFilters(s, in.Filters, f.region) {
			matched = append(matched, s)
		}
	}
	if err := sortSecrets(matched, in.SortBy, in.SortOrder); err != nil {
		return nil, err
	}
	start, end, next, err := page(len(matched), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &sm.ListSecretsOutput{NextToken: next}
	for _, s := range matched[start:end] {
		created, changed := s.created, s.lastChanged
		entry := types.SecretListEntry{
			ARN: aws.String(s.arn), Name: aws.String(s.name), CreatedDate: &created, LastChangedDate: &changed,
			Tags: toTags(s.tags), SecretVersionsToStages: s.versionsToStages(),
			LastAccessedDate: lastAccessedDate(s.lastAccessed),
		}
		if s.description != "" {
			entry.Description = aws.String(s.description)
		}
		if s.kmsKeyID != "" {
			entry.KmsKeyId = aws.String(s.kmsKeyID)
		}
		if s.partnerType != "" {
			entry.Type = aws.String(s.partnerType)
		}
		if s.deletedDate != nil {
			d := *s.deletedDate
			entry.DeletedDate = &d
		}
		out.SecretList = append(out.SecretList, entry)
	}
	return out, nil
}

// sortSecrets orders secrets as ListSecrets' SortBy and SortOrder ask. The
// API reference says "If not specified, secrets are listed by CreatedDate"
// but not in which direction; the fake lists the oldest first (as moto
// does, in the order it holds them), and SortOrder desc the newest first.
// Ties keep the order the secrets were created in. secrets is in that order.
func sortSecrets(secrets []*secret, by types.SortByType, order types.SortOrderType) error {
	if by != "" && !slices.Contains(by.Values(), by) {
		return &smithy.GenericAPIError{Code: "ValidationException", Message: fmt.Sprintf(
			"1 validation error detected: Value '%s' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: %v", by, by.Values())}
	}
	if order != "" && !slices.Contains(order.Values(), order) {
		return &smithy.GenericAPIError{Code: "ValidationException", Message: fmt.Sprintf(
			"1 validation error detected: Value '%s' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: %v", order, order.Values())}
	}
	day := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{} // never read: before every read
		}
		return *t
	}
	compare := func(a, b *secret) int { return a.created.Compare(b.created) }
	switch by {
	case types.SortByTypeName:
		compare = func(a, b *secret) int { return strings.Compare(a.name, b.name) }
	case types.SortByTypeLastChangedDate:
		compare = func(a, b *secret) int { return a.lastChanged.Compare(b.lastChanged) }
	case types.SortByTypeLastAccessedDate:
		compare = func(a, b *secret) int { return day(a.lastAccessed).Compare(day(b.lastAccessed)) }
	}
	if order == types.SortOrderTypeDesc {
		ascending := compare
		compare = func(a, b *secret) int { return ascending(b, a) }
	}
	slices.SortStableFunc(secrets, compare)
	return nil
}

// validateFilters refuses a filter key outside the API's enum
// (FilterNameStringType), as AWS's input validation does: with a
// ValidationException, an error the SDK does not model.
func validateFilters(filters []types.Filter) error {
	for i, filter := range filters {
		if !slices.Contains(filter.Key.Values(), filter.Key) {
			return &smithy.GenericAPIError{Code: "ValidationException", Message: fmt.Sprintf(
				"1 validation error detected: Value '%s' at 'filters.%d.member.key' failed to satisfy constraint: Member must satisfy enum value set: %v",
				filter.Key, i+1, filter.Key.Values())}
		}
	}
	return nil
}

// matchesFilters applies ListSecrets filters: a secret must pass every
// filter; it passes a filter when one of its values matches (a value with a
// leading "!" must not match).
func matchesFilters(s *secret, filters []types.Filter, region string) bool {
	for _, filter := range filters {
		var positive, matched bool
		for _, value := range filter.Values {
			value, negated := strings.CutPrefix(value, "!")
			hit := matchesFilter(s, filter.Key, value, region)
			if negated && hit {
				return false
			}
			if !negated {
				positive = true
				matched = matched || hit
			}
		}
		if positive && !matched {
			return false
		}
	}
	return true
}

// matchesFilter is a prefix match: case-sensitive for names, tags and the
// region, case-insensitive for descriptions and "all", as the API reference
// describes.
func matchesFilter(s *secret, key types.FilterNameStringType, value, region string) bool {
	prefix := func(fold bool, candidates ...string) bool {
		for _, c := range candidates {
			if fold && strings.HasPrefix(strings.ToLower(c), strings.ToLower(value)) || strings.HasPrefix(c, value) {
				return true
			}
		}
		return false
	}
	keys, values := slices.Collect(maps.Keys(s.tags)), slices.Collect(maps.Values(s.tags))
	switch key {
	case types.FilterNameStringTypeName:
		return prefix(false, s.name)
	case types.FilterNameStringTypeDescription:
		return prefix(true, s.description)
	case types.FilterNameStringTypeTagKey:
		return prefix(false, keys...)
	case types.FilterNameStringTypeTagValue:
		return prefix(false, values...)
	case types.FilterNameStringTypePrimaryRegion:
		return prefix(false, region)
	case types.FilterNameStringTypeAll:
		return prefix(true, append(append([]string{s.name, s.description}, keys...), values...)...)
	}
	return false
}

// ListSecretVersionIds lists a secret's versions that carry a staging label
// (with IncludeDeprecated, also the unlabeled ones AWS has not collected
// yet), newest first, in pages.
func (f *Fake) ListSecretVersionIds(ctx context.Context, in *sm.ListSecretVersionIdsInput, _ ...func(*sm.Options)) (*sm.ListSecretVersionIdsOutput, error) { //nolint:revive // implements the SDK's method
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOn(ctx, OpListSecretVersionIds, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	var versions []*version
	for _, v := range s.versions {
		if len(v.stages) > 0 || aws.ToBool(in.IncludeDeprecated) {
			versions = append(versions, v)
		}
	}
	slices.SortFunc(versions, func(a, b *version) int { return b.seq - a.seq })
	start, end, next, err := page(len(versions), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &sm.ListSecretVersionIdsOutput{ARN: aws.String(s.arn), Name: aws.String(s.name), NextToken: next}
	for _, v := range versions[start:end] {
		created := v.created
		out.Versions = append(out.Versions, types.SecretVersionsListEntry{
			VersionId: aws.String(v.id), VersionStages: slices.Clone(v.stages), CreatedDate: &created,
			LastAccessedDate: lastAccessedDate(v.lastAccessed),
		})
	}
	return out, nil
}

// page returns the slice bounds of one page and the token of the next.
func page(total int, maxResults *int32, token *string) (start, end int, next *string, err error) {
	size := 100
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > 100 {
			return 0, 0, nil, invalidParameter("MaxResults must be between 1 and 100.")
		}
		size = int(*maxResults)
	}
	if token != nil {
		start, err = strconv.Atoi(*token)
		if err != nil || start < 0 || start > total {
			return 0, 0, nil, invalidParameter("Invalid NextToken.")
		}
	}
	end = min(start+size, total)
	if end < total {
		next = aws.String(strconv.Itoa(end))
	}
	return start, end, next, nil
}

// GetRandomPassword draws a password as the API reference describes:
// PasswordLength 1–4096 (default 32), letters, digits and punctuation unless
// excluded, a space only with IncludeSpace, ExcludeCharacters removed, and
// (by default) at least one character of each included type.
func (f *Fake) GetRandomPassword(ctx context.Context, in *sm.GetRandomPasswordInput, _ ...func(*sm.Options)) (*sm.GetRandomPasswordOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpGetRandomPassword, in); err != nil {
		return nil, err
	}
	length := int64(32)
	if in.PasswordLength != nil {
		length = *in.PasswordLength
	}
	if length < 1 || length > 4096 {
		return nil, invalidParameter("PasswordLength must be between 1 and 4096.")
	}
	exclude := aws.ToString(in.ExcludeCharacters)
	keep := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(exclude, r) {
				return -1
			}
			return r
		}, set)
	}
	var classes []string
	for _, c := range []struct {
		excluded *bool
		set      string
	}{
		{in.ExcludeLowercase, "abcdefghijklmnopqrstuvwxyz"},
		{in.ExcludeUppercase, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{in.ExcludeNumbers, "0123456789"},
		{in.ExcludePunctuation, punctuation},
	} {
		if !aws.ToBool(c.excluded) {
			if set := keep(c.set); set != "" {
				classes = append(classes, set)
			}
		}
	}
	if aws.ToBool(in.IncludeSpace) && !strings.ContainsRune(exclude, ' ') {
		classes = append(classes, " ")
	}
	if len(classes) == 0 {
		return nil, invalidParameter("The password must be allowed to contain some characters.")
	}
	requireEach := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if requireEach && int64(len(classes)) > length {
		return nil, invalidParameter("PasswordLength is too short to include each required character type.")
	}
	all := strings.Join(classes, "")
	password := make([]byte, length)
	for i := range password {
		password[i] = randomChar(all)
	}
	if requireEach {
		for i, class := range classes {
			password[i] = randomChar(class)
		}
		shuffle(password)
	}
	return &sm.GetRandomPasswordOutput{RandomPassword: aws.String(string(password))}, nil
}

func randomChar(set string) byte {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return set[n.Int64()]
}

func shuffle(b []byte) {
	for i := len(b) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic(err)
		}
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
}
