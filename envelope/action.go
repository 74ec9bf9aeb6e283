package envelope

import (
	"context"
	"net/http"
	"reflect"
)

// ActionOptions configures a typed action. The zero value is ready to use.
type ActionOptions struct {
	// Strict rejects parameters the Params type has no field for.
	Strict bool
	// Params bounds the body when no Params middleware has read it.
	Params ParamsOptions
	// Title names the action in its documentation, such as "Send a message".
	Title string
	// Description tells what the action does, for its documentation.
	Description string
	// Errors declares the errors the action returns (see Declare). The
	// documentation lists them; in development mode, an error it returns
	// that is not among them, nor its authenticator's, is logged.
	Errors []*Error
	// Auth, when set, decides who may call the action: its Check runs
	// before the parameters are read.
	Auth *Authenticator
}

// Action turns fn into an http.Handler. The request's parameters are decoded
// into P as Decode does; fn's result is sent as the data of a success
// envelope, and its error as Fail sends it.
func Action[P, R any](fn func(ctx context.Context, params P) (R, error)) http.Handler {
	return ActionWith(ActionOptions{}, fn)
}

// ActionWith is Action with options. It panics if opts declares an error
// or an authenticator that cannot be documented (see Declare and
// Authenticator).
func ActionWith[P, R any](opts ActionOptions, fn func(ctx context.Context, params P) (R, error)) http.Handler {
	mustBeValidOptions("ActionWith", opts)
	return &action[P, R]{fn: fn, opts: opts}
}

type action[P, R any] struct {
	fn   func(context.Context, P) (R, error)
	opts ActionOptions
}

// DescribeAction implements Describer.
func (a *action[P, R]) DescribeAction() ActionInfo {
	return ActionInfo{Options: a.opts, Params: reflect.TypeFor[P](), Result: reflect.TypeFor[R]()}
}

func (a *action[P, R]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.opts.Auth != nil {
		var err error
		if r, err = a.opts.Auth.check(r); err != nil {
			failDeclared(w, r, a.opts, err)
			return
		}
	}
	var p P
	if err := decodeRequest(r, &p, a.opts.Strict, a.opts.Params); err != nil {
		Fail(w, r, err)
		return
	}
	result, err := a.fn(r.Context(), p)
	if err != nil {
		failDeclared(w, r, a.opts, err)
		return
	}
	Success(w, r, result)
}
