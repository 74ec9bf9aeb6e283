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

func dynamic(ctx context.Context, p params) (any, error) { // want dynamic:`returns \?helpers.go:38 \?postal.go:55`
	if p.Kind == 1 {
		return nil, postal.Error(p.Server)
	}
	return nil, (&postal.Server{}).Lookup()
}

func Routes() {
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrNoContent}}, send) // want `action helpers.send returns codes it does not declare: access-denied/Suspended \(helpers.send → postal.Status, postal.go:37\), error/Conflict \(helpers.send → postal.Error, postal.go:32\), error/Renamed \(helpers.send → postal.Named → postal.Error, postal.go:32\), error/Wrapped \(helpers.send, helpers.go:31\), not-found/NoSuchServer \(helpers.send → postal.Validate → postal.check, postal.go:25\)`
	envelope.Action(dynamic)                                                                   // want `action helpers.dynamic returns codes that cannot be determined: helpers.dynamic, helpers.go:38: the code p.Server is not a constant, helpers.dynamic → \(\*postal.Server\).Lookup, postal.go:55: the code s.code is not a constant; use constant codes, or give the reason there with //envelopevet:allow <reason>`
}

// Mutually recursive helpers, summarized until neither grows.
func even(n int) error { // want even:"returns error/Even error/Odd"
	if n == 0 {
		return envelope.NewError("Even", "")
	}
	return odd(n - 1)
}

func odd(n int) error { // want odd:"returns error/Even error/Odd"
	if n == 0 {
		return envelope.NewError("Odd", "")
	}
	return even(n - 1)
}

type server struct{}

// count is a method, registered as a method value.
func (s *server) count(ctx context.Context, p params) (int, error) { // want count:"returns error/Even error/Odd"
	return 0, odd(p.Kind)
}

func MoreRoutes(s *server) {
	envelope.Action(s.count) // want `action \(\*helpers.server\).count returns codes it does not declare: error/Even \(\(\*helpers.server\).count → helpers.odd → helpers.even, helpers.go:51\), error/Odd \(\(\*helpers.server\).count → helpers.odd, helpers.go:58\)`
}

// keyed returns its authenticator's error: declared through it.
func keyed(ctx context.Context, p params) (any, error) { // want keyed:"returns access-denied/BadKey"
	return nil, postal.ErrBadKey
}

func KeyedRoutes() {
	envelope.ActionWith(envelope.ActionOptions{Auth: postal.Key()}, keyed)
}
