package middleware

import (
	"net/http"
	"slices"
	"strconv"
)

// Middleware wraps a handler: it may answer a request itself or pass it on
// to the handler it wraps. Every constructor in this package returns one.
type Middleware = func(http.Handler) http.Handler

// Chain is an immutable list of middleware, outermost first. Append returns
// a new Chain, so that two chains grown from the same base never share
// their additions. The zero value is an empty chain.
type Chain struct {
	mw []Middleware
}

// NewChain returns a chain of mw, outermost first. It panics if one of them
// is nil, so that a mistake shows when the chain is built rather than on
// the first request.
func NewChain(mw ...Middleware) Chain {
	return Chain{}.Append(mw...)
}

// Append returns a new chain: c's middleware, then mw inside them. c is left
// as it was.
func (c Chain) Append(mw ...Middleware) Chain {
	for i, m := range mw {
		if m == nil {
			panic("middleware: Chain: middleware " + strconv.Itoa(i) + " is nil")
		}
	}
	// Concat allocates anew, so a chain never writes into another's array.
	return Chain{mw: slices.Concat(c.mw, mw)}
}

// Then returns h wrapped in the chain's middleware, the first one outermost.
// The result's Unwrap method returns h, so that what h tells about itself
// (the description of an action, see apidoc.Info) is not hidden by the
// middleware. Then panics if h is nil.
func (c Chain) Then(h http.Handler) http.Handler {
	if h == nil {
		panic("middleware: Chain.Then: nil handler")
	}
	if len(c.mw) == 0 {
		return h
	}
	outer := h
	for _, m := range slices.Backward(c.mw) {
		outer = m(outer)
	}
	return &chained{outer: outer, inner: h}
}

// chained is a handler inside a chain's middleware.
type chained struct {
	outer, inner http.Handler
}

func (c *chained) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.outer.ServeHTTP(w, r) }

// Unwrap returns the handler inside the middleware.
func (c *chained) Unwrap() http.Handler { return c.inner }

// ThenFunc is Then for a handler function.
func (c Chain) ThenFunc(fn http.HandlerFunc) http.Handler {
	if fn == nil {
		panic("middleware: Chain.ThenFunc: nil handler")
	}
	return c.Then(fn)
}
