package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The two accounts of the test, picked by access key as the served fake
// (internal/fakesm) picks them.
var accountByAccessKey = map[string]string{
	"AKIAPRIMARYEXAMPLE00": "111111111111",
	"AKIAREPLICAEXAMPLE00": "222222222222",
}

// registration is one resource the program registered: its type, the account
// of the provider that manages it, its inputs and the ARN the mocks gave it.
type registration struct {
	typeToken, account, arn string
	inputs                  resource.PropertyMap
}

// accountMocks answers each provider registration with its account's ID as
// the provider's ID, and each Secret with an ARN in its provider's account,
// so that the test can follow which account every resource lands in.
type accountMocks struct {
	mu         sync.Mutex
	registered map[string]registration // by type token and name
}

func (m *accountMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	outputs := args.Inputs.Copy()
	if args.TypeToken == "pulumi:providers:smx" {
		accessKey := plain(args.Inputs["accessKey"])
		account, ok := accountByAccessKey[accessKey]
		if !ok {
			return "", nil, fmt.Errorf("provider %s has the access key %q, which is no test account's", args.Name, accessKey)
		}
		return account, outputs, nil
	}
	// A provider reference is "<URN>::<ID>", and the ID is the account's.
	account := args.Provider[strings.LastIndex(args.Provider, "::")+2:]
	arn := ""
	if args.TypeToken == "smx:secretsmanager:Secret" {
		arn = fmt.Sprintf("arn:aws:secretsmanager:us-east-1:%s:secret:%s-AbCdEf", account, args.Name)
		outputs["arn"] = resource.NewStringProperty(arn)
	}
	if m.registered == nil {
		m.registered = map[string]registration{}
	}
	m.registered[args.TypeToken+" "+args.Name] = registration{typeToken: args.TypeToken, account: account, arn: arn, inputs: args.Inputs}
	id := arn
	if id == "" {
		id = args.Name + "-id"
	}
	return id, outputs, nil
}

func (m *accountMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// plain is a string input's value, secret or not.
func plain(v resource.PropertyValue) string {
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// The program puts each resource in the account it belongs in, and links the
// replica and the replication to the primary by their ARNs.
func TestEachResourceIsInItsAccount(t *testing.T) {
	mocks := &accountMocks{}
	config := pulumi.RunOption(func(info *pulumi.RunInfo) {
		info.Config = map[string]string{
			"project:region":           "us-east-1",
			"project:primaryAccessKey": "AKIAPRIMARYEXAMPLE00",
			"project:primarySecretKey": "primary-secret-key",
			"project:replicaAccessKey": "AKIAREPLICAEXAMPLE00",
			"project:replicaSecretKey": "replica-secret-key",
			"project:dbPassword":       "db-password-value",
		}
		info.ConfigSecretKeys = []string{"project:primarySecretKey", "project:replicaSecretKey", "project:dbPassword"}
	})
	if err := pulumi.RunErr(replicateToAnotherAccount, pulumi.WithMocks("project", "stack", mocks), config); err != nil {
		t.Fatal(err)
	}

	want := map[string]string{
		"smx:secretsmanager:Secret primary":                      "111111111111",
		"smx:secretsmanager:SecretVersion primaryValue":          "111111111111",
		"smx:secretsmanager:Secret replica":                      "222222222222",
		"smx:secretsmanager:CrossAccountReplication replication": "111111111111",
	}
	if len(mocks.registered) != len(want) {
		t.Errorf("registered %d resources besides the providers, want %d: %v", len(mocks.registered), len(want), mocks.registered)
	}
	for key, account := range want {
		if got, ok := mocks.registered[key]; !ok {
			t.Errorf("%s was not registered", key)
		} else if got.account != account {
			t.Errorf("%s is managed in account %s, want %s", key, got.account, account)
		}
	}

	primary := mocks.registered["smx:secretsmanager:Secret primary"]
	replica := mocks.registered["smx:secretsmanager:Secret replica"]
	replication := mocks.registered["smx:secretsmanager:CrossAccountReplication replication"]
	if got := plain(replica.inputs["crossAccountPrimaryArn"]); got != primary.arn {
		t.Errorf("the replica's crossAccountPrimaryArn is %q, want the primary's ARN %q", got, primary.arn)
	}
	if got := plain(replica.inputs["kmsKeyId"]); got != "alias/replica-secrets" {
		t.Errorf("the replica's kmsKeyId is %q, want the default customer managed key alias/replica-secrets", got)
	}
	if got := plain(replication.inputs["secretId"]); got != primary.arn {
		t.Errorf("the replication's secretId is %q, want the primary's ARN %q", got, primary.arn)
	}
	if got := plain(replication.inputs["crossAccountReplicaArn"]); got != replica.arn {
		t.Errorf("the replication's crossAccountReplicaArn is %q, want the replica's ARN %q", got, replica.arn)
	}
}
