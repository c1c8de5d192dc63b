package provider

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	comProvider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// Serve runs smx as the plugin the engine starts, until the engine stops it.
//
// It is pulumi-go-provider's RunProvider with one addition: pulumi-go-provider
// v1.5.0 hands a resource's Check everything from the engine's request but
// its random seed. The engine keeps that seed in a saved plan and sends it
// again when `pulumi up --plan` checks the resource, so a Secret name drawn
// from it is the one the plan showed; drawn from anything else, the update
// fails "violates plan". The seed goes into the request's context here, where
// passRequestContext and Secret's Check find it.
func Serve(ctx context.Context, smx p.Provider) error {
	return comProvider.MainContext(ctx, Name, Server(smx))
}

// Server is the gRPC server Serve runs, for a host the engine provides.
func Server(smx p.Provider) func(*comProvider.HostClient) (pulumirpc.ResourceProviderServer, error) {
	return func(host *comProvider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		server, err := p.RawServer(Name, Version, smx)(host)
		if err != nil {
			return nil, err
		}
		return seedPassingServer{server}, nil
	}
}

type seedPassingServer struct {
	pulumirpc.ResourceProviderServer
}

func (s seedPassingServer) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return s.ResourceProviderServer.Check(secretsmanager.ContextWithRandomSeed(ctx, req.GetRandomSeed()), req)
}
