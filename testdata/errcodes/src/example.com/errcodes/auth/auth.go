// Package auth: an authenticator's errors join the declaration of every
// action that uses it, and its Check is checked against them.
package auth

import (
	"context"
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

var (
	ErrAccessDenied = envelope.Declare(envelope.StatusAccessDenied, "AccessDenied", "Must be authenticated") // want ErrAccessDenied:"returns access-denied/AccessDenied"
	ErrInvalidKey   = envelope.Declare(envelope.StatusAccessDenied, "InvalidKey", "Invalid key")             // want ErrInvalidKey:"returns access-denied/InvalidKey"
	ErrNeverSent    = envelope.Declare(envelope.StatusError, "NeverSent", "never sent")                      // want ErrNeverSent:"returns error/NeverSent"
)

// apiKey is made by a function, as the demo's is.
func apiKey(key string) *envelope.Authenticator { // want apiKey:"declares access-denied/AccessDenied access-denied/InvalidKey auth APIKey"
	return &envelope.Authenticator{
		Name:   "APIKey",
		Errors: []*envelope.Error{ErrAccessDenied, ErrInvalidKey},
		Check: func(r *http.Request) (context.Context, error) { // want `authenticator APIKey returns a code it does not declare: error/Expired \(auth.go:28\); declare it in Authenticator.Errors`
			switch r.Header.Get("X-Key") {
			case "":
				return nil, ErrAccessDenied
			case "old":
				return nil, envelope.NewError("Expired", "the key expired")
			case key:
				return nil, nil
			}
			return nil, ErrInvalidKey.With("key", r.Header.Get("X-Key"))
		},
	}
}

func checkSession(r *http.Request) (context.Context, error) { // want checkSession:"returns access-denied/AccessDenied"
	return nil, ErrAccessDenied
}

// session is a package-level authenticator with a named Check.
var session = &envelope.Authenticator{ // want session:"declares access-denied/AccessDenied error/NeverSent auth Session"
	Name:   "Session",
	Errors: []*envelope.Error{ErrAccessDenied, ErrNeverSent}, // want `warning: authenticator Session declares a code it never returns: error/NeverSent`
	Check:  checkSession,
}

type params struct{ ID int }

// get returns the authenticator's error itself: declared through it.
func get(ctx context.Context, p params) (any, error) { // want get:"returns access-denied/AccessDenied error/Gone"
	if p.ID == 0 {
		return nil, ErrAccessDenied
	}
	return nil, envelope.NewError("Gone", "")
}

func Routes() {
	auth := apiKey("secret")
	envelope.ActionWith(envelope.ActionOptions{Auth: auth}, get) // want `action auth.get returns a code it does not declare: error/Gone`
	envelope.ActionWith(envelope.ActionOptions{Auth: session, Errors: []*envelope.Error{envelope.NewError("Gone", "")}}, get)
}
