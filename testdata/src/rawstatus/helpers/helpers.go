// Package helpers calls functions of other packages that write: render one
// package away, inner two packages away through outer.
package helpers

import (
	"net/http"

	"helpers/outer"
	"render"
)

func third(w http.ResponseWriter, r *http.Request) {
	render.Status(w, 400)             // want `render.Status sets the HTTP status of w`
	render.Problem(w, 400, "problem") // want `render.Problem`
	render.Header(w)
}

func twoAway(w http.ResponseWriter, r *http.Request) {
	outer.Reject(w)           // want `outer.Reject`
	outer.Responder(w).Done() // want `\(helpers/inner.Responder\).Done|\(inner.Responder\).Done`
	resp := outer.Responder(nil)
	resp.Done()
}

// A local helper with the writer is a handler itself: its write is
// reported inside it, once, not again where it is called.
func fail(w http.ResponseWriter, code int) {
	w.WriteHeader(code) // want `sets the HTTP status`
}

func caller(w http.ResponseWriter, r *http.Request) {
	fail(w, 400)
}
