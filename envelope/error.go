package envelope

import (
	"errors"
	"time"
)

// Error is an anticipated error: one the API documents and sends to the
// client as it is. Its Status, Code, Message, Attributes and Errors make up
// the envelope's "data"; Err is the cause, for logs and [errors.Unwrap],
// and is never sent.
type Error struct {
	// Status is the envelope status; the zero value means StatusError.
	Status Status
	// Code is stable, machine-readable and CamelCase, such as NoRecipients.
	Code string
	// Message is for people.
	Message string
	// Field names the parameter at fault, when one is known.
	Field string
	// Attributes are the error's own fields, sent beside code and message.
	// Keys that would shadow code, message, field or errors are dropped.
	Attributes map[string]any
	// Errors lists, per field, what failed validation.
	Errors map[string][]string
	// RetryAfter becomes the Retry-After header of a service-unavailable
	// answer when it is positive.
	RetryAfter time.Duration
	// Err is the underlying cause; it is not sent.
	Err error
}

// Sentinels for [errors.Is]: an *Error matches the sentinel of its status,
// whatever its code.
var (
	ErrParameter    = &Error{Status: StatusParameterError}
	ErrValidation   = &Error{Status: StatusValidationError}
	ErrAccessDenied = &Error{Status: StatusAccessDenied}
	ErrNotFound     = &Error{Status: StatusNotFound}
	ErrInternal     = &Error{Status: StatusInternalServerError}
	ErrUnavailable  = &Error{Status: StatusServiceUnavailable}
)

// NewError returns an error envelope (status error) with the action's own
// code, such as NoRecipients.
func NewError(code, message string) *Error {
	return &Error{Status: StatusError, Code: code, Message: message}
}

// ParameterError returns a parameter-error; [Error.WithField] names the
// parameter at fault.
func ParameterError(code, message string) *Error {
	return &Error{Status: StatusParameterError, Code: code, Message: message}
}

// WithField returns a copy of e that names field as the parameter at fault.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// ValidationError returns a validation-error that lists, per field, the
// messages of what failed.
func ValidationError(message string, errs map[string][]string) *Error {
	if message == "" {
		message = "The parameters failed validation"
	}
	return &Error{Status: StatusValidationError, Code: CodeValidationFailed, Message: message, Errors: errs}
}

// AccessDenied returns an access-denied error.
func AccessDenied(code, message string) *Error {
	return &Error{Status: StatusAccessDenied, Code: code, Message: message}
}

// NotFound returns a not-found error.
func NotFound(code, message string) *Error {
	return &Error{Status: StatusNotFound, Code: code, Message: message}
}

// Unavailable returns a service-unavailable error; retryAfter, when
// positive, is sent as the Retry-After header.
func Unavailable(message string, retryAfter time.Duration) *Error {
	return &Error{Status: StatusServiceUnavailable, Code: CodeServiceUnavailable, Message: message, RetryAfter: retryAfter}
}

// Error returns the code and message.
func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.status()) + ": " + e.Code
	}
	return string(e.status()) + ": " + e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same status and, when the
// target has a code, the same code. It makes errors.Is(err, ErrNotFound)
// and errors.Is(err, NewError("NoRecipients", "")) work.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.status() == e.status() && (t.Code == "" || t.Code == e.Code)
}

func (e *Error) status() Status {
	if e.Status == "" {
		return StatusError
	}
	return e.Status
}

// asError returns err's *Error, or nil when err is unanticipated.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// internalError is what the client sees of an unanticipated failure.
func internalError(cause error) *Error {
	return &Error{
		Status:  StatusInternalServerError,
		Code:    CodeInternalServerError,
		Message: "An internal error occurred while processing the request",
		Err:     cause,
	}
}
