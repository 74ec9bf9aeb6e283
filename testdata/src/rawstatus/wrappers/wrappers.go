// Package wrappers: a ResponseWriter wrapper forwarding WriteHeader and
// Write is not reported; writing through it in a handler is.
package wrappers

import "net/http"

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	return r.ResponseWriter.Write(p)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Middleware composes by passing the wrapped writer to the next handler.
func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		_ = rec.status
	})
}

// Wrapping and returning the writer writes nothing.
func wrap(w http.ResponseWriter) http.ResponseWriter {
	return &recorder{ResponseWriter: w}
}

// Writing through the wrapper is writing to the client.
func throughWrapper(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	rec.WriteHeader(500)          // want `\(\*wrappers.recorder\).WriteHeader sets the HTTP status of w;`
	rec.Unwrap().WriteHeader(500) // want `sets the HTTP status`
	wrap(w).WriteHeader(500)      // want `sets the HTTP status`
}
