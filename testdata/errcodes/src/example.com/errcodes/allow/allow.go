// Package allow: "//envelopevet:allow <reason>" where a code is made, or
// on the registration, silences an undetermined code.
package allow

import (
	"context"

	"github.com/apienvelope/apienvelope/envelope"
)

type params struct{ Code string }

// upstream relays the codes of an upstream API, documented there.
func upstream(code string) error { // want upstream:"returns error/[$]0"
	return envelope.NewError(code, "upstream") //envelopevet:allow the upstream API documents its codes
}

func relay(ctx context.Context, p params) (any, error) { // want relay:`returns allowed\?allow.go:19`
	return nil, upstream(p.Code)
}

func dynamic(ctx context.Context, p params) (any, error) { // want dynamic:`returns \?allow.go:23`
	return nil, envelope.NewError(p.Code, "")
}

// onFunction is marked as a whole.
//
//envelopevet:allow codes of the plugin system, listed by each plugin
func onFunction(ctx context.Context, p params) (any, error) { // want onFunction:`returns allowed\?allow.go:30`
	return nil, envelope.NewError(p.Code, "")
}

var ErrDeclared = envelope.Declare(envelope.StatusError, "Declared", "declared") // want ErrDeclared:"returns error/Declared"

func Routes() {
	// An allowed code still counts as unknown: declared codes are not
	// reported as unused beside it.
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrDeclared}}, relay)
	envelope.Action(onFunction)

	//envelopevet:allow the codes are those of the request, checked by the gateway
	envelope.Action(dynamic)
	envelope.Action(dynamic) //envelopevet:allow same as above

	// A comment without a reason suppresses nothing (handlerflow reports it).
	envelope.Action(dynamic) /* want `cannot be determined` */ //envelopevet:allow
}
