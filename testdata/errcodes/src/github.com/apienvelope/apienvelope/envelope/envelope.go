// Package envelope is a stub of the toolkit's envelope package for the
// errcodes fixtures: the declaration API, with bodies that errcodes never
// reads (it reads the toolkit by its API).
package envelope

import (
	"context"
	"net/http"
	"time"
)

type Status string

const (
	StatusSuccess             Status = "success"
	StatusParameterError      Status = "parameter-error"
	StatusValidationError     Status = "validation-error"
	StatusAccessDenied        Status = "access-denied"
	StatusNotFound            Status = "not-found"
	StatusError               Status = "error"
	StatusInternalServerError Status = "internal-server-error"
	StatusServiceUnavailable  Status = "service-unavailable"
)

const (
	CodeValidationFailed     = "ValidationFailed"
	CodeMissingParameter     = "MissingParameter"
	CodeInvalidParameter     = "InvalidParameter"
	CodeInvalidParameterType = "InvalidParameterType"
)

type Error struct {
	Status     Status
	Code       string
	Message    string
	Field      string
	Attributes map[string]any
	Errors     map[string][]string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string { return e.Code }

func (e *Error) Unwrap() error { return e.Err }

var ErrNotFound = &Error{Status: StatusNotFound}

func Declare(status Status, code, message string, attributes ...string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

func (e *Error) With(name string, value any) *Error { c := *e; return &c }

func (e *Error) WithField(field string) *Error { c := *e; c.Field = field; return &c }

func NewError(code, message string) *Error { return &Error{Code: code} }

func NotFound(code, message string) *Error { return &Error{Code: code} }

func AccessDenied(code, message string) *Error { return &Error{Code: code} }

func ParameterError(code, message string) *Error { return &Error{Code: code} }

func ValidationError(message string, errs map[string][]string) *Error { return &Error{} }

func Unavailable(message string, retryAfter time.Duration) *Error { return &Error{} }

type Authenticator struct {
	Name, Header, Description string
	Errors                    []*Error
	Check                     func(r *http.Request) (context.Context, error)
}

type ActionOptions struct {
	Strict      bool
	Title       string
	Description string
	Errors      []*Error
	Auth        *Authenticator
}

func Action[P, R any](fn func(ctx context.Context, params P) (R, error)) http.Handler { return nil }

func ActionWith[P, R any](opts ActionOptions, fn func(ctx context.Context, params P) (R, error)) http.Handler {
	return nil
}

func HandlerWith[P, R any](opts ActionOptions, h http.Handler) http.Handler { return h }

func Fail(w http.ResponseWriter, r *http.Request, err error) {}

func Success(w http.ResponseWriter, r *http.Request, data any) {}

func ToolkitParameterCodes() []string { return nil }
