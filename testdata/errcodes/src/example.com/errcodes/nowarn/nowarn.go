// Package nowarn: with -errcodes.unused=false, declared codes that are
// never returned are not reported; undeclared ones still are.
package nowarn

import (
	"context"

	"github.com/apienvelope/apienvelope/envelope"
)

var ErrUnused = envelope.Declare(envelope.StatusNotFound, "Unused", "never returned") // want ErrUnused:"returns not-found/Unused"

type params struct{}

func get(ctx context.Context, p params) (any, error) { // want get:"returns error/Undeclared"
	return nil, envelope.NewError("Undeclared", "")
}

func Routes() {
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrUnused}}, get) // want `action nowarn.get returns a code it does not declare: error/Undeclared`
}
