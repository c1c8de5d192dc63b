package secretsmanager

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Every resource and function has pulumi-aws v7's optional `region`: the
// region it is managed in, with the provider's credentials and endpoint. Its
// default is the provider's region, and resources record the region they live
// in as the output `region`.

// clientIn returns the API of the first region given that is not empty, else
// of the provider's region, and that region. Callers list, in order, the
// region recorded in state, the program's `region` and the region in the
// resource's ARN: a resource stays where it was created, and a state written
// before smx recorded regions (or by pulumi-aws v6) is found where its ARN
// says.
func clientIn(ctx context.Context, src ClientSource, regions ...string) (API, string, error) {
	region, err := regionFrom(ctx, src, regions...)
	if err != nil {
		return nil, "", err
	}
	api, err := src.Client(ctx, region)
	if err != nil {
		return nil, "", err
	}
	return api, region, nil
}

// regionFrom is the first region given that is not empty, else the
// provider's region.
func regionFrom(ctx context.Context, src ClientSource, regions ...string) (string, error) {
	for _, region := range regions {
		if region != "" {
			return region, nil
		}
	}
	return src.Region(ctx)
}

// regionInCheck is the region a resource lives in, as Check can know it
// with no API call: its `region` input, else the provider's region; "" when
// the input is still unknown in this preview (or the provider has none).
func regionInCheck(ctx context.Context, src ClientSource, c *checks, input *string) string {
	if c.present("region") && !c.known("region") {
		return ""
	}
	region, err := regionFrom(ctx, src, aws.ToString(input))
	if err != nil {
		return ""
	}
	return region
}

// regionReplaces reports whether the program moves a resource to another
// region, which replaces it. The program's region is its `region` input, or
// the provider's region when unset; the resource's is the one recorded in
// state. A state with no recorded region (written before smx recorded
// regions, or migrated from pulumi-aws v6) is not replaced because the
// provider's region changed — the provider's DiffConfig deals with that —
// only when the program names a region explicitly and the recorded ARN puts
// the resource elsewhere.
func regionReplaces(ctx context.Context, src ClientSource, input *string, recorded, arn string) (bool, error) {
	if recorded == "" {
		where := regionInARN(arn)
		return aws.ToString(input) != "" && where != "" && *input != where, nil
	}
	wanted, err := regionFrom(ctx, src, aws.ToString(input))
	if err != nil {
		return false, err
	}
	return wanted != recorded, nil
}

// importedRegion is the `region` input an import records: the region derived
// from the ARN when it is not the provider's (so that the program `pulumi
// import` prints keeps the resource where it is), else the program's.
func importedRegion(ctx context.Context, src ClientSource, input *string, region string) *string {
	if input != nil {
		return input
	}
	if home, err := src.Region(ctx); err == nil && home != region {
		return &region
	}
	return nil
}

// Descriptions of the `region` properties (Annotate), shared by every
// resource and function.
const (
	regionInputDescription = "Region where this resource is managed, for example `eu-west-1`, with the provider's " +
		"credentials and endpoint. Defaults to the provider's region (`smx:region`). Changing it replaces the " +
		"resource. When importing by ARN without it, the region in the ARN is used."
	regionOutputDescription = "Region the resource is managed in: the `region` input, else the provider's region."
	regionArgDescription    = "Region to call, for example `eu-west-1`, with the provider's credentials and endpoint. " +
		"Defaults to the provider's region (`smx:region`)."
	regionResultDescription = "The region that was called: the `region` argument, else the provider's region."
)
