// Package middleware is a stub of the toolkit's middleware package with the
// API the fixtures use.
package middleware

import "net/http"

type Middleware func(http.Handler) http.Handler

type PostOnlyOptions struct{}

func PostOnly(opts PostOnlyOptions) Middleware {
	return func(next http.Handler) http.Handler { return next }
}

type EnvelopeOptions struct{}

func Envelope(opts EnvelopeOptions) Middleware {
	return func(next http.Handler) http.Handler { return next }
}

type RouterOptions struct{}

type Router struct{ actions map[string]http.Handler }

func NewRouter(opts RouterOptions) *Router { return &Router{actions: map[string]http.Handler{}} }

func (rt *Router) Action(controller, action string, h http.Handler) {
	rt.actions[controller+"/"+action] = h
}

func (rt *Router) ActionFunc(controller, action string, fn http.HandlerFunc) {
	rt.Action(controller, action, fn)
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := rt.actions[r.URL.Path]; ok {
		h.ServeHTTP(w, r)
	}
}
