package secretsmanager_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// pulumi-aws 7.48's SecretRotation inputs: rotationEnabled (false turns
// rotation off, the way to stop the rotation AWS turned on itself) and the
// rotation of a managed external secret by its partner
// (externalSecretRotationMetadatas, externalSecretRotationRoleArn).

const (
	externalRole      = "arn:aws:iam::123456789012:role/salesforce-rotation"
	otherExternalRole = "arn:aws:iam::123456789012:role/path/salesforce-rotation-v2"
)

// metadataList is an externalSecretRotationMetadatas value from key, value
// pairs.
func metadataList(pairs ...string) property.Value {
	var items []property.Value
	for i := 0; i+1 < len(pairs); i += 2 {
		items = append(items, property.New(pm{"key": str(pairs[i]), "value": str(pairs[i+1])}))
	}
	return property.New(items)
}

func awsMetadata(pairs ...string) []types.ExternalSecretRotationMetadataItem {
	var items []types.ExternalSecretRotationMetadataItem
	for i := 0; i+1 < len(pairs); i += 2 {
		items = append(items, types.ExternalSecretRotationMetadataItem{Key: aws.String(pairs[i]), Value: aws.String(pairs[i+1])})
	}
	return items
}

// externalInputs are the inputs of an external secret's rotation: a role,
// metadata, no Lambda, and no immediate rotation (so no rotation is left in
// progress in the fake).
func externalInputs(secretID string, extra pm) pm {
	in := rotationInputs(secretID, pm{"automaticallyAfterDays": num(30)}, pm{
		"externalSecretRotationRoleArn":   str(externalRole),
		"externalSecretRotationMetadatas": metadataList("apiVersion", "v65.0"),
		"rotateImmediately":               boolean(false),
	})
	for k, v := range extra {
		in[k] = v
	}
	return in
}

// rotationOffInputs are the inputs of a schedule that turns rotation off.
func rotationOffInputs(secretID string) pm {
	return pm{"secretId": str(secretID), "rotationEnabled": boolean(false)}
}

// turnOnRotationAsAWSDoes configures rotation outside Pulumi, as AWS does
// for the secret of an RDS instance's managed master password.
func turnOnRotationAsAWSDoes(t *testing.T, h *harness, secretID string) {
	t.Helper()
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(secretID), RotationLambdaARN: aws.String(rotationLambda), RotateImmediately: aws.Bool(false),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(7)},
	})
	require.NoError(t, err)
	h.fake.ResetCalls()
}

// ---------------------------------------------------------------------------
// Check

func TestRotationScheduleCheckRotationEnabledAndExternalSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	days := pm{"automaticallyAfterDays": num(30)}
	const metadata = "externalSecretRotationMetadatas"
	cases := []struct {
		name   string
		news   pm
		prop   string // "" = valid
		reason string
	}{
		{name: "rotation off needs no rules", news: rotationOffInputs(rotatedSecret)},
		{name: "rotation on by default needs rules", news: pm{"secretId": str(rotatedSecret)},
			prop: "rotationRules", reason: "is required unless rotationEnabled is false"},
		{name: "rotation on needs rules", news: pm{"secretId": str(rotatedSecret), "rotationEnabled": boolean(true)},
			prop: "rotationRules", reason: "is required unless rotationEnabled is false"},
		{name: "rotation on with rules", news: rotationInputs(rotatedSecret, days, pm{"rotationEnabled": boolean(true)})},
		{name: "rotation off with rules", news: pmWith(rotationOffInputs(rotatedSecret), "rotationRules", object(days)),
			prop: "rotationRules", reason: "must be omitted when rotationEnabled is false"},
		{name: "rotation off with a function", news: pmWith(rotationOffInputs(rotatedSecret), "rotationLambdaArn", str(rotationLambda)),
			prop: "rotationLambdaArn", reason: "must be omitted when rotationEnabled is false"},
		{name: "rotation off with a role", news: pmWith(rotationOffInputs(rotatedSecret), "externalSecretRotationRoleArn", str(externalRole)),
			prop: "externalSecretRotationRoleArn", reason: "must be omitted when rotationEnabled is false"},
		{name: "rotation off with metadata", news: pmWith(rotationOffInputs(rotatedSecret), metadata, metadataList("k", "v")),
			prop: metadata, reason: "must be omitted when rotationEnabled is false"},
		{name: "rotation off with unknown rules", news: pmWith(rotationOffInputs(rotatedSecret), "rotationRules", computed()),
			prop: "rotationRules", reason: "must be omitted"},
		{name: "rotationEnabled unknown, no rules", news: pm{"secretId": str(rotatedSecret), "rotationEnabled": computed()}},
		{name: "rotationEnabled unknown, bad rules", news: rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(0)},
			pm{"rotationEnabled": computed()}), prop: "rotationRules.automaticallyAfterDays", reason: "must be 1 to 1000 days"},
		{name: "external rotation", news: externalInputs(rotatedSecret, nil)},
		{name: "role with a path", news: externalInputs(rotatedSecret, pm{"externalSecretRotationRoleArn": str(otherExternalRole)})},
		{name: "role in another partition", news: externalInputs(rotatedSecret,
			pm{"externalSecretRotationRoleArn": str("arn:aws-us-gov:iam::123456789012:role/rotate")})},
		{name: "a Lambda's ARN as the role", news: externalInputs(rotatedSecret, pm{"externalSecretRotationRoleArn": str(rotationLambda)}),
			prop: "externalSecretRotationRoleArn", reason: "must be the ARN of an IAM role"},
		{name: "a user's ARN as the role", news: externalInputs(rotatedSecret,
			pm{"externalSecretRotationRoleArn": str("arn:aws:iam::123456789012:user/alice")}),
			prop: "externalSecretRotationRoleArn", reason: "must be the ARN of an IAM role"},
		{name: "a role name", news: externalInputs(rotatedSecret, pm{"externalSecretRotationRoleArn": str("salesforce-rotation")}),
			prop: "externalSecretRotationRoleArn", reason: "must be the ARN of an IAM role"},
		{name: "empty key", news: externalInputs(rotatedSecret, pm{metadata: metadataList("apiVersion", "v65.0", "", "x")}),
			prop: metadata + "[1].key", reason: "must be 1 to 256 characters long"},
		{name: "key of 257", news: externalInputs(rotatedSecret, pm{metadata: metadataList(strings.Repeat("k", 257), "x")}),
			prop: metadata + "[0].key", reason: "must be 1 to 256 characters long"},
		{name: "key of 256 characters", news: externalInputs(rotatedSecret, pm{metadata: metadataList(strings.Repeat("é", 256), "x")})},
		{name: "empty value", news: externalInputs(rotatedSecret, pm{metadata: metadataList("apiVersion", "")}),
			prop: metadata + "[0].value", reason: "must be 1 to 2048 characters long"},
		{name: "value of 2049", news: externalInputs(rotatedSecret, pm{metadata: metadataList("apiVersion", strings.Repeat("v", 2049))}),
			prop: metadata + "[0].value", reason: "must be 1 to 2048 characters long"},
		{name: "value of 2048 characters", news: externalInputs(rotatedSecret, pm{metadata: metadataList("apiVersion", strings.Repeat("é", 2048))})},
		{name: "unknown role", news: externalInputs(rotatedSecret, pm{"externalSecretRotationRoleArn": computed()})},
		{name: "unknown metadata value", news: externalInputs(rotatedSecret, pm{metadata: property.New([]property.Value{
			property.New(pm{"key": str("adminSecretArn"), "value": computed()})})})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			resp := h.check(rotationType, "rotation", property.Map{}, c.news)
			if c.prop == "" {
				assert.Empty(t, resp.Failures)
				return
			}
			reasons := failuresOn(resp, c.prop)
			require.Lenf(t, reasons, 1, "want a failure on %s, got %v", c.prop, resp.Failures)
			assert.Contains(t, reasons[0], c.reason)
		})
	}
	h.t = t
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

// A metadata value is the partner's business: a reason names its length,
// never the value.
func TestRotationScheduleCheckMetadataReasonOmitsTheValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	value := "partner-token-" + strings.Repeat("x", 2048)
	resp := h.check(rotationType, "rotation", property.Map{},
		externalInputs(rotatedSecret, pm{"externalSecretRotationMetadatas": metadataList("token", value)}))
	require.Len(t, resp.Failures, 1)
	assert.NotContains(t, resp.Failures[0].Reason, "partner-token-")
}

// Like the Lambda function, AWS keeps an external rotation's role and
// metadata when RotateSecret leaves them out, so removing them from the
// program could never take effect; turning rotation off can drop them.
func TestRotationScheduleCheckExternalSettingsCannotBeRemoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	olds := h.checkOK(rotationType, "rotation", property.Map{}, externalInputs(rotatedSecret, nil))
	without := externalInputs(rotatedSecret, nil)
	delete(without, "externalSecretRotationRoleArn")
	reasons := failuresOn(h.check(rotationType, "rotation", olds, without), "externalSecretRotationRoleArn")
	require.Len(t, reasons, 1)
	assert.Contains(t, reasons[0], "cannot be removed")
	assert.Contains(t, reasons[0], externalRole)

	without = externalInputs(rotatedSecret, nil)
	delete(without, "externalSecretRotationMetadatas")
	reasons = failuresOn(h.check(rotationType, "rotation", olds, without), "externalSecretRotationMetadatas")
	require.Len(t, reasons, 1)
	assert.Contains(t, reasons[0], "cannot be removed")

	h.checkOK(rotationType, "rotation", olds, externalInputs(rotatedSecret, pm{
		"externalSecretRotationRoleArn": str(otherExternalRole), "externalSecretRotationMetadatas": metadataList("apiVersion", "v66.0"),
	}))
	h.checkOK(rotationType, "rotation", olds, rotationOffInputs(rotatedSecret))
	assert.Zero(t, h.fake.TotalCalls())
}

// ---------------------------------------------------------------------------
// Create

func TestRotationScheduleCreateExternalRotationWithoutLambda(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", externalInputs(secret.id, nil))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpRotateSecret: 1}, h.fake.Calls())

	in := rotateRequests(t, h.fake)[0]
	assert.Nil(t, in.RotationLambdaARN, "a partner rotates an external secret: no function")
	assert.Equal(t, externalRole, aws.ToString(in.ExternalSecretRotationRoleArn))
	assert.Equal(t, awsMetadata("apiVersion", "v65.0"), in.ExternalSecretRotationMetadata)

	d := h.describe(rotatedSecret)
	assert.True(t, aws.ToBool(d.RotationEnabled))
	assert.Equal(t, externalRole, aws.ToString(d.ExternalSecretRotationRoleArn))
	assert.Equal(t, str(externalRole), r.state.Get("externalSecretRotationRoleArn"))
	assert.Equal(t, metadataList("apiVersion", "v65.0"), r.state.Get("externalSecretRotationMetadatas"))
	assert.Equal(t, boolean(true), r.state.Get("rotationEnabled"))

	// A refresh reads back exactly what was written: no drift.
	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	for _, key := range []string{"externalSecretRotationRoleArn", "externalSecretRotationMetadatas", "rotationRules", "rotationEnabled"} {
		assert.Equal(t, r.state.Get(key), resp.Properties.Get(key), key)
	}
	assert.Equal(t, r.inputs.Get("externalSecretRotationMetadatas"), resp.Inputs.Get("externalSecretRotationMetadatas"))
	_, d2 := h.diff(created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, externalInputs(secret.id, nil))
	assert.False(t, d2.HasChanges, "%v", d2.DetailedDiff)
}

// The use pulumi-aws documents: AWS turned rotation on itself (an RDS
// instance's managed master password), and the program turns it off.
func TestRotationScheduleCreateWithRotationOffCancelsRotationAWSTurnedOn(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	turnOnRotationAsAWSDoes(t, h, secret.id)

	r := h.create(rotationType, "rotation", rotationOffInputs(rotatedSecret))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpCancelRotateSecret: 1}, h.fake.Calls(),
		"one DescribeSecret, one CancelRotateSecret; the preview makes none")
	assert.Equal(t, secret.id, r.id)
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled), "rotation is off in AWS")
	assert.Equal(t, boolean(false), r.state.Get("rotationEnabled"))
	_, hasDate := r.state.GetOk("nextRotationDate")
	assert.False(t, hasDate, "no rotation is scheduled")
	// The state records the settings the secret keeps, exactly as AWS reports them.
	assert.Equal(t, str(rotationLambda), r.state.Get("rotationLambdaArn"))
	assert.Equal(t, num(7), r.state.Get("rotationRules").AsMap().Get("automaticallyAfterDays"))

	// The refresh finds no drift, and the program unchanged no change.
	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, r.id, resp.ID, "a schedule that turns rotation off exists while rotation is off")
	assert.Equal(t, boolean(false), resp.Properties.Get("rotationEnabled"))
	assert.Equal(t, boolean(false), resp.Inputs.Get("rotationEnabled"))
	_, hasRules := resp.Inputs.GetOk("rotationRules")
	assert.False(t, hasRules, "the inputs keep the program's words: no rules")
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	h.requireNoChange(refreshed, rotationOffInputs(rotatedSecret))
}

func TestRotationScheduleCreateWithRotationOffOnASecretWithoutRotationMakesNoWrite(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationOffInputs(secret.id))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "rotation is off already: nothing to cancel")
	assert.Equal(t, boolean(false), r.state.Get("rotationEnabled"))
	assert.Nil(t, h.describe(rotatedSecret).RotationEnabled, "AWS never saw a rotation setting")
}

// Turning off a rotation that is in progress leaves AWSPENDING behind, as
// Delete does; it is removed with one more call.
func TestRotationScheduleCreateWithRotationOffDuringARotationClearsAWSPENDING(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: aws.String(secret.id),
		RotationLambdaARN: aws.String(rotationLambda), RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(7)}})
	require.NoError(t, err)
	require.Len(t, pendingVersions(t, h.fake, rotatedSecret), 1)
	h.fake.ResetCalls()

	h.create(rotationType, "rotation", rotationOffInputs(secret.id))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpCancelRotateSecret: 1, fakesm.OpUpdateSecretVersionStage: 1},
		h.fake.Calls())
	assert.Empty(t, pendingVersions(t, h.fake, rotatedSecret), "AWSPENDING no longer blocks a later rotation")
}

// ---------------------------------------------------------------------------
// Read

// AWS turns some managed secrets' rotation on again (an Aurora cluster's,
// until an instance is available): the refresh shows it as drift, never
// as gone, and the next update turns rotation off again.
func TestRotationScheduleReadRotationTurnedOnAgainIsDrift(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationOffInputs(secret.id))
	turnOnRotationAsAWSDoes(t, h, secret.id)

	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, r.id, resp.ID)
	assert.Equal(t, boolean(true), resp.Properties.Get("rotationEnabled"), "what AWS reports")
	assert.Equal(t, boolean(true), resp.Inputs.Get("rotationEnabled"), "the program set it, so it follows AWS")
	getString(t, resp.Properties, "nextRotationDate")

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, rotationOffInputs(secret.id))
	assert.Equal(t, map[string]p.PropertyDiff{"rotationEnabled": {Kind: p.Update}}, d.DetailedDiff,
		"only rotationEnabled: the settings AWS keeps are not the program's")
	h.fake.ResetCalls()
	after := h.update(refreshed, rotationOffInputs(secret.id))
	assert.Equal(t, map[string]int{fakesm.OpCancelRotateSecret: 1}, h.fake.Calls())
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled))
	assert.Equal(t, boolean(false), after.state.Get("rotationEnabled"))
}

func TestRotationScheduleReadExternalSettingsChangedOutOfBand(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", externalInputs(secret.id, nil))
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: aws.String(secret.id), RotateImmediately: aws.Bool(false),
		ExternalSecretRotationRoleArn:  aws.String(otherExternalRole),
		ExternalSecretRotationMetadata: awsMetadata("apiVersion", "v66.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf")})
	require.NoError(t, err)
	h.fake.ResetCalls()

	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	for _, m := range []property.Map{resp.Properties, resp.Inputs} {
		assert.Equal(t, str(otherExternalRole), m.Get("externalSecretRotationRoleArn"))
		assert.Equal(t, metadataList("apiVersion", "v66.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
			m.Get("externalSecretRotationMetadatas"), "exactly as AWS reports them, in its order")
	}
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, externalInputs(secret.id, nil))
	assert.Equal(t, map[string]p.PropertyDiff{
		"externalSecretRotationRoleArn":   {Kind: p.Update},
		"externalSecretRotationMetadatas": {Kind: p.Update},
	}, d.DetailedDiff)
}

// ---------------------------------------------------------------------------
// Diff, Update and Delete

func TestRotationScheduleDiffRotationEnabledAndExternalSettings(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	lambdaRotation := h.create(rotationType, "lambda", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)},
		withLambda(pm{"rotateImmediately": boolean(false)})))
	other := h.create(secretType, "other", pm{"name": str("app/other")})
	external := h.create(rotationType, "external", externalInputs(other.id, nil))
	third := h.create(secretType, "third", pm{"name": str("app/third")})
	turnOnRotationAsAWSDoes(t, h, third.id)
	off := h.create(rotationType, "off", rotationOffInputs(third.id))
	h.fake.ResetCalls()

	cases := []struct {
		name string
		r    created
		news pm
		want map[string]p.DiffKind
	}{
		{name: "rotation turned off", r: lambdaRotation, news: pmWith(rotationOffInputs(secret.id), "rotateImmediately", boolean(false)),
			want: map[string]p.DiffKind{"rotationEnabled": p.Update}},
		{name: "rotationEnabled true is the default", r: lambdaRotation, news: rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)},
			withLambda(pm{"rotateImmediately": boolean(false), "rotationEnabled": boolean(true)}))},
		{name: "role added", r: lambdaRotation, news: rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)},
			withLambda(pm{"rotateImmediately": boolean(false), "externalSecretRotationRoleArn": str(externalRole)})),
			want: map[string]p.DiffKind{"externalSecretRotationRoleArn": p.Add}},
		{name: "role changed", r: external, news: externalInputs(other.id, pm{"externalSecretRotationRoleArn": str(otherExternalRole)}),
			want: map[string]p.DiffKind{"externalSecretRotationRoleArn": p.Update}},
		{name: "metadata changed", r: external, news: externalInputs(other.id, pm{"externalSecretRotationMetadatas": metadataList("apiVersion", "v66.0")}),
			want: map[string]p.DiffKind{"externalSecretRotationMetadatas": p.Update}},
		{name: "metadata reordered", r: external, news: externalInputs(other.id,
			pm{"externalSecretRotationMetadatas": metadataList("apiVersion", "v65.0", "a", "b")}),
			want: map[string]p.DiffKind{"externalSecretRotationMetadatas": p.Update}},
		{name: "external rotation turned off", r: external, news: pmWith(rotationOffInputs(other.id), "rotateImmediately", boolean(false)),
			want: map[string]p.DiffKind{"rotationEnabled": p.Update}},
		{name: "off stays off", r: off, news: rotationOffInputs(third.id)},
		{name: "off turned on, keeping the function AWS kept", r: off, news: rotationInputs(third.id, pm{"automaticallyAfterDays": num(7)}, nil),
			want: map[string]p.DiffKind{"rotationEnabled": p.Update}},
		{name: "off turned on with other rules", r: off, news: rotationInputs(third.id, pm{"automaticallyAfterDays": num(30)}, nil),
			want: map[string]p.DiffKind{"rotationEnabled": p.Update, "rotationRules": p.Update}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			_, d := h.diff(c.r, c.news)
			got := map[string]p.DiffKind{}
			for k, v := range d.DetailedDiff {
				got[k] = v.Kind
			}
			if c.want == nil {
				c.want = map[string]p.DiffKind{}
			}
			assert.Equal(t, c.want, got)
			assert.False(t, d.DeleteBeforeReplace, "every change is an update in place")
		})
	}
	h.t = t
	assert.Zero(t, h.fake.TotalCalls(), "Diff makes no API call")
}

func TestRotationScheduleUpdateTurnsRotationOffAndOn(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	on := rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)}))
	r := h.create(rotationType, "rotation", on)
	h.fake.ResetCalls()

	// true → false: one CancelRotateSecret.
	r = h.update(r, rotationOffInputs(secret.id))
	assert.Equal(t, map[string]int{fakesm.OpCancelRotateSecret: 1}, h.fake.Calls())
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled))
	assert.Equal(t, boolean(false), r.state.Get("rotationEnabled"))
	_, hasDate := r.state.GetOk("nextRotationDate")
	assert.False(t, hasDate)

	// false → false with only rotateImmediately changed: no call.
	h.fake.ResetCalls()
	r = h.update(r, pmWith(rotationOffInputs(secret.id), "rotateImmediately", boolean(false)))
	assert.Zero(t, h.fake.TotalCalls())

	// false → true: one RotateSecret (the secret kept its function), one DescribeSecret.
	h.fake.ResetCalls()
	r = h.update(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, pm{"rotateImmediately": boolean(false)}))
	assert.Equal(t, map[string]int{fakesm.OpRotateSecret: 1, fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	d := h.describe(rotatedSecret)
	assert.True(t, aws.ToBool(d.RotationEnabled))
	assert.Equal(t, rotationLambda, aws.ToString(d.RotationLambdaARN), "AWS kept the function while rotation was off")
	assert.Equal(t, boolean(true), r.state.Get("rotationEnabled"))
	requireRotationDate(t, getString(t, r.state, "nextRotationDate"), d.NextRotationDate)
}

func TestRotationScheduleUpdateExternalSettings(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", externalInputs(secret.id, nil))
	h.fake.ResetCalls()

	r = h.update(r, externalInputs(secret.id, pm{
		"externalSecretRotationRoleArn":   str(otherExternalRole),
		"externalSecretRotationMetadatas": metadataList("apiVersion", "v66.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
	}))
	assert.Equal(t, map[string]int{fakesm.OpRotateSecret: 1, fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	in := rotateRequests(t, h.fake)[0]
	assert.Equal(t, otherExternalRole, aws.ToString(in.ExternalSecretRotationRoleArn))
	assert.Equal(t, awsMetadata("apiVersion", "v66.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
		in.ExternalSecretRotationMetadata)
	d := h.describe(rotatedSecret)
	assert.Equal(t, otherExternalRole, aws.ToString(d.ExternalSecretRotationRoleArn))
	assert.Len(t, d.ExternalSecretRotationMetadata, 2)
	assert.Equal(t, str(otherExternalRole), r.state.Get("externalSecretRotationRoleArn"))

	// The refresh after the update finds what the update recorded.
	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, r.state.Get("externalSecretRotationMetadatas"), resp.Properties.Get("externalSecretRotationMetadatas"))
	assert.Equal(t, r.state.Get("externalSecretRotationRoleArn"), resp.Properties.Get("externalSecretRotationRoleArn"))
}

// Deleting a schedule that turned rotation off has nothing to cancel and
// does not turn rotation back on (as in pulumi-aws).
func TestRotationScheduleDeleteWithRotationOffMakesNoCall(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	turnOnRotationAsAWSDoes(t, h, secret.id)
	r := h.create(rotationType, "rotation", rotationOffInputs(secret.id))
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Zero(t, h.fake.TotalCalls())
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled), "rotation stays off")
}
