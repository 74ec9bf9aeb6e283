package envelope

import (
	"context"
	"net/http"
)

// ActionOptions configures a typed action. The zero value is ready to use.
type ActionOptions struct {
	// Strict rejects parameters the Params type has no field for.
	Strict bool
	// Params bounds the body when no Params middleware has read it.
	Params ParamsOptions
}

// Action turns fn into an http.Handler. The request's parameters are decoded
// into P as Decode does; fn's result is sent as the data of a success
// envelope, and its error as Fail sends it.
func Action[P, R any](fn func(ctx context.Context, params P) (R, error)) http.Handler {
	return ActionWith(ActionOptions{}, fn)
}

// ActionWith is Action with options.
func ActionWith[P, R any](opts ActionOptions, fn func(ctx context.Context, params P) (R, error)) http.Handler {
	return &action[P, R]{fn: fn, opts: opts}
}

type action[P, R any] struct {
	fn   func(context.Context, P) (R, error)
	opts ActionOptions
}

func (a *action[P, R]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p P
	if err := decodeRequest(r, &p, a.opts.Strict, a.opts.Params); err != nil {
		Fail(w, r, err)
		return
	}
	result, err := a.fn(r.Context(), p)
	if err != nil {
		Fail(w, r, err)
		return
	}
	Success(w, r, result)
}
