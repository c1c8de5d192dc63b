package secretsmanager

import "github.com/pulumi/pulumi-go-provider/infer"

// Resources lists the module's resources, each calling AWS through api.
func Resources(api ClientSource) []infer.InferredResource {
	run := &runMemory{}
	return []infer.InferredResource{
		infer.Resource(&Secret{api: api, run: run}),
		infer.Resource(&SecretVersion{api: api, run: run}),
		infer.Resource(NewRotationSchedule(api)),
		infer.Resource(NewSecretRotation(api)),
		infer.Resource(NewSecretPolicy(api)),
	}
}

// Functions lists the module's functions (invokes), each calling AWS through
// api.
func Functions(api ClientSource) []infer.InferredFunction {
	return []infer.InferredFunction{
		getSecretFunction(api),
		getSecretVersionFunction(api),
		getSecretVersionsFunction(api),
		getSecretsFunction(api),
		getRandomPasswordFunction(api),
		getSecretRotationFunction(api),
	}
}
