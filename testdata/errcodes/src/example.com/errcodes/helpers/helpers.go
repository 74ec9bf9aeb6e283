// Package helpers: an action whose codes come from helpers in another
// package, with code parameters resolved at the call sites.
package helpers

import (
	"context"

	"example.com/errcodes/helpers/postal"

	"github.com/apienvelope/apienvelope/envelope"
)

type params struct {
	Kind   int
	Server string
}

var ErrNoContent = postal.ErrNoContent // want ErrNoContent:"returns error/NoContent"

func send(ctx context.Context, p params) (any, error) { // want send:"returns access-denied/Suspended error/Conflict error/NoContent error/Renamed error/Wrapped not-found/NoSuchServer"
	switch p.Kind {
	case 1:
		return nil, postal.Validate(p.Server)
	case 2:
		return nil, postal.Error("Conflict")
	case 3:
		return nil, postal.Status(envelope.StatusAccessDenied, "Suspended")
	case 4:
		return nil, postal.Named("Renamed")
	case 5:
		return nil, postal.Wrap(envelope.NewError("Wrapped", ""))
	}
	return nil, nil
}

func dynamic(ctx context.Context, p params) (any, error) { // want dynamic:`returns \?helpers.go:38 \?postal.go:53`
	if p.Kind == 1 {
		return nil, postal.Error(p.Server)
	}
	return nil, (&postal.Server{}).Lookup()
}

func Routes() {
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrNoContent}}, send) // want `action helpers.send returns codes it does not declare: access-denied/Suspended \(helpers.send → postal.Status, postal.go:35\), error/Conflict \(helpers.send → postal.Error, postal.go:30\), error/Renamed \(helpers.send → postal.Named → postal.Error, postal.go:30\), error/Wrapped \(helpers.send, helpers.go:31\), not-found/NoSuchServer \(helpers.send → postal.Validate → postal.check, postal.go:23\)`
	envelope.Action(dynamic) // want `action helpers.dynamic returns codes that cannot be determined: helpers.dynamic, helpers.go:38: the code p.Server is not a constant, helpers.dynamic → \(\*postal.Server\).Lookup, postal.go:53: the code s.code is not a constant; use constant codes, or give the reason there with //envelopevet:allow <reason>`
}
