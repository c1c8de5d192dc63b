package secretsmanager

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/get_secret_rotation.md
var getSecretRotationDocs string

// GetSecretRotation is the function smx:secretsmanager:getSecretRotation: the
// rotation configuration of a secret. It is a drop-in for pulumi-aws v7's
// aws.secretsmanager.getSecretRotation.
type GetSecretRotation struct{ api ClientSource }

// NewGetSecretRotation returns getSecretRotation, calling AWS through api.
func NewGetSecretRotation(api ClientSource) *GetSecretRotation { return &GetSecretRotation{api: api} }

// getSecretRotationFunction is getSecretRotation as the provider serves it,
// with its `id` result (the secret's ARN, as in pulumi-aws).
func getSecretRotationFunction(api ClientSource) infer.InferredFunction {
	return withResultID(infer.Function(NewGetSecretRotation(api)), "ARN of the secret.", idFromResult("arn"))
}

// GetSecretRotationArgs match pulumi-aws's LookupSecretRotationArgs.
type GetSecretRotationArgs struct {
	SecretId string  `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	Region   *string `pulumi:"region,optional"`
}

// GetSecretRotationRotationRule matches pulumi-aws's
// GetSecretRotationRotationRule.
type GetSecretRotationRotationRule struct {
	AutomaticallyAfterDays int    `pulumi:"automaticallyAfterDays"`
	Duration               string `pulumi:"duration"`
	ScheduleExpression     string `pulumi:"scheduleExpression"`
}

// GetSecretRotationExternalSecretRotationMetadata matches pulumi-aws's
// GetSecretRotationExternalSecretRotationMetadata (7.48).
type GetSecretRotationExternalSecretRotationMetadata struct {
	Key   string `pulumi:"key"`
	Value string `pulumi:"value"`
}

// GetSecretRotationResult matches pulumi-aws's LookupSecretRotationResult
// (7.48), plus `arn` (the source of its `id`).
type GetSecretRotationResult struct {
	Arn                             string                                            `pulumi:"arn"`
	ExternalSecretRotationMetadatas []GetSecretRotationExternalSecretRotationMetadata `pulumi:"externalSecretRotationMetadatas"`
	ExternalSecretRotationRoleArn   string                                            `pulumi:"externalSecretRotationRoleArn"`
	RotationEnabled                 bool                                              `pulumi:"rotationEnabled"`
	RotationLambdaArn               string                                            `pulumi:"rotationLambdaArn"`
	RotationRules                   []GetSecretRotationRotationRule                   `pulumi:"rotationRules"`
	SecretId                        string                                            `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	Region                          string                                            `pulumi:"region"`
}

func (f *GetSecretRotation) Annotate(a infer.Annotator) { a.Describe(f, getSecretRotationDocs) }

func (a *GetSecretRotationArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "The secret whose rotation to retrieve: its ARN or its name.")
	an.Describe(&a.Region, regionArgDescription)
}

func (r *GetSecretRotationRotationRule) Annotate(an infer.Annotator) {
	an.Describe(&r.AutomaticallyAfterDays, "Days between rotations; 0 when the schedule is a `scheduleExpression`.")
	an.Describe(&r.Duration, "Length of the rotation window, for example `3h`; empty for AWS's default.")
	an.Describe(&r.ScheduleExpression, "The `rate()` or `cron()` expression of the schedule; empty when the schedule "+
		"is `automaticallyAfterDays`.")
}

func (m *GetSecretRotationExternalSecretRotationMetadata) Annotate(an infer.Annotator) {
	an.Describe(&m.Key, "Metadata key.")
	an.Describe(&m.Value, "Metadata value for the key.")
}

func (r *GetSecretRotationResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Arn, "ARN of the secret.")
	an.Describe(&r.ExternalSecretRotationMetadatas, "What the partner of a managed external secret needs to rotate it, "+
		"as AWS reports it; empty for other secrets.")
	an.Describe(&r.ExternalSecretRotationRoleArn, "ARN of the IAM role that allows Secrets Manager to rotate a managed "+
		"external secret held by a third-party partner; empty when it has none.")
	an.Describe(&r.RotationEnabled, "Whether automatic rotation is on.")
	an.Describe(&r.RotationLambdaArn, "ARN of the Lambda function that rotates the secret; empty when it has none.")
	an.Describe(&r.RotationRules, "The rotation schedule: one element when the secret has one, else none.")
	an.Describe(&r.SecretId, "The `secretId` argument.")
	an.Describe(&r.Region, regionResultDescription)
}

// Invoke validates the arguments, then calls DescribeSecret once. A secret
// scheduled for deletion is an error that says so.
func (f *GetSecretRotation) Invoke(ctx context.Context, req infer.FunctionRequest[GetSecretRotationArgs]) (infer.FunctionResponse[GetSecretRotationResult], error) {
	const function = "getSecretRotation"
	args := req.Input
	c := checks{}
	c.check("secretId", validSecretID(args.SecretId))
	api, region, err := c.clientFor(ctx, f.api, function, args.Region)
	if err != nil {
		return infer.FunctionResponse[GetSecretRotationResult]{}, err
	}
	what := fmt.Sprintf("secret %q", args.SecretId)
	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(args.SecretId)})
	if err != nil {
		return infer.FunctionResponse[GetSecretRotationResult]{}, describeLookupError(function, what, err)
	}
	if out.DeletedDate != nil {
		return infer.FunctionResponse[GetSecretRotationResult]{}, fmt.Errorf("%s: %s is scheduled for deletion (deleted on %s): "+
			"restore it (RestoreSecret, e.g. `aws secretsmanager restore-secret --secret-id %s`) to read it",
			function, what, rfc3339(out.DeletedDate), aws.ToString(out.ARN))
	}
	result := GetSecretRotationResult{
		Arn:               aws.ToString(out.ARN),
		RotationEnabled:   aws.ToBool(out.RotationEnabled),
		RotationLambdaArn: aws.ToString(out.RotationLambdaARN),
		RotationRules:     []GetSecretRotationRotationRule{},
		SecretId:          args.SecretId,
		Region:            region,

		ExternalSecretRotationMetadatas: []GetSecretRotationExternalSecretRotationMetadata{},
		ExternalSecretRotationRoleArn:   aws.ToString(out.ExternalSecretRotationRoleArn),
	}
	for _, item := range out.ExternalSecretRotationMetadata {
		result.ExternalSecretRotationMetadatas = append(result.ExternalSecretRotationMetadatas,
			GetSecretRotationExternalSecretRotationMetadata{Key: aws.ToString(item.Key), Value: aws.ToString(item.Value)})
	}
	if out.RotationRules != nil {
		// As RotationSchedule reads them: the days AWS derives from a
		// schedule expression are not the program's, so they are left out.
		rules := fromAWSRotationRules(out.RotationRules)
		result.RotationRules = append(result.RotationRules, GetSecretRotationRotationRule{
			AutomaticallyAfterDays: aws.ToInt(rules.AutomaticallyAfterDays),
			Duration:               aws.ToString(rules.Duration),
			ScheduleExpression:     aws.ToString(rules.ScheduleExpression),
		})
	}
	return infer.FunctionResponse[GetSecretRotationResult]{Output: result}, nil
}
