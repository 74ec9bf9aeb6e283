// Package types covers renamed imports, aliases, named types, embedding
// interfaces, generics and httprouter handles.
package types

import (
	nethttp "net/http"

	"github.com/julienschmidt/httprouter"
)

type Alias = nethttp.ResponseWriter

type Named nethttp.ResponseWriter

type Flushing interface {
	nethttp.ResponseWriter
	nethttp.Flusher
}

func renamed(w nethttp.ResponseWriter, r *nethttp.Request) {
	nethttp.Error(w, "x", 400) // want `http.Error`
}

func alias(w Alias, r *nethttp.Request) {
	w.WriteHeader(400) // want `sets the HTTP status`
}

func named(w Named, r *nethttp.Request) {
	w.WriteHeader(400) // want `sets the HTTP status`
}

func embedding(w Flushing) {
	w.WriteHeader(400) // want `sets the HTTP status`
	w.Flush()
}

func generic[W nethttp.ResponseWriter](w W, r *nethttp.Request) {
	w.WriteHeader(400) // want `sets the HTTP status`
}

func handle(w nethttp.ResponseWriter, r *nethttp.Request, ps httprouter.Params) {
	nethttp.Redirect(w, r, "/"+ps[0].Value, 302) // want `http.Redirect`
}

// Generic code over a type that is not a writer.
type statuser interface{ WriteHeader(int) }

func notWriter[S statuser](s S) {
	s.WriteHeader(1)
}
