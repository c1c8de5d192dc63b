package faketagging_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/schemas"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/faketagging"
)

func clientOf(url string) *tagging.Client {
	return tagging.New(tagging.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		})}, func(o *tagging.Options) {
		// The fake speaks AWS JSON 1.1 only, as smx asks (config/tag_policy.go).
		o.Protocol = awsjson.New11(schemas.ResourceGroupsTaggingAPI_20170126)
	})
}

// The SDK's own paginator reads every page of the fake's answer.
func TestListRequiredTagsPagesThroughTheSDK(t *testing.T) {
	t.Parallel()
	fake := faketagging.Start(t,
		faketagging.RequiredTag{ResourceType: "secretsmanager:secret", ReportingTagKeys: []string{"team"}},
		faketagging.RequiredTag{ResourceType: "s3:bucket", ReportingTagKeys: []string{"owner"}},
		faketagging.RequiredTag{ResourceType: "secretsmanager:secret", ReportingTagKeys: []string{"cost"}})
	pages := tagging.NewListRequiredTagsPaginator(clientOf(fake.URL), &tagging.ListRequiredTagsInput{})
	var got []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(t.Context())
		require.NoError(t, err)
		for _, r := range page.RequiredTags {
			got = append(got, aws.ToString(r.ResourceType)+"="+r.ReportingTagKeys[0])
		}
	}
	assert.Equal(t, []string{"secretsmanager:secret=team", "s3:bucket=owner", "secretsmanager:secret=cost"}, got)
	assert.Equal(t, 3, fake.Calls(), "one request per page")
}

// A refusal is AWS's AccessDeniedException, which the SDK decodes by code.
func TestDenyAnswersAccessDenied(t *testing.T) {
	t.Parallel()
	fake := faketagging.Start(t)
	fake.Deny()
	_, err := clientOf(fake.URL).ListRequiredTags(t.Context(), &tagging.ListRequiredTagsInput{})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, "AccessDeniedException", apiErr.ErrorCode())
}
