package secretsmanager

import (
	"errors"
	"fmt"
	"strings"
	"time"

	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// The one home of error handling: what each answer of the Secrets Manager API
// means to smx (the is* classifiers, which match AWS's and moto's wording
// where they differ), and the errors smx returns, which say what to do next.

// errGone says a secret (or one of its versions) no longer exists for the
// purposes of Pulumi: it was deleted, is scheduled for deletion, or its
// version was garbage-collected.
var errGone = errors.New("not found or scheduled for deletion")

// isGone reports whether err means the secret or version does not exist or is
// scheduled for deletion.
func isGone(err error) bool {
	var notFound *smtypes.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return true
	}
	return isMarkedForDeletion(err)
}

// isMarkedForDeletion matches the InvalidRequestException that value and
// update calls return for a secret whose deletion is scheduled. AWS says
// "marked for deletion"; moto says "currently marked deleted".
func isMarkedForDeletion(err error) bool {
	var invalid *smtypes.InvalidRequestException
	if !errors.As(err, &invalid) {
		return false
	}
	message := strings.ToLower(invalid.ErrorMessage())
	return strings.Contains(message, "marked for deletion") || strings.Contains(message, "marked deleted")
}

// isScheduledForDeletionConflict matches CreateSecret's answer when the name
// still belongs to a secret scheduled for deletion. AWS answers
// InvalidRequestException; moto answers ResourceExistsException with the same
// wording, so match the wording on either.
func isScheduledForDeletionConflict(err error) bool {
	var invalid *smtypes.InvalidRequestException
	var exists *smtypes.ResourceExistsException
	var message string
	switch {
	case errors.As(err, &invalid):
		message = invalid.ErrorMessage()
	case errors.As(err, &exists):
		message = exists.ErrorMessage()
	default:
		return false
	}
	return strings.Contains(strings.ToLower(message), "scheduled for deletion")
}

func mapGone(err error) error {
	if err != nil && isGone(err) {
		return errGone
	}
	return err
}

func isAlreadyExists(err error) bool {
	var exists *smtypes.ResourceExistsException
	return errors.As(err, &exists)
}

// isReplicatedRefusal matches DeleteSecret's refusal to delete a secret that
// still has replicas (AWS answers InvalidParameterException "... still has
// replica regions ..."; accept InvalidRequestException with the same words).
func isReplicatedRefusal(err error) bool {
	var parameter *smtypes.InvalidParameterException
	var request *smtypes.InvalidRequestException
	switch {
	case errors.As(err, &parameter):
		return strings.Contains(strings.ToLower(parameter.ErrorMessage()), "replica")
	case errors.As(err, &request):
		return strings.Contains(strings.ToLower(request.ErrorMessage()), "replica")
	}
	return false
}

// isInvalidParameter matches AWS's refusal of a parameter, such as a
// staging label's RemoveFromVersionId naming a version that no longer holds
// it.
func isInvalidParameter(err error) bool {
	var parameter *smtypes.InvalidParameterException
	return errors.As(err, &parameter)
}

func isNotFound(err error) bool {
	var notFound *smtypes.ResourceNotFoundException
	return errors.As(err, &notFound)
}

// isPropagationDelay matches the answers AWS gives while a change it made a
// moment ago is not visible everywhere yet.
func isPropagationDelay(err error) bool {
	var notFound *smtypes.ResourceNotFoundException
	var malformed *smtypes.MalformedPolicyDocumentException
	switch {
	case errors.As(err, &notFound):
		return true
	case errors.As(err, &malformed):
		return strings.Contains(strings.ToLower(malformed.ErrorMessage()), "principal")
	}
	return false
}

// isRotationInProgress matches RotateSecret's "A previous rotation isn't
// complete. That rotation will be reattempted."
func isRotationInProgress(err error) bool {
	var invalid *smtypes.InvalidRequestException
	if !errors.As(err, &invalid) {
		return false
	}
	message := strings.ToLower(invalid.ErrorMessage())
	return strings.Contains(message, "previous rotation") &&
		(strings.Contains(message, "isn't complete") || strings.Contains(message, "is not complete"))
}

// isAccessDenied matches an IAM refusal of the call as a whole (in AWS's
// answer or moto's; see config.IsAccessDenied).
func isAccessDenied(err error) bool { return config.IsAccessDenied(err) }

// isLambdaPermissionDelay matches RotateSecret's AccessDeniedException while
// a permission that lets Secrets Manager invoke the rotation function, just
// granted, has not reached everywhere yet: AWS says "Secrets Manager cannot
// invoke the specified Lambda function". A refusal of the caller's own
// permission ("... is not authorized to perform: ...", lambda:InvokeFunction
// included) is not a delay: retrying it for minutes would only hide it.
func isLambdaPermissionDelay(err error) bool {
	var apiErr smithy.APIError
	if !isAccessDenied(err) || !errors.As(err, &apiErr) {
		return false
	}
	message := strings.ToLower(apiErr.ErrorMessage())
	return strings.Contains(message, "cannot invoke") && strings.Contains(message, "lambda") &&
		!strings.Contains(message, "not authorized to perform")
}

func scheduledForDeletionError(name string, deletedDate *time.Time) error {
	when := ""
	if deletedDate != nil {
		when = fmt.Sprintf(" (deleted %s)", deletedDate.UTC().Format(time.RFC3339))
	}
	return fmt.Errorf("cannot create secret %q: a secret with this name is scheduled for deletion%s and AWS keeps "+
		"the name until its recovery window ends. To proceed, either set `restoreIfScheduledForDeletion: true` on "+
		"this Secret to restore that secret and adopt it (with its versions); or delete it for good with "+
		"`aws secretsmanager delete-secret --secret-id %s --force-delete-without-recovery` and run `pulumi up` again; "+
		"or give this Secret another name", name, when, name)
}

// nameTakenAdvice says what to do about a live secret that holds the name a
// Secret would create and is not its own: `pulumi up` and the preview give
// the same advice.
func nameTakenAdvice(name string) string {
	return fmt.Sprintf("a secret with this name already exists; to manage it with Pulumi, import it "+
		"(`pulumi import smx:secretsmanager:Secret <resource name> %s`) or choose another name", name)
}

// previewNameTakenError is the preview's report of a name that a live secret
// holds: the create of `pulumi up` would fail on it.
func previewNameTakenError(name string) error {
	return fmt.Errorf("cannot create secret %q: %s. (If it is the secret this very resource manages, imported or "+
		"moved from pulumi-aws, and `pulumi up --replace` replaces it with deleteBeforeReplace, the preview cannot "+
		"tell it from another's: run that update with --skip-preview.)", name, nameTakenAdvice(name))
}

func rotationStillInProgress(secretARN, pending string, waited time.Duration) error {
	version, removeLabel := "", ""
	if pending != "" {
		version = fmt.Sprintf(" (version %s carries AWSPENDING but not AWSCURRENT)", pending)
		removeLabel = fmt.Sprintf(", then remove the label the cancelled rotation leaves behind: "+
			"`aws secretsmanager update-secret-version-stage --secret-id %s --version-stage AWSPENDING "+
			"--remove-from-version-id %s`", secretARN, pending)
	}
	return fmt.Errorf("a rotation of secret %q is still in progress after waiting %s%s, and AWS refuses to change "+
		"rotation until it is complete. Wait for it to finish and run `pulumi up` again, or cancel it: "+
		"`aws secretsmanager cancel-rotate-secret --secret-id %s`%s", secretARN, waited, version, secretARN, removeLabel)
}

// policyError explains the two refusals users hit most.
func policyError(secretID string, propagationWindow time.Duration, err error) error {
	var public *smtypes.PublicPolicyException
	var malformed *smtypes.MalformedPolicyDocumentException
	switch {
	case errors.As(err, &public):
		return fmt.Errorf("attaching the policy to secret %q: AWS rejects it because it grants broad (public) "+
			"access and blockPublicPolicy is set; narrow its principals or conditions: %w", secretID, err)
	case errors.As(err, &malformed):
		return fmt.Errorf("attaching the policy to secret %q: AWS rejects the document (a principal that does "+
			"not exist yet is retried for %s first): %w", secretID, propagationWindow, err)
	}
	return fmt.Errorf("attaching the policy to secret %q: %w", secretID, err)
}

// describeLookupError turns the API's answer for a secret that cannot be
// read into a message that says why, in the words of the function.
func describeLookupError(function, what string, err error) error {
	switch {
	case isNotFound(err):
		return fmt.Errorf("%s: %s was not found: %w", function, what, err)
	case isMarkedForDeletion(err):
		return fmt.Errorf("%s: %s is scheduled for deletion; restore it (RestoreSecret, e.g. `aws secretsmanager "+
			"restore-secret`) to read it: %w", function, what, err)
	}
	return fmt.Errorf("%s: reading %s: %w", function, what, err)
}
