// Package exact: the writer is followed through channels, method values,
// closures and their results; a write is reported once, where it is made.
package exact

import (
	"net/http"

	"reply"
)

func channel(w http.ResponseWriter, r *http.Request) {
	ch := make(chan http.ResponseWriter, 1)
	ch <- w
	(<-ch).WriteHeader(404) // want `\(net/http.ResponseWriter\).WriteHeader sets the HTTP status of w;|\(http.ResponseWriter\).WriteHeader sets the HTTP status of w;`
}

type hooks struct{ status func(int) }

// A method value taken from the writer writes where it is called.
func methodValueLater(w http.ResponseWriter, r *http.Request) {
	h := hooks{status: w.WriteHeader}
	h.status(404) // want `w.WriteHeader sets the HTTP status of w;`
	set := w.WriteHeader
	defer set(500) // want `w.WriteHeader sets the HTTP status of w;`
}

// The result of a closure carries the writer it returns.
func closureResult(w http.ResponseWriter, r *http.Request) {
	get := func() http.ResponseWriter { return w }
	get().WriteHeader(401) // want `\(net/http.ResponseWriter\).WriteHeader sets the HTTP status of w;|\(http.ResponseWriter\).WriteHeader sets the HTTP status of w;`
}

// A status written in a method of a struct that holds the writer is
// reported once, where it is written, not at each call.
type responder struct{ w http.ResponseWriter }

func (rs *responder) fail(code int) {
	rs.w.WriteHeader(code) // want `rs.w.WriteHeader sets the HTTP status of rs.w;`
}

func twoCalls(w http.ResponseWriter, r *http.Request) {
	rs := &responder{w: w}
	rs.fail(http.StatusBadRequest)
	rs.fail(http.StatusNotFound)
}

// The message names the handler's own writer and request, not the
// builder chain that carries them.
func builder(rsp http.ResponseWriter, req *http.Request) {
	reply.New(rsp, req).WithStatus(http.StatusNotFound).WithBody("no such user").Write() // want `\(\*reply.Builder\).Write sets the HTTP status of rsp; answer with envelope.Success\(rsp, req, data\) or envelope.Fail\(rsp, req, err\)`
}

// A literal that calls itself returns what its other returns do.
func recursive(w http.ResponseWriter, r *http.Request) {
	var get func(n int) http.ResponseWriter
	get = func(n int) http.ResponseWriter {
		if n == 0 {
			return w
		}
		return get(n - 1)
	}
	get(3).WriteHeader(500) // want `\(http.ResponseWriter\).WriteHeader sets the HTTP status of w;`
}

// A context holding the writer and the request, in the style of gin's:
// the advice uses both fields.
type context struct {
	Writer  http.ResponseWriter
	Request *http.Request
}

func (c *context) abort(code int) {
	c.Writer.WriteHeader(code) // want `c.Writer.WriteHeader sets the HTTP status of c.Writer; answer with envelope.Success\(c.Writer, c.Request, data\)`
}
