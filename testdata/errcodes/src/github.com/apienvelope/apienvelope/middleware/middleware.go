// Package middleware is a stub of the toolkit's middleware package for the
// errcodes fixtures: the router's registrations and a middleware.
package middleware

import "net/http"

type Router struct{}

func NewRouter() *Router { return &Router{} }

func (rt *Router) Action(controller, action string, h http.Handler) {}

func (rt *Router) ActionFunc(controller, action string, fn http.HandlerFunc) {}

type ParamsOptions struct{}

func Params(opts ParamsOptions) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler { return h }
}
