package main

import (
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// recordingMocks records the resources a program registers, in order.
type recordingMocks struct {
	mu         sync.Mutex
	registered []string
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered = append(m.registered, args.TypeToken+" "+args.Name)
	return args.Name + "-id", args.Inputs, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

func pulumiRunWithMocks(mocks *recordingMocks) error {
	return pulumi.RunErr(createSecret, pulumi.WithMocks("project", "stack", mocks))
}
