// Package wrapped: handlers named by -wrapped, one by one, are not
// reported; the others are, and so are calls of a wrapped package's
// helpers from them.
package wrapped

import (
	"net/http"

	"rawstatus/wrapped/legacy"
)

// Deliveries is named by -wrapped.
func Deliveries(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r)
}

type server struct{}

// ServeHTTP is named by -wrapped as server.ServeHTTP.
func (*server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusTeapot)
}

// Routes is named by -wrapped: its handler literals are wrapped too.
func Routes(mux *http.ServeMux) {
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		legacy.Reject(w, "gone")
	})
}

// Messages is new code.
func Messages(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusTeapot) // want `w.WriteHeader sets the HTTP status`
	legacy.Reject(w, "no")           // want `legacy.Reject sets the HTTP status`
}
