// Package undetermined: codes errcodes cannot determine, each reported
// with where it is made.
package undetermined

import (
	"context"
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

type params struct {
	Code string
	Kind int
}

var byKind = map[int]*envelope.Error{1: envelope.NewError("One", "")}

type checker interface {
	Check() *envelope.Error
	Err() error
}

func dynamic(ctx context.Context, p params) (any, error) { // want dynamic:`returns \?undetermined.go:26 \?undetermined.go:28 \?undetermined.go:32`
	if p.Kind == 0 {
		return nil, envelope.NewError(p.Code, "") // a code from the request
	}
	if e := byKind[p.Kind]; e != nil { // read from a map
		return nil, e
	}
	e := envelope.NewError("Fixed", "")
	e.Code = p.Code // the code is changed
	return nil, e
}

// fromInterfaces: an interface method's *envelope.Error has an unknown
// code; its plain error is taken as unanticipated, a 500.
func fromInterfaces(c checker) (any, error) { // want fromInterfaces:`returns \?undetermined.go:42`
	if err := c.Err(); err != nil {
		return nil, err
	}
	return nil, c.Check()
}

// makeAction registers a literal whose code comes from a parameter.
func makeAction(code string) http.Handler {
	return envelope.Action(func(ctx context.Context, p params) (any, error) { // want `action returns a code that cannot be determined: undetermined.go:47: its code comes from a parameter of the enclosing function`
		return nil, envelope.NewError(code, "")
	})
}

func factory() func(context.Context, params) (any, error) { return nil }

func register(opts envelope.ActionOptions) {
	envelope.Action(dynamic)           // want `action undetermined.dynamic returns codes that cannot be determined: undetermined.dynamic, undetermined.go:26: the code p.Code is not a constant, undetermined.dynamic, undetermined.go:28: it comes from byKind\[p.Kind\], undetermined.dynamic, undetermined.go:32: e: its Code is assigned` `error/Fixed \(undetermined.dynamic, undetermined.go:31\)`
	envelope.Action(factory())         // want `action returns a code that cannot be determined: undetermined.go:56: the action function is a function value made by factory\(\)`
	envelope.ActionWith(opts, dynamic) // want `action undetermined.dynamic returns codes that cannot be determined: .*its declaration: undetermined.go:57: opts is a parameter` `error/Fixed`
}
