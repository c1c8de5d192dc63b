package secretsmanager

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/get_secret.md
var getSecretDocs string

// GetSecret is the function smx:secretsmanager:getSecret: a secret's
// metadata, looked up by ARN or name. It is a drop-in for pulumi-aws's
// aws.secretsmanager.getSecret.
type GetSecret struct{ api ClientSource }

// NewGetSecret returns getSecret, calling AWS through api.
func NewGetSecret(api ClientSource) *GetSecret { return &GetSecret{api: api} }

// getSecretFunction is getSecret as the provider serves it, with its `id`
// result (the secret's ARN).
func getSecretFunction(api ClientSource) infer.InferredFunction {
	return withResultID(infer.Function(NewGetSecret(api)), "ARN of the secret.", idFromResult("arn"))
}

// GetSecretArgs match pulumi-aws's LookupSecretArgs.
type GetSecretArgs struct {
	Arn    *string           `pulumi:"arn,optional"`
	Name   *string           `pulumi:"name,optional"`
	Tags   map[string]string `pulumi:"tags,optional"`
	Region *string           `pulumi:"region,optional"`
}

// GetSecretResult matches pulumi-aws's LookupSecretResult.
type GetSecretResult struct {
	Arn             string            `pulumi:"arn"`
	CreatedDate     string            `pulumi:"createdDate"`
	Description     string            `pulumi:"description"`
	KmsKeyId        string            `pulumi:"kmsKeyId"` //nolint:revive // matches pulumi-aws
	LastChangedDate string            `pulumi:"lastChangedDate"`
	Name            string            `pulumi:"name"`
	Policy          string            `pulumi:"policy"`
	Tags            map[string]string `pulumi:"tags"`
	Region          string            `pulumi:"region"`
	Type            string            `pulumi:"type"`
}

func (f *GetSecret) Annotate(a infer.Annotator) { a.Describe(f, getSecretDocs) }

func (a *GetSecretArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Arn, "ARN of the secret to retrieve (full, or partial without AWS's six-character suffix). "+
		"Set exactly one of `arn` and `name`.")
	an.Describe(&a.Name, "Name of the secret to retrieve. Set exactly one of `arn` and `name`.")
	an.Describe(&a.Tags, "Accepted for compatibility with pulumi-aws; it does not filter the lookup. The result's "+
		"`tags` are the secret's tags.")
	an.Describe(&a.Region, regionArgDescription)
}

func (r *GetSecretResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Arn, "ARN of the secret.")
	an.Describe(&r.CreatedDate, "Created date of the secret in UTC (RFC 3339).")
	an.Describe(&r.Description, "Description of the secret; empty when it has none.")
	an.Describe(&r.KmsKeyId, "Key Management Service (KMS) key that encrypts the secret; empty for the AWS managed "+
		"key `aws/secretsmanager`.")
	an.Describe(&r.LastChangedDate, "Last updated date of the secret in UTC (RFC 3339).")
	an.Describe(&r.Name, "Name of the secret.")
	an.Describe(&r.Policy, "Resource-based policy document attached to the secret (JSON, keys sorted); empty when "+
		"it has none.")
	an.Describe(&r.Tags, "Tags of the secret.")
	an.Describe(&r.Region, regionResultDescription)
	an.Describe(&r.Type, "For a managed external secret, the partner that holds it (such as `SalesforceClientSecret`); "+
		"empty for an ordinary secret.")
}

// Invoke validates the arguments, then calls DescribeSecret and
// GetResourcePolicy. A secret scheduled for deletion is an error that says so:
// it can no longer be used.
func (f *GetSecret) Invoke(ctx context.Context, req infer.FunctionRequest[GetSecretArgs]) (infer.FunctionResponse[GetSecretResult], error) {
	const function = "getSecret"
	args := req.Input
	c := checks{}
	var secretID, what string
	switch {
	case args.Arn != nil && args.Name != nil:
		c.fail("arn", "conflicts with name: set exactly one of arn and name")
	case args.Arn == nil && args.Name == nil:
		c.fail("arn", "or name is required: set exactly one of arn and name")
	case args.Arn != nil:
		secretID, what = *args.Arn, fmt.Sprintf("secret %q", *args.Arn)
		c.check("arn", validSecretARN(secretID))
	default:
		secretID, what = *args.Name, fmt.Sprintf("secret %q", *args.Name)
		// pulumi-aws passes `name` to DescribeSecret as it is, so an ARN given
		// as the name finds the secret too; keep that working.
		if !secretARNForm.MatchString(secretID) {
			c.check("name", validSecretName(secretID))
		}
	}
	api, region, err := c.clientFor(ctx, f.api, function, args.Region)
	if err != nil {
		return infer.FunctionResponse[GetSecretResult]{}, err
	}

	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secretID})
	if err != nil {
		return infer.FunctionResponse[GetSecretResult]{}, describeLookupError(function, what, err)
	}
	if out.DeletedDate != nil {
		return infer.FunctionResponse[GetSecretResult]{}, fmt.Errorf("%s: %s is scheduled for deletion (deleted on %s): "+
			"it can no longer be used; restore it (RestoreSecret, e.g. `aws secretsmanager restore-secret --secret-id %s`) "+
			"to look it up", function, what, rfc3339(out.DeletedDate), aws.ToString(out.ARN))
	}
	policy, err := api.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: out.ARN})
	if err != nil {
		return infer.FunctionResponse[GetSecretResult]{}, describeLookupError(function, "the resource policy of "+what, err)
	}
	arn := aws.ToString(out.ARN)
	return infer.FunctionResponse[GetSecretResult]{Output: GetSecretResult{
		Arn:             arn,
		CreatedDate:     rfc3339(out.CreatedDate),
		Description:     aws.ToString(out.Description),
		KmsKeyId:        aws.ToString(out.KmsKeyId),
		LastChangedDate: rfc3339(out.LastChangedDate),
		Name:            aws.ToString(out.Name),
		Policy:          normalizedPolicy(aws.ToString(policy.ResourcePolicy)),
		Tags:            userTags(fromAWSTags(out.Tags)),
		Region:          region,
		Type:            aws.ToString(out.Type),
	}}, nil
}
