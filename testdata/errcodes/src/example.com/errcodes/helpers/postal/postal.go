// Package postal holds helpers an action calls from another package: its
// facts carry the codes across.
package postal

import (
	"context"
	"fmt"
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

var ErrNoContent = envelope.Declare(envelope.StatusError, "NoContent", "No content") // want ErrNoContent:"returns error/NoContent"

// Validate returns a declared error, or what check returns.
func Validate(s string) error { // want Validate:"returns error/NoContent not-found/NoSuchServer"
	if s == "" {
		return ErrNoContent
	}
	return check(s)
}

func check(s string) error { // want check:"returns not-found/NoSuchServer"
	if s != "ok" {
		return envelope.NotFound("NoSuchServer", "no server "+s)
	}
	return nil
}

// Error makes an error of the code it is given: the code is argument 0.
func Error(code string) error { // want Error:"returns error/[$]0"
	return envelope.NewError(code, "postal: "+code)
}

// Status makes an error of the status and code it is given.
func Status(status envelope.Status, code string) error { // want Status:"returns [$]0/[$]1"
	return &envelope.Error{Status: status, Code: code, Message: code}
}

// Named passes its code on to Error.
func Named(name string) error { // want Named:"returns error/[$]0"
	return Error(name)
}

// Wrap returns the error it is given, wrapped.
func Wrap(err error) error { // want Wrap:"returns wraps[$]0"
	return fmt.Errorf("postal: %w", err)
}

// Lookup is a method whose code comes from its receiver's field: it cannot
// be determined.
type Server struct{ code string }

func (s *Server) Lookup() error { // want Lookup:`returns \?postal.go:55`
	return envelope.NewError(s.code, "")
}

var ErrBadKey = envelope.Declare(envelope.StatusAccessDenied, "BadKey", "Bad key") // want ErrBadKey:"returns access-denied/BadKey"

// Key is an authenticator made in this package and used in another: its
// declaration crosses as a fact.
func Key() *envelope.Authenticator { // want Key:"declares access-denied/BadKey auth PostalKey"
	return &envelope.Authenticator{
		Name:   "PostalKey",
		Errors: []*envelope.Error{ErrBadKey},
		Check: func(r *http.Request) (context.Context, error) {
			return nil, ErrBadKey
		},
	}
}
