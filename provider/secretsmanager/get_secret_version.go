package secretsmanager

import (
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

//go:embed docs/get_secret_version.md
var getSecretVersionDocs string

// Lengths AWS accepts for a version ID (a ClientRequestToken) and a staging
// label.
const (
	minVersionIDLength = 32
	maxVersionIDLength = 64
)

// GetSecretVersion is the function smx:secretsmanager:getSecretVersion: one
// version of a secret, its value included, always read fresh from AWS. It is
// a drop-in for pulumi-aws's aws.secretsmanager.getSecretVersion.
type GetSecretVersion struct{ api ClientSource }

// NewGetSecretVersion returns getSecretVersion, calling AWS through api.
func NewGetSecretVersion(api ClientSource) *GetSecretVersion { return &GetSecretVersion{api: api} }

// getSecretVersionFunction is getSecretVersion as the provider serves it,
// with its `id` result: `<secretId>|<versionId or versionStage>`, as in
// pulumi-aws.
func getSecretVersionFunction(api ClientSource) infer.InferredFunction {
	return withResultID(infer.Function(NewGetSecretVersion(api)),
		"`<secretId>|<versionStage>`, or `<secretId>|<versionId>` when looked up by `versionId`, as in pulumi-aws.",
		func(_ context.Context, _, result property.Map) (string, error) {
			version := stringOf(result.Get("versionStage"))
			if version == "" {
				version = stringOf(result.Get("versionId"))
			}
			return stringOf(result.Get("secretId")) + "|" + version, nil
		})
}

// GetSecretVersionArgs match pulumi-aws's LookupSecretVersionArgs.
type GetSecretVersionArgs struct {
	SecretId     string  `pulumi:"secretId"`           //nolint:revive // matches pulumi-aws
	VersionId    *string `pulumi:"versionId,optional"` //nolint:revive // matches pulumi-aws
	VersionStage *string `pulumi:"versionStage,optional"`
	Region       *string `pulumi:"region,optional"`
}

// GetSecretVersionResult matches pulumi-aws's LookupSecretVersionResult. The
// value fields are always marked secret in the response.
type GetSecretVersionResult struct {
	Arn           string   `pulumi:"arn"`
	SecretArn     string   `pulumi:"secretArn"`
	CreatedDate   string   `pulumi:"createdDate"`
	SecretBinary  string   `pulumi:"secretBinary" provider:"secret"`
	SecretId      string   `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	SecretString  string   `pulumi:"secretString" provider:"secret"`
	VersionId     string   `pulumi:"versionId"` //nolint:revive // matches pulumi-aws
	VersionStage  *string  `pulumi:"versionStage,optional"`
	VersionStages []string `pulumi:"versionStages"`
	Region        string   `pulumi:"region"`
}

func (f *GetSecretVersion) Annotate(a infer.Annotator) { a.Describe(f, getSecretVersionDocs) }

func (a *GetSecretVersionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "The secret containing the version to retrieve: its ARN or its name.")
	an.Describe(&a.VersionId, "Unique identifier of the version to retrieve (32 to 64 characters). Overrides "+
		"`versionStage`.")
	an.Describe(&a.VersionStage, "Staging label of the version to retrieve. Defaults to `AWSCURRENT`. Ignored when "+
		"`versionId` is set, as in pulumi-aws.")
	an.Describe(&a.Region, regionArgDescription)
}

func (r *GetSecretVersionResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Arn, "ARN of the secret.")
	an.Deprecate(&r.Arn, "arn is deprecated. Use secretArn instead.")
	an.Describe(&r.SecretArn, "ARN of the secret.")
	an.Describe(&r.CreatedDate, "Created date of the version in UTC (RFC 3339).")
	an.Describe(&r.SecretBinary, "The version's binary value, base64-encoded; empty when the value is a string. "+
		"Always a Pulumi secret.")
	an.Describe(&r.SecretId, "The `secretId` argument.")
	an.Describe(&r.SecretString, "The version's string value; empty when the value is binary. Always a Pulumi secret.")
	an.Describe(&r.VersionId, "Unique identifier of the version.")
	an.Describe(&r.VersionStage, "The staging label the version was looked up by; absent when it was looked up by "+
		"`versionId` alone.")
	an.Describe(&r.VersionStages, "Staging labels attached to the version.")
	an.Describe(&r.Region, regionResultDescription)
}

// Invoke validates the arguments, then calls GetSecretValue once. Nothing is
// cached: every invoke sees the secret's current state, so a value rotated
// since the last call is never returned stale.
func (f *GetSecretVersion) Invoke(ctx context.Context, req infer.FunctionRequest[GetSecretVersionArgs]) (infer.FunctionResponse[GetSecretVersionResult], error) {
	const function = "getSecretVersion"
	args := req.Input
	c := checks{}
	c.check("secretId", validSecretID(args.SecretId))
	if args.VersionId != nil {
		if n := characters(*args.VersionId); n < minVersionIDLength || n > maxVersionIDLength {
			c.fail("versionId", "must be %d to %d characters long, got %d", minVersionIDLength, maxVersionIDLength, n)
		}
	}
	if args.VersionStage != nil {
		if n := characters(*args.VersionStage); n == 0 || n > maxStageLabelLength {
			c.fail("versionStage", "must be 1 to %d characters long, got %d", maxStageLabelLength, n)
		}
	}
	api, region, err := c.clientFor(ctx, f.api, function, args.Region)
	if err != nil {
		return infer.FunctionResponse[GetSecretVersionResult]{}, err
	}

	input := &sm.GetSecretValueInput{SecretId: aws.String(args.SecretId)}
	result := GetSecretVersionResult{SecretId: args.SecretId}
	var version, what string
	if args.VersionId != nil {
		if args.VersionStage != nil {
			p.GetLogger(ctx).Warningf("%s: versionStage %q is ignored because versionId is set (as in pulumi-aws)",
				function, *args.VersionStage)
		}
		input.VersionId = args.VersionId
		version = *args.VersionId
		what = fmt.Sprintf("version %q of secret %q", version, args.SecretId)
	} else {
		version = ptrOr(args.VersionStage, stageCurrent)
		input.VersionStage = aws.String(version)
		result.VersionStage = aws.String(version)
		what = fmt.Sprintf("the version of secret %q labelled %q", args.SecretId, version)
	}

	result.Region = region
	out, err := api.GetSecretValue(ctx, input)
	if err != nil {
		// AWS's messages name the secret and the version, never the value.
		return infer.FunctionResponse[GetSecretVersionResult]{}, describeLookupError(function, what, err)
	}
	result.Arn = aws.ToString(out.ARN)
	result.SecretArn = result.Arn
	result.CreatedDate = rfc3339(out.CreatedDate)
	if out.SecretBinary != nil {
		result.SecretBinary = base64.StdEncoding.EncodeToString(out.SecretBinary)
	}
	result.SecretString = aws.ToString(out.SecretString)
	result.VersionId = aws.ToString(out.VersionId)
	result.VersionStages = emptyIfNil(slices.Sorted(slices.Values(out.VersionStages)))
	return infer.FunctionResponse[GetSecretVersionResult]{Output: result}, nil
}
