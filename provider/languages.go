package provider

// LogoURL is the package logo, published from the repository's own copy,
// cmd/smx-sdkgen/logo.png (a test checks the file exists). The C# generator
// downloads it; smx's codegen serves that file instead, so generation needs
// no network.
const LogoURL = repositoryFiles + "cmd/smx-sdkgen/logo.png"

// PluginDownloadURL is where the engine downloads the provider plugin from
// when a program needs it and it is not installed: the project's GitHub
// releases, whose assets are the archives `make dist` writes
// (pulumi-resource-smx-v<version>-<os>-<arch>.tar.gz). The schema carries
// it, so every generated SDK declares it to the engine.
const PluginDownloadURL = "github://api.github.com/smxlabs/pulumi-smx"

// repositoryFiles is where the files of the main branch are published.
const repositoryFiles = "https://raw.githubusercontent.com/smxlabs/pulumi-smx/main/"

// languages holds the per-language package names fixed by the project:
// npm @smxlabs/pulumi-smx, Python pulumi_smx, Go module
// github.com/smxlabs/pulumi-smx/sdk, C# namespace Pulumi.Smx.
var languages = map[string]any{
	"nodejs": map[string]any{
		// pulumi-aws's: it names nested input types as pulumi-aws's are
		// (types.input.secretsmanager.SecretReplica, not SecretReplicaArgs),
		// so a program that names one moves over by its import line.
		"compatibility":        "tfbridge20",
		"packageName":          "@smxlabs/pulumi-smx",
		"respectSchemaVersion": true,
		"dependencies": map[string]string{
			"@pulumi/pulumi": "^3.270.0",
		},
	},
	"python": map[string]any{
		// pulumi-aws's: the one thing it changes is how nested types are
		// named, and it names them as pulumi_aws's are, the input of a
		// function `GetSecretsFilterArgs` and the types of a function's
		// result `GetSecretsFilterResult`, so a program that builds
		// `secretsmanager.GetSecretsFilterArgs(...)` moves over by its
		// import line.
		"compatibility":        "tfbridge20",
		"packageName":          "pulumi_smx",
		"respectSchemaVersion": true,
		"pyproject":            map[string]any{"enabled": true},
		"requires": map[string]string{
			"pulumi": ">=3.260.0,<4.0.0",
		},
	},
	"go": map[string]any{
		"importBasePath":                 "github.com/smxlabs/pulumi-smx/sdk/go/smx",
		"rootPackageName":                "smx",
		"generateResourceContainerTypes": true,
		"respectSchemaVersion":           true,
	},
	"csharp": map[string]any{
		"rootNamespace":        "Pulumi",
		"respectSchemaVersion": true,
		"packageReferences": map[string]string{
			"Pulumi": "3.*",
		},
		"namespaces": map[string]string{
			"smx":            "Smx",
			"secretsmanager": "SecretsManager",
		},
	},
}
