// Package unused: declared codes an action never returns are warnings.
package unused

import (
	"context"

	"github.com/apienvelope/apienvelope/envelope"
)

var (
	ErrUsed   = envelope.Declare(envelope.StatusError, "Used", "used")                // want ErrUsed:"returns error/Used"
	ErrUnused = envelope.Declare(envelope.StatusNotFound, "Unused", "never returned") // want ErrUnused:"returns not-found/Unused"
	ErrOther  = envelope.Declare(envelope.StatusError, "Other", "never returned")     // want ErrOther:"returns error/Other"
)

type params struct{ Code string }

func get(ctx context.Context, p params) (any, error) { // want get:"returns error/Used"
	return nil, ErrUsed
}

func dynamic(ctx context.Context, p params) (any, error) { // want dynamic:`returns \?unused.go:23`
	return nil, envelope.NewError(p.Code, "")
}

// errs is a declaration shared by actions.
var errs = []*envelope.Error{ErrUsed, ErrUnused} // want errs:"declares error/Used not-found/Unused"

func Routes() {
	envelope.ActionWith(envelope.ActionOptions{
		Title:  "get",
		Errors: []*envelope.Error{ErrUsed, ErrUnused, ErrOther}, // want `warning: action unused.get declares codes it never returns: error/Other, not-found/Unused`
	}, get)
	envelope.ActionWith(envelope.ActionOptions{Errors: errs}, get) // want `warning: action unused.get declares a code it never returns: not-found/Unused`
	// With a code it cannot determine, it cannot tell.
	envelope.ActionWith(envelope.ActionOptions{Errors: errs}, dynamic) // want `cannot be determined`
}
