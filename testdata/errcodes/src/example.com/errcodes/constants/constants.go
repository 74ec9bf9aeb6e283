// Package constants: codes given as constants to the envelope's
// constructors, to Declare and in Error literals.
package constants

import (
	"context"

	"github.com/apienvelope/apienvelope/envelope"
)

type params struct{ To []string }

type result struct{}

var ErrNoRecipients = envelope.Declare(envelope.StatusError, "NoRecipients", "There are no recipients") // want ErrNoRecipients:"returns error/NoRecipients"

func send(ctx context.Context, p params) (result, error) { // want send:"returns error/NoRecipients parameter-error/InvalidParameter"
	if len(p.To) == 0 {
		return result{}, envelope.NewError("NoRecipients", "There are no recipients")
	}
	if len(p.To) > 50 {
		// The toolkit's parameter codes need no declaration.
		return result{}, envelope.ParameterError(envelope.CodeInvalidParameter, "too many").WithField("to")
	}
	return result{}, nil
}

// every constructor, and literals.
func every(ctx context.Context, p params) (*result, error) { // want every:"returns access-denied/Forbidden error/Literal error/Teapot not-found/Gone not-found/NoSuchUser service-unavailable/ServiceUnavailable validation-error/ValidationFailed"
	switch len(p.To) {
	case 1:
		return nil, envelope.NotFound("NoSuchUser", "no such user")
	case 2:
		return nil, envelope.AccessDenied("Forbidden", "no")
	case 3:
		return nil, envelope.ValidationError("", nil)
	case 4:
		return nil, envelope.Unavailable("later", 0) // 503 needs no declaration
	case 5:
		return nil, &envelope.Error{Status: envelope.StatusNotFound, Code: "Gone"}
	case 6:
		return nil, &envelope.Error{Code: "Literal"} // the zero status is error
	}
	const teapot = "Teapot"
	return nil, envelope.NewError(teapot, "short and stout")
}

func Routes() {
	envelope.Action(send) // want `action constants.send returns a code it does not declare: error/NoRecipients \(constants.send, constants.go:19\); declare it in ActionOptions.Errors`
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrNoRecipients}}, send)
	envelope.ActionWith(envelope.ActionOptions{}, every) // want `action constants.every returns codes it does not declare: access-denied/Forbidden \(constants.every, constants.go:34\), error/Literal \(constants.every, constants.go:42\), error/Teapot \(constants.every, constants.go:45\), not-found/Gone \(constants.every, constants.go:40\), not-found/NoSuchUser \(constants.every, constants.go:32\), validation-error/ValidationFailed \(constants.every, constants.go:36\)`
}

// A registration at package level.
var handler = envelope.Action(send) // want `action constants.send returns a code it does not declare: error/NoRecipients`
