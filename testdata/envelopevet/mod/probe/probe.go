// Package probe has a readiness probe, whose raw 404 -fix leaves alone: an
// envelope is sent with 200, which the probe's client reads as ready.
package probe

import "net/http"

func Routes(mux *http.ServeMux, ready func() bool) {
	mux.HandleFunc("/readyz", newReadinessProbe(ready))
	mux.HandleFunc("/api/users.info", info)
}

func newReadinessProbe(ready func() bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ready() {
			http.NotFound(w, r)
		}
	}
}

func info(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r)
}

// A message is not a route: the fix stands.
func users(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "the users are not ready", http.StatusNotFound)
}
