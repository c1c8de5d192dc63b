package secretsmanager

import (
	"context"
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
)

// What an import records in place of a SecretVersion's value.
//
// The engine keeps the inputs that Read returns on import as the resource's
// inputs. `pulumi import` then generates the program's code from them
// (pkg/importer writes every input the schema declares and the state holds),
// prints it and writes it to --out: a value there would reach terminals, CI
// logs and committed programs in plaintext, whether or not it is marked
// secret. With the `import` resource option the state keeps those inputs
// until the next `pulumi up`: the engine resolves an imported resource whose
// diff is empty with the imported state, not the program's inputs.
//
// So the imported inputs hold a placeholder instead of the value, in the
// value's property, as pulumi-pulumiservice generates dummy values for
// secrets: the generated code names the property the program must set, and
// says so where the user edits it. Leaving the property out, as Terraform
// writes sensitive attributes as null, would say it nowhere but in the
// command's output. The placeholder is marked secret like the value
// (remarkSecretsOnRead), so the import-option state keeps a secret input as
// before. The value itself stays in the state's outputs, encrypted, where
// Diff compares the program's value with it and a refresh sees it change.
//
// Check refuses the placeholder in a program, so it can never be stored as
// the value, except in the one Check the engine runs on the imported inputs
// right after the Read: there smx warns instead, with what to do (a failure
// would make the engine call the import a bug of smx).

// importPlaceholders stand in for the value, by the property that holds it.
var importPlaceholders = map[string]string{
	"secretString": "<replace with this version's value, which pulumi import never prints>",
	"secretBinary": "<replace with this version's value, base64-encoded, which pulumi import never prints>",
}

// valueProperty names the property that holds the version's value.
func (s SecretVersionState) valueProperty() string {
	if s.SecretBinary != nil {
		return "secretBinary"
	}
	return "secretString"
}

// importedInputs puts the placeholder in place of the value in the inputs an
// import read, and tells the Check that follows.
func (v *SecretVersion) importedInputs(ctx context.Context, inputs *SecretVersionArgs, state SecretVersionState) {
	property := state.valueProperty()
	placeholder := importPlaceholders[property]
	inputs.SecretString, inputs.SecretBinary = nil, nil
	if property == "secretBinary" {
		inputs.SecretBinary = &placeholder
	} else {
		inputs.SecretString = &placeholder
	}
	v.run.versionImportedWithoutValue(urnIn(ctx), property)
}

// checkValue judges a SecretVersion's value input (values, by property). An
// import's placeholder, or no value at all where the user imported only some
// properties (`pulumi import --properties`), is a note in the Check that
// follows that import, and a failure anywhere else.
func (v *SecretVersion) checkValue(ctx context.Context, c *checks, values map[string]*string) {
	placeholder := ""
	for property, value := range values {
		if value != nil && c.known(property) && isImportPlaceholder(*value) {
			placeholder = property
		}
	}
	property, imported := v.run.takeVersionImportedWithoutValue(urnIn(ctx))
	switch {
	case imported && (placeholder != "" || !c.anyPresent(secretValueProperties)):
		p.GetLogger(ctx).Warning(importedValueNote(property))
	case placeholder != "":
		c.fail(placeholder, "holds the placeholder that `pulumi import` wrote in place of this version's value: set "+
			"it to the value, from a Pulumi secret (for example `pulumi config set --secret`)")
	default:
		c.secretValue(values)
	}
}

func isImportPlaceholder(value string) bool {
	for _, placeholder := range importPlaceholders {
		if value == placeholder {
			return true
		}
	}
	return false
}

// importedValueNote tells the user of `pulumi import` what the generated
// code holds instead of the value, and what to do.
func importedValueNote(property string) string {
	form := ""
	if property == "secretBinary" {
		form = " (base64-encoded)"
	}
	return fmt.Sprintf("%[1]s: the code generated for this import holds a placeholder instead of the secret's "+
		"value, so that the value is never printed; the stack's state keeps it, encrypted. Replace the placeholder "+
		"with the value%[2]s, from a Pulumi secret (for example `pulumi config set --secret`): until then the "+
		"program fails to preview, and a different value makes `pulumi up` store that value as a new version.",
		property, form)
}
