package fix

import (
	"net/http"
)

func badRequest(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "missing name", http.StatusBadRequest) // want `http.Error`
}

func notFound(w http.ResponseWriter, req *http.Request) {
	msg := "no such user"
	http.Error(w, msg, 404) // want `http.Error`
	http.NotFound(w, req)   // want `http.NotFound`
}

func conflict(w http.ResponseWriter, r *http.Request) {
	defer http.Error(w, "busy", http.StatusConflict) // want `http.Error`
}

// No fix: the code is not constant, there is no request, or the result is
// used.
func noFix(w http.ResponseWriter, r *http.Request, code int) {
	http.Error(w, "dynamic", code) // want `http.Error`
}

func noRequest(w http.ResponseWriter) {
	http.Error(w, "no request", http.StatusForbidden) // want `http.Error`
}
