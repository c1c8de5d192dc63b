package secretsmanager

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/get_secret_versions.md
var getSecretVersionsDocs string

// GetSecretVersions is the function smx:secretsmanager:getSecretVersions:
// the versions of a secret (IDs, labels and dates, never values). It is a
// drop-in for pulumi-aws's aws.secretsmanager.getSecretVersions.
type GetSecretVersions struct{ api ClientSource }

// NewGetSecretVersions returns getSecretVersions, calling AWS through api.
func NewGetSecretVersions(api ClientSource) *GetSecretVersions { return &GetSecretVersions{api: api} }

// getSecretVersionsFunction is getSecretVersions as the provider serves it,
// with its `id` result (the secret's ARN).
func getSecretVersionsFunction(api ClientSource) infer.InferredFunction {
	return withResultID(infer.Function(NewGetSecretVersions(api)), "ARN of the secret.", idFromResult("arn"))
}

// GetSecretVersionsArgs match pulumi-aws's GetSecretVersionsArgs.
type GetSecretVersionsArgs struct {
	IncludeDeprecated *bool   `pulumi:"includeDeprecated,optional"`
	SecretId          string  `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	Region            *string `pulumi:"region,optional"`
}

// GetSecretVersionsVersion matches pulumi-aws's GetSecretVersionsVersion.
type GetSecretVersionsVersion struct {
	CreatedTime      string   `pulumi:"createdTime"`
	LastAccessedDate string   `pulumi:"lastAccessedDate"`
	VersionId        string   `pulumi:"versionId"` //nolint:revive // matches pulumi-aws
	VersionStages    []string `pulumi:"versionStages"`
}

// GetSecretVersionsResult matches pulumi-aws's GetSecretVersionsResult.
type GetSecretVersionsResult struct {
	Arn               string                     `pulumi:"arn"`
	IncludeDeprecated *bool                      `pulumi:"includeDeprecated,optional"`
	Name              string                     `pulumi:"name"`
	SecretArn         string                     `pulumi:"secretArn"`
	SecretId          string                     `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	SecretName        string                     `pulumi:"secretName"`
	Versions          []GetSecretVersionsVersion `pulumi:"versions"`
	Region            string                     `pulumi:"region"`
}

func (f *GetSecretVersions) Annotate(a infer.Annotator) { a.Describe(f, getSecretVersionsDocs) }

func (a *GetSecretVersionsArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.IncludeDeprecated, "Whether to include deprecated versions: versions without a staging label, "+
		"which AWS deletes in time. Defaults to false.")
	an.Describe(&a.SecretId, "The secret whose versions to list: its ARN or its name.")
	an.Describe(&a.Region, regionArgDescription)
}

func (v *GetSecretVersionsVersion) Annotate(an infer.Annotator) {
	an.Describe(&v.CreatedTime, "Date and time the version was created, in UTC (RFC 3339).")
	an.Describe(&v.LastAccessedDate, "Date the version was last accessed, in UTC (RFC 3339); empty when AWS has not "+
		"recorded one.")
	an.Describe(&v.VersionId, "Unique identifier of the version.")
	an.Describe(&v.VersionStages, "Staging labels attached to the version; empty for a deprecated version.")
}

func (r *GetSecretVersionsResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Arn, "ARN of the secret.")
	an.Deprecate(&r.Arn, "arn is deprecated. Use secretArn instead.")
	an.Describe(&r.IncludeDeprecated, "The `includeDeprecated` argument.")
	an.Describe(&r.Name, "Name of the secret.")
	an.Deprecate(&r.Name, "name is deprecated. Use secretName instead.")
	an.Describe(&r.SecretArn, "ARN of the secret.")
	an.Describe(&r.SecretName, "Name of the secret.")
	an.Describe(&r.SecretId, "The `secretId` argument.")
	an.Describe(&r.Versions, "The versions of the secret, in the order AWS lists them.")
	an.Describe(&r.Region, regionResultDescription)
}

// Invoke validates the arguments, then calls ListSecretVersionIds once per
// page until every version is listed.
func (f *GetSecretVersions) Invoke(ctx context.Context, req infer.FunctionRequest[GetSecretVersionsArgs]) (infer.FunctionResponse[GetSecretVersionsResult], error) {
	const function = "getSecretVersions"
	args := req.Input
	c := checks{}
	c.check("secretId", validSecretID(args.SecretId))
	api, region, err := c.clientFor(ctx, f.api, function, args.Region)
	if err != nil {
		return infer.FunctionResponse[GetSecretVersionsResult]{}, err
	}
	result := GetSecretVersionsResult{
		IncludeDeprecated: args.IncludeDeprecated,
		SecretId:          args.SecretId,
		Versions:          []GetSecretVersionsVersion{},
		Region:            region,
	}
	pages := sm.NewListSecretVersionIdsPaginator(api, &sm.ListSecretVersionIdsInput{
		SecretId:          aws.String(args.SecretId),
		IncludeDeprecated: args.IncludeDeprecated,
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return infer.FunctionResponse[GetSecretVersionsResult]{}, describeLookupError(function,
				fmt.Sprintf("secret %q", args.SecretId), err)
		}
		if result.Arn == "" {
			result.Arn, result.Name = aws.ToString(page.ARN), aws.ToString(page.Name)
			result.SecretArn, result.SecretName = result.Arn, result.Name
		}
		for _, v := range page.Versions {
			result.Versions = append(result.Versions, GetSecretVersionsVersion{
				CreatedTime:      rfc3339(v.CreatedDate),
				LastAccessedDate: rfc3339(v.LastAccessedDate),
				VersionId:        aws.ToString(v.VersionId),
				VersionStages:    emptyIfNil(slices.Sorted(slices.Values(v.VersionStages))),
			})
		}
	}
	return infer.FunctionResponse[GetSecretVersionsResult]{Output: result}, nil
}
