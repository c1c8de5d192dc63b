package secretsmanager

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// GenerateSecretString asks Secrets Manager to generate the secret's value,
// as CloudFormation's AWS::SecretsManager::Secret GenerateSecretString does.
// The value is made by GetRandomPassword and stored as the secret's first
// version; it is never a program input and never an output of the resource
// (read it with getSecretVersion, whose result is secret).
type GenerateSecretString struct {
	PasswordLength          *int    `pulumi:"passwordLength,optional"`
	ExcludeCharacters       *string `pulumi:"excludeCharacters,optional"`
	ExcludeLowercase        *bool   `pulumi:"excludeLowercase,optional"`
	ExcludeNumbers          *bool   `pulumi:"excludeNumbers,optional"`
	ExcludePunctuation      *bool   `pulumi:"excludePunctuation,optional"`
	ExcludeUppercase        *bool   `pulumi:"excludeUppercase,optional"`
	IncludeSpace            *bool   `pulumi:"includeSpace,optional"`
	RequireEachIncludedType *bool   `pulumi:"requireEachIncludedType,optional"`
	SecretStringTemplate    *string `pulumi:"secretStringTemplate,optional"`
	GenerateStringKey       *string `pulumi:"generateStringKey,optional"`
}

func (g *GenerateSecretString) Annotate(a infer.Annotator) {
	a.Describe(g, "How Secrets Manager generates the secret's value (as CloudFormation's GenerateSecretString).")
	a.Describe(&g.PasswordLength, "Length of the generated password, 1–4096. Defaults to 32.")
	a.Describe(&g.ExcludeCharacters, "Characters the password must not contain.")
	a.Describe(&g.ExcludeLowercase, "Leave out lowercase letters. Defaults to false.")
	a.Describe(&g.ExcludeNumbers, "Leave out digits. Defaults to false.")
	a.Describe(&g.ExcludePunctuation, "Leave out punctuation. Defaults to false.")
	a.Describe(&g.ExcludeUppercase, "Leave out uppercase letters. Defaults to false.")
	a.Describe(&g.IncludeSpace, "Allow the space character. Defaults to false.")
	a.Describe(&g.RequireEachIncludedType, "Include at least one character of every allowed type. Defaults to true.")
	a.Describe(&g.SecretStringTemplate, "A JSON object the password is inserted into, under `generateStringKey`, "+
		"for example `{\"username\":\"app\"}`. Set together with `generateStringKey`.")
	a.Describe(&g.GenerateStringKey, "The key under which the password is inserted into `secretStringTemplate`.")
}

// passwordRules are the GetRandomPassword rules of g; Secrets Manager's own
// default (requireEachIncludedType true) applies, as in CloudFormation.
func (g *GenerateSecretString) passwordRules() GetRandomPasswordArgs {
	return GetRandomPasswordArgs{
		PasswordLength: g.PasswordLength, ExcludeCharacters: g.ExcludeCharacters,
		ExcludeLowercase: g.ExcludeLowercase, ExcludeNumbers: g.ExcludeNumbers,
		ExcludePunctuation: g.ExcludePunctuation, ExcludeUppercase: g.ExcludeUppercase,
		IncludeSpace: g.IncludeSpace, RequireEachIncludedType: g.RequireEachIncludedType,
	}
}

const requireEachIncludedTypeByDefault = true

func (c *checks) generateSecretString(property string, g *GenerateSecretString) {
	g.passwordRules().checkRules(c, property+".", requireEachIncludedTypeByDefault)
	if (g.SecretStringTemplate == nil) != (g.GenerateStringKey == nil) {
		c.fail(property+".generateStringKey", "set secretStringTemplate and generateStringKey together, or neither")
		return
	}
	if g.SecretStringTemplate != nil {
		var template map[string]any
		if err := json.Unmarshal([]byte(*g.SecretStringTemplate), &template); err != nil || template == nil {
			c.fail(property+".secretStringTemplate", "must be a JSON object, such as {\"username\":\"app\"}")
		} else if _, taken := template[*g.GenerateStringKey]; taken {
			c.fail(property+".generateStringKey", "%q is already a key of secretStringTemplate", *g.GenerateStringKey)
		}
		if *g.GenerateStringKey == "" {
			c.fail(property+".generateStringKey", "must not be empty")
		}
	}
}

// generateValue makes a value with one GetRandomPassword call. Errors never
// carry the value.
func generateValue(ctx context.Context, api API, g *GenerateSecretString) (string, error) {
	out, err := api.GetRandomPassword(ctx, g.passwordRules().request(requireEachIncludedTypeByDefault))
	if err != nil {
		return "", fmt.Errorf("generating the secret's value: %w", err)
	}
	password := aws.ToString(out.RandomPassword)
	if g.SecretStringTemplate == nil {
		return password, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(*g.SecretStringTemplate), &doc); err != nil {
		return "", fmt.Errorf("generateSecretString.secretStringTemplate is not a JSON object")
	}
	doc[aws.ToString(g.GenerateStringKey)] = password
	value, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("generating the secret's value from its template failed")
	}
	return string(value), nil
}

func generationChanged(a, b *GenerateSecretString) bool {
	return !reflect.DeepEqual(a, b)
}
