// Package secretsmanager is the smx:secretsmanager module: the resources
// Secret, SecretVersion, RotationSchedule (and SecretRotation),
// SecretPolicy and Tag, and the functions getSecret, getSecretVersion,
// getSecretVersions, getSecrets, getRandomPassword and getSecretRotation,
// drop-ins for pulumi-aws's aws.secretsmanager; and CrossAccountReplication,
// which pulumi-aws lacks. CONTRIBUTING.md maps its files.
package secretsmanager

import "github.com/pulumi/pulumi-go-provider/infer"

// Resources lists the module's resources, each calling AWS through api and
// waiting for AWS as timing says. They are made only here: Secret and
// SecretVersion share one runMemory, which a resource made on its own would
// not.
func Resources(api ClientSource, timing Timing) []infer.InferredResource {
	run := &runMemory{}
	rotation := RotationSchedule{api: api, timing: timing}
	return []infer.InferredResource{
		infer.Resource(&Secret{api: api, timing: timing, run: run}),
		infer.Resource(&SecretVersion{api: api, timing: timing, run: run, reads: newCurrentValueReads(timing.ReadBatchWindow)}),
		infer.Resource(&rotation),
		infer.Resource(&SecretRotation{RotationSchedule: rotation}),
		infer.Resource(&SecretPolicy{api: api, timing: timing}),
		infer.Resource(&Tag{api: api, timing: timing}),
		infer.Resource(&CrossAccountReplication{api: api, timing: timing}),
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
