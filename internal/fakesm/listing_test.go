package fakesm_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// ---------------------------------------------------------------------------
// ListSecrets

// listFixture creates secrets with descriptions and tags, and one scheduled
// for deletion, and returns their ARNs by name.
func listFixture(t *testing.T, f *fakesm.Fake) map[string]string {
	t.Helper()
	arns := map[string]string{}
	for _, s := range []struct {
		name, description string
		tags              map[string]string
	}{
		{"prod/db", "Production database", map[string]string{"env": "prod", "team": "core"}},
		{"prod/api", "Production API key", map[string]string{"env": "prod"}},
		{"dev/db", "Development database", map[string]string{"env": "dev", "team": "core"}},
		{"shared", "", nil},
	} {
		in := &sm.CreateSecretInput{Name: aws.String(s.name)}
		if s.description != "" {
			in.Description = aws.String(s.description)
		}
		for k, v := range s.tags {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		out, err := f.CreateSecret(t.Context(), in)
		require.NoError(t, err)
		arns[s.name] = aws.ToString(out.ARN)
	}
	gone := create(t, f, "prod/old", nil)
	_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: gone.ARN})
	require.NoError(t, err)
	arns["prod/old"] = aws.ToString(gone.ARN)
	return arns
}

func listNames(t *testing.T, f *fakesm.Fake, in *sm.ListSecretsInput) []string {
	t.Helper()
	out, err := f.ListSecrets(t.Context(), in)
	require.NoError(t, err)
	names := []string{}
	for _, s := range out.SecretList {
		names = append(names, aws.ToString(s.Name))
	}
	return names
}

func listFilter(key types.FilterNameStringType, values ...string) types.Filter {
	return types.Filter{Key: key, Values: values}
}

func TestListSecretsFilters(t *testing.T) {
	f := fakesm.New(fakesm.WithRegion("eu-west-1"))
	listFixture(t, f)
	for name, tc := range map[string]struct {
		filters []types.Filter
		want    []string
	}{
		"none, oldest first":            {nil, []string{"prod/db", "prod/api", "dev/db", "shared"}},
		"name prefix":                   {[]types.Filter{listFilter(types.FilterNameStringTypeName, "prod/")}, []string{"prod/db", "prod/api"}},
		"name is a prefix, not a match": {[]types.Filter{listFilter(types.FilterNameStringTypeName, "db")}, []string{}},
		"description, not case-sensitive": {[]types.Filter{listFilter(types.FilterNameStringTypeDescription, "production")},
			[]string{"prod/db", "prod/api"}},
		"tag-key":   {[]types.Filter{listFilter(types.FilterNameStringTypeTagKey, "team")}, []string{"prod/db", "dev/db"}},
		"tag-value": {[]types.Filter{listFilter(types.FilterNameStringTypeTagValue, "de")}, []string{"dev/db"}},
		"primary-region": {[]types.Filter{listFilter(types.FilterNameStringTypePrimaryRegion, "eu-west")},
			[]string{"prod/db", "prod/api", "dev/db", "shared"}},
		"other region": {[]types.Filter{listFilter(types.FilterNameStringTypePrimaryRegion, "us-")}, []string{}},
		"all":          {[]types.Filter{listFilter(types.FilterNameStringTypeAll, "core")}, []string{"prod/db", "dev/db"}},
		"negation":     {[]types.Filter{listFilter(types.FilterNameStringTypeName, "!prod/")}, []string{"dev/db", "shared"}},
		"negated tag":  {[]types.Filter{listFilter(types.FilterNameStringTypeTagKey, "!team")}, []string{"prod/api", "shared"}},
		"filters are ANDed": {[]types.Filter{listFilter(types.FilterNameStringTypeName, "prod/"), listFilter(types.FilterNameStringTypeTagKey, "team")},
			[]string{"prod/db"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, listNames(t, f, &sm.ListSecretsInput{Filters: tc.filters}))
		})
	}
}

func TestListSecretsEntries(t *testing.T) {
	f := fakesm.New()
	arns := listFixture(t, f)
	put(t, f, "prod/db", "value-one")
	require.NoError(t, f.SetKmsKeyID("prod/db", "alias/app"))

	out, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{Filters: []types.Filter{listFilter(types.FilterNameStringTypeName, "prod/db")}})
	require.NoError(t, err)
	require.Len(t, out.SecretList, 1)
	e := out.SecretList[0]
	assert.Equal(t, arns["prod/db"], aws.ToString(e.ARN))
	assert.Equal(t, "Production database", aws.ToString(e.Description))
	assert.Equal(t, "alias/app", aws.ToString(e.KmsKeyId))
	assert.NotNil(t, e.CreatedDate)
	assert.NotNil(t, e.LastChangedDate)
	assert.Nil(t, e.DeletedDate)
	assert.Len(t, e.Tags, 2)
	require.Len(t, e.SecretVersionsToStages, 1)
	for _, stages := range e.SecretVersionsToStages {
		assert.Equal(t, []string{fakesm.StageCurrent}, stages)
	}
	assert.Nil(t, out.NextToken)
	assert.NotContains(t, fmt.Sprintf("%+v", out), "value-one", "a listing never carries values")
}

func TestListSecretsScheduledForDeletion(t *testing.T) {
	f := fakesm.New()
	arns := listFixture(t, f)
	assert.NotContains(t, listNames(t, f, &sm.ListSecretsInput{}), "prod/old", "hidden by default")

	out, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true),
		Filters: []types.Filter{listFilter(types.FilterNameStringTypeName, "prod/old")}})
	require.NoError(t, err)
	require.Len(t, out.SecretList, 1)
	assert.Equal(t, arns["prod/old"], aws.ToString(out.SecretList[0].ARN))
	assert.NotNil(t, out.SecretList[0].DeletedDate)
}

func TestListSecretsPaging(t *testing.T) {
	f := fakesm.New()
	for i := range 250 {
		create(t, f, fmt.Sprintf("s%03d", i), nil)
	}
	// Default page size 100.
	out, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{})
	require.NoError(t, err)
	assert.Len(t, out.SecretList, 100)
	require.NotNil(t, out.NextToken)

	// Explicit page size; every secret exactly once, in order.
	var names []string
	var token *string
	pages := 0
	for {
		out, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{MaxResults: aws.Int32(40), NextToken: token})
		require.NoError(t, err)
		pages++
		for _, s := range out.SecretList {
			names = append(names, aws.ToString(s.Name))
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	assert.Equal(t, 7, pages)
	require.Len(t, names, 250)
	for i, n := range names {
		assert.Equal(t, fmt.Sprintf("s%03d", i), n)
	}

	// The SDK's paginator reads every page.
	count := 0
	paginator := sm.NewListSecretsPaginator(f, &sm.ListSecretsInput{})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(t.Context())
		require.NoError(t, err)
		count += len(page.SecretList)
	}
	assert.Equal(t, 250, count)

	// Paging applies after filtering.
	out, err = f.ListSecrets(t.Context(), &sm.ListSecretsInput{MaxResults: aws.Int32(5),
		Filters: []types.Filter{listFilter(types.FilterNameStringTypeName, "s24")}})
	require.NoError(t, err)
	assert.Len(t, out.SecretList, 5)
	require.NotNil(t, out.NextToken)
	out, err = f.ListSecrets(t.Context(), &sm.ListSecretsInput{MaxResults: aws.Int32(5), NextToken: out.NextToken,
		Filters: []types.Filter{listFilter(types.FilterNameStringTypeName, "s24")}})
	require.NoError(t, err)
	assert.Len(t, out.SecretList, 5)
	assert.Nil(t, out.NextToken)
}

func TestListSecretsInvalidPaging(t *testing.T) {
	f := fakesm.New()
	create(t, f, "one", nil)
	for name, in := range map[string]*sm.ListSecretsInput{
		"MaxResults 0":   {MaxResults: aws.Int32(0)},
		"MaxResults 101": {MaxResults: aws.Int32(101)},
		"bad token":      {NextToken: aws.String("not-a-token")},
		"token too far":  {NextToken: aws.String("999")},
		"negative token": {NextToken: aws.String("-1")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.ListSecrets(t.Context(), in)
			requireErrorAs[*types.InvalidParameterException](t, err)
		})
	}
	out, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	assert.Len(t, out.SecretList, 1)
}

// ---------------------------------------------------------------------------
// ListSecretVersionIds

func TestListSecretVersionIds(t *testing.T) {
	c := newClock()
	f := fakesm.New(fakesm.WithClock(c.Now))
	first := create(t, f, "app", aws.String("v1"))
	c.Advance(1)
	second := put(t, f, "app", "v2")
	c.Advance(1)
	third := put(t, f, "app", "v3")
	c.Advance(1)
	pending := put(t, f, "app", "v4", "AWSPENDING")

	out, err := f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: aws.String("app")})
	require.NoError(t, err)
	assert.Equal(t, aws.ToString(first.ARN), aws.ToString(out.ARN))
	assert.Equal(t, "app", aws.ToString(out.Name))
	assert.Nil(t, out.NextToken)
	var ids []string
	stages := map[string][]string{}
	for _, v := range out.Versions {
		ids = append(ids, aws.ToString(v.VersionId))
		stages[aws.ToString(v.VersionId)] = v.VersionStages
		assert.NotNil(t, v.CreatedDate)
	}
	// Labelled versions only, newest first; the first version lost its labels.
	assert.Equal(t, []string{aws.ToString(pending.VersionId), aws.ToString(third.VersionId), aws.ToString(second.VersionId)}, ids)
	assert.Equal(t, []string{"AWSPENDING"}, stages[aws.ToString(pending.VersionId)])
	assert.Equal(t, []string{fakesm.StageCurrent}, stages[aws.ToString(third.VersionId)])
	assert.Equal(t, []string{fakesm.StagePrevious}, stages[aws.ToString(second.VersionId)])

	out, err = f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: first.ARN, IncludeDeprecated: aws.Bool(true)})
	require.NoError(t, err)
	require.Len(t, out.Versions, 4, "deprecated (unlabelled) versions too")
	last := out.Versions[3]
	assert.Equal(t, aws.ToString(first.VersionId), aws.ToString(last.VersionId))
	assert.Empty(t, last.VersionStages)
	assert.NotContains(t, fmt.Sprintf("%+v", out), "v1", "a listing never carries values")
}

func TestListSecretVersionIdsPagingAndErrors(t *testing.T) {
	f := fakesm.New()
	create(t, f, "busy", aws.String("v0"))
	for i := range 120 {
		_, err := f.PutValueOutOfBand("busy", fmt.Sprintf("v%d", i+1))
		require.NoError(t, err)
	}
	// Every version is younger than 24 hours, so none is collected.
	seen := map[string]bool{}
	paginator := sm.NewListSecretVersionIdsPaginator(f, &sm.ListSecretVersionIdsInput{
		SecretId: aws.String("busy"), IncludeDeprecated: aws.Bool(true),
	})
	pages := 0
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(t.Context())
		require.NoError(t, err)
		pages++
		for _, v := range page.Versions {
			assert.False(t, seen[aws.ToString(v.VersionId)], "each version once")
			seen[aws.ToString(v.VersionId)] = true
		}
	}
	assert.Equal(t, 2, pages)
	assert.Len(t, seen, 121)

	_, err := f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: aws.String("busy"), MaxResults: aws.Int32(0)})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: aws.String("nope")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: aws.String("")})
	requireErrorAs[*types.InvalidParameterException](t, err)
}

// ---------------------------------------------------------------------------
// GetRandomPassword

func randomPassword(t *testing.T, f *fakesm.Fake, in *sm.GetRandomPasswordInput) string {
	t.Helper()
	out, err := f.GetRandomPassword(t.Context(), in)
	require.NoError(t, err)
	return aws.ToString(out.RandomPassword)
}

func TestGetRandomPasswordDefaults(t *testing.T) {
	f := fakesm.New()
	password := randomPassword(t, f, &sm.GetRandomPasswordInput{})
	assert.Len(t, password, 32)
	// By default each type is required: lowercase, uppercase, digit, punctuation.
	for _, set := range []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"} {
		assert.Truef(t, strings.ContainsAny(password, set), "%q lacks one of %q", password, set)
	}
	assert.NotContains(t, password, " ", "no space unless included")
	assert.NotEqual(t, password, randomPassword(t, f, &sm.GetRandomPasswordInput{}), "a new password every call")
	assert.Equal(t, 2, f.Calls()[fakesm.OpGetRandomPassword])
}

func TestGetRandomPasswordRules(t *testing.T) {
	f := fakesm.New()
	for range 20 {
		p := randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(4)})
		assert.Len(t, p, 4)
		// Four types, four characters: exactly one of each.
		for _, set := range []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"} {
			assert.Truef(t, strings.ContainsAny(p, set), "%q lacks one of %q", p, set)
		}
	}

	p := randomPassword(t, f, &sm.GetRandomPasswordInput{
		PasswordLength: aws.Int64(200), ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true),
		ExcludePunctuation: aws.Bool(true),
	})
	assert.Regexp(t, `^[0-9]{200}$`, p)

	p = randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(300), ExcludeCharacters: aws.String("aeiouAEIOU0!")})
	assert.False(t, strings.ContainsAny(p, "aeiouAEIOU0!"), p)

	p = randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(50), IncludeSpace: aws.Bool(true)})
	assert.Contains(t, p, " ", "a required space when included")
	p = randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(200), IncludeSpace: aws.Bool(true),
		ExcludeCharacters: aws.String(" ")})
	assert.NotContains(t, p, " ", "ExcludeCharacters wins over IncludeSpace")

	// Without RequireEachIncludedType a password shorter than the types is fine.
	p = randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(1), RequireEachIncludedType: aws.Bool(false)})
	assert.Len(t, p, 1)
	p = randomPassword(t, f, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(4096)})
	assert.Len(t, p, 4096)
}

func TestGetRandomPasswordInvalid(t *testing.T) {
	f := fakesm.New()
	for name, in := range map[string]*sm.GetRandomPasswordInput{
		"length 0":    {PasswordLength: aws.Int64(0)},
		"length 4097": {PasswordLength: aws.Int64(4097)},
		"nothing left": {ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true), ExcludeNumbers: aws.Bool(true),
			ExcludePunctuation: aws.Bool(true)},
		"nothing left by ExcludeCharacters": {ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true),
			ExcludePunctuation: aws.Bool(true), ExcludeCharacters: aws.String("0123456789")},
		"too short for each type": {PasswordLength: aws.Int64(3)},
		"too short with space":    {PasswordLength: aws.Int64(4), IncludeSpace: aws.Bool(true), RequireEachIncludedType: aws.Bool(true)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.GetRandomPassword(t.Context(), in)
			requireErrorAs[*types.InvalidParameterException](t, err)
		})
	}

	f.FailNext(fakesm.OpGetRandomPassword, &types.InternalServiceError{Message: aws.String("boom")})
	_, err := f.GetRandomPassword(t.Context(), &sm.GetRandomPasswordInput{})
	requireErrorAs[*types.InternalServiceError](t, err)
	assert.Len(t, f.Requests(fakesm.OpGetRandomPassword), 7, "failed calls are recorded too")
}

// Found by the differential suite (tests/differential): a filter key outside
// the API's enum is refused, as AWS refuses it, where the fake matched
// nothing.
func TestListSecretsRefusesAnUnknownFilterKey(t *testing.T) {
	f := fakesm.New()
	_, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{Filters: []types.Filter{{Key: "colour", Values: []string{"red"}}}})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ValidationException", api.ErrorCode())
	assert.Contains(t, api.ErrorMessage(), "colour")
}

// Found by the differential suite (tests/differential): "If not specified,
// secrets are listed by CreatedDate" (ListSecretsInput.SortBy); the fake
// listed them by name and ignored SortBy and SortOrder.
func TestListSecretsOrder(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := fakesm.New(fakesm.WithClock(func() time.Time { return now }))
	for _, name := range []string{"m", "z", "a"} {
		create(t, f, name, aws.String("v"))
		now = now.Add(time.Minute)
	}
	put(t, f, "z", "changed") // z changes last
	now = now.Add(time.Minute)
	_, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("m")}) // m is the only one read
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		in   *sm.ListSecretsInput
		want []string
	}{
		"default: by CreatedDate, oldest first": {&sm.ListSecretsInput{}, []string{"m", "z", "a"}},
		"newest first":                          {&sm.ListSecretsInput{SortOrder: types.SortOrderTypeDesc}, []string{"a", "z", "m"}},
		"by name":                               {&sm.ListSecretsInput{SortBy: types.SortByTypeName}, []string{"a", "m", "z"}},
		"by name, descending":                   {&sm.ListSecretsInput{SortBy: types.SortByTypeName, SortOrder: types.SortOrderTypeDesc}, []string{"z", "m", "a"}},
		"by last change":                        {&sm.ListSecretsInput{SortBy: types.SortByTypeLastChangedDate}, []string{"m", "a", "z"}},
		"by last access, never read first":      {&sm.ListSecretsInput{SortBy: types.SortByTypeLastAccessedDate}, []string{"z", "a", "m"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, listNames(t, f, tc.in))
		})
	}
	_, err = f.ListSecrets(t.Context(), &sm.ListSecretsInput{SortBy: "size"})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ValidationException", api.ErrorCode())
}
