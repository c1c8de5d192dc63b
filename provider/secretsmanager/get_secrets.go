package secretsmanager

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/get_secrets.md
var getSecretsDocs string

// Limits of ListSecrets's filters, from the API reference.
const (
	maxFilters            = 10
	maxFilterValues       = 10
	maxFilterValueLength  = 512
	filterValueCharacters = `letters, digits, spaces and :_@/+=.-! (a leading ! negates)`
)

var filterValueForm = regexp.MustCompile(`^!?[a-zA-Z0-9 :_@/+=.\-!]*$`)

// filterNames are the filter keys ListSecrets accepts.
var filterNames = func() []string {
	var names []string
	for _, k := range smtypes.FilterNameStringType("").Values() {
		names = append(names, string(k))
	}
	return names
}()

// GetSecrets is the function smx:secretsmanager:getSecrets: the ARNs and
// names of the secrets that match filters. It is a drop-in for pulumi-aws's
// aws.secretsmanager.getSecrets.
type GetSecrets struct{ api ClientSource }

// NewGetSecrets returns getSecrets, calling AWS through api.
func NewGetSecrets(api ClientSource) *GetSecrets { return &GetSecrets{api: api} }

// getSecretsFunction is getSecrets as the provider serves it, with its `id`
// result (the region, as in pulumi-aws).
func getSecretsFunction(api ClientSource) infer.InferredFunction {
	return withResultID(infer.Function(NewGetSecrets(api)), "The AWS region the secrets were listed in.", idFromResult("region"))
}

// GetSecretsFilter matches pulumi-aws's GetSecretsFilter.
type GetSecretsFilter struct {
	Name   string   `pulumi:"name"`
	Values []string `pulumi:"values"`
}

// GetSecretsArgs match pulumi-aws's GetSecretsArgs.
type GetSecretsArgs struct {
	Filters []GetSecretsFilter `pulumi:"filters,optional"`
	Region  *string            `pulumi:"region,optional"`
}

// GetSecretsResult matches pulumi-aws's GetSecretsResult.
type GetSecretsResult struct {
	Arns    []string           `pulumi:"arns"`
	Filters []GetSecretsFilter `pulumi:"filters,optional"`
	Names   []string           `pulumi:"names"`
	Region  string             `pulumi:"region"`
}

func (f *GetSecrets) Annotate(a infer.Annotator) { a.Describe(f, getSecretsDocs) }

func (g *GetSecretsFilter) Annotate(an infer.Annotator) {
	an.Describe(&g.Name, "Name of the filter field: one of `"+strings.Join(filterNames, "`, `")+"`. See the "+
		"[Secrets Manager ListSecrets API Reference](https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html).")
	an.Describe(&g.Values, fmt.Sprintf("Values accepted for the field (1 to %d, each at most %d characters of %s): "+
		"prefix matches, passed to AWS as they are.", maxFilterValues, maxFilterValueLength, filterValueCharacters))
}

func (a *GetSecretsArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Filters, fmt.Sprintf("Filters to select secrets by (at most %d); a secret must match every "+
		"filter. Without filters, every secret of the region is listed. Secrets scheduled for deletion are never "+
		"listed.", maxFilters))
	an.Describe(&a.Region, regionArgDescription)
}

func (r *GetSecretsResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Arns, "ARNs of the matched secrets, in the same order as `names`.")
	an.Describe(&r.Filters, "The `filters` argument.")
	an.Describe(&r.Names, "Names of the matched secrets, sorted; `arns[i]` is the ARN of `names[i]`.")
	an.Describe(&r.Region, regionResultDescription)
}

// Invoke validates the filters, then calls ListSecrets once per page until
// every match is listed.
func (f *GetSecrets) Invoke(ctx context.Context, req infer.FunctionRequest[GetSecretsArgs]) (infer.FunctionResponse[GetSecretsResult], error) {
	const function = "getSecrets"
	args := req.Input
	c := checks{}
	if len(args.Filters) > maxFilters {
		c.fail("filters", "may hold at most %d filters, got %d", maxFilters, len(args.Filters))
	}
	input := &sm.ListSecretsInput{}
	for i, filter := range args.Filters {
		arg := fmt.Sprintf("filters[%d]", i)
		if !slices.Contains(filterNames, filter.Name) {
			c.fail(arg+".name", "must be one of %s, got %q", strings.Join(filterNames, ", "), filter.Name)
		}
		if n := len(filter.Values); n == 0 || n > maxFilterValues {
			c.fail(arg+".values", "must hold 1 to %d values, got %d", maxFilterValues, n)
		}
		for j, value := range filter.Values {
			switch {
			case characters(value) > maxFilterValueLength:
				c.fail(fmt.Sprintf("%s.values[%d]", arg, j), "must be at most %d characters long, got %d",
					maxFilterValueLength, characters(value))
			case !filterValueForm.MatchString(value):
				c.fail(fmt.Sprintf("%s.values[%d]", arg, j), "may contain only %s; got %q", filterValueCharacters, value)
			}
		}
		input.Filters = append(input.Filters, smtypes.Filter{
			Key: smtypes.FilterNameStringType(filter.Name), Values: slices.Clone(filter.Values),
		})
	}
	api, region, err := c.clientFor(ctx, f.api, function, args.Region)
	if err != nil {
		return infer.FunctionResponse[GetSecretsResult]{}, err
	}
	var found []smtypes.SecretListEntry
	pages := sm.NewListSecretsPaginator(api, input)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return infer.FunctionResponse[GetSecretsResult]{}, fmt.Errorf("%s: listing secrets: %w", function, err)
		}
		found = append(found, page.SecretList...)
	}
	slices.SortFunc(found, func(a, b smtypes.SecretListEntry) int {
		return cmp.Or(strings.Compare(aws.ToString(a.Name), aws.ToString(b.Name)),
			strings.Compare(aws.ToString(a.ARN), aws.ToString(b.ARN)))
	})
	result := GetSecretsResult{Arns: []string{}, Names: []string{}, Filters: args.Filters, Region: region}
	for _, s := range found {
		result.Arns = append(result.Arns, aws.ToString(s.ARN))
		result.Names = append(result.Names, aws.ToString(s.Name))
	}
	return infer.FunctionResponse[GetSecretsResult]{Output: result}, nil
}
