package provider_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// A refresh of many SecretVersions at once against moto: reads are
// batched, and whatever moto does with a batch holding a secret it cannot
// read (AWS fails that secret alone; moto may fail the whole call), every
// version reports what it would have reported read alone. The batching
// itself, call for call, is tested against the fake
// (provider/secretsmanager/batch_reads_test.go).
func TestConcurrentRefreshesAgainstMotoAreBatchedAndExact(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	client := server.Client()
	ctx := context.Background()

	type pair struct {
		name          string
		version       p.CreateResponse
		inputs, state property.Map
	}
	var pairs []pair
	for i := range 8 {
		name := fmt.Sprintf("batch-%d", i)
		secret := create(t, s, secretToken, name, map[string]property.Value{"name": property.New(name)})
		inputs := map[string]property.Value{"secretId": property.New(secret.ID), "secretString": property.New("value-" + name)}
		version := create(t, s, versionToken, name+"-v", inputs)
		pairs = append(pairs, pair{name: name, version: version, inputs: property.NewMap(inputs), state: version.Properties})
	}
	if _, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("batch-2")}); err != nil {
		t.Fatal(err)
	}
	rotated, err := client.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String("batch-5"), SecretString: aws.String("rotated")})
	if err != nil {
		t.Fatal(err)
	}

	proxy.ResetCounts()
	responses := make([]p.ReadResponse, len(pairs))
	errs := make([]error, len(pairs))
	var wg sync.WaitGroup
	for i, pr := range pairs {
		wg.Go(func() {
			responses[i], errs[i] = s.Read(p.ReadRequest{ID: pr.version.ID, Urn: urn(versionToken, pr.name+"-v"), Properties: pr.state, Inputs: pr.inputs})
		})
	}
	wg.Wait()
	for i, resp := range responses {
		if errs[i] != nil {
			t.Fatalf("refreshing %s: %v", pairs[i].name, errs[i])
		}
		switch pairs[i].name {
		case "batch-2":
			if resp.ID != "" {
				t.Errorf("the version of a secret scheduled for deletion was not reported gone: %v", resp.ID)
			}
		case "batch-5":
			if got := resp.Properties.Get("versionId").AsString(); got != aws.ToString(rotated.VersionId) {
				t.Errorf("batch-5 after an out-of-band value: version %q, want AWSCURRENT's %q", got, aws.ToString(rotated.VersionId))
			}
			if !resp.Properties.Get("secretString").Secret() {
				t.Error("the refreshed value is not marked secret")
			}
		default:
			if !resp.Properties.Equals(pairs[i].state) {
				t.Errorf("%s refreshed to a state other than its own:\n got  %v\n want %v", pairs[i].name, resp.Properties, pairs[i].state)
			}
		}
	}
	counts := proxy.Counts()
	if counts["BatchGetSecretValue"].Received == 0 {
		t.Errorf("eight refreshes at once made no BatchGetSecretValue call: %+v", counts)
	}
	t.Logf("calls: BatchGetSecretValue %d, GetSecretValue %d", counts["BatchGetSecretValue"].Received, counts["GetSecretValue"].Received)
}
