// Package fix covers the suggested fixes of rawstatus: an answer whose
// status and body are both known becomes the envelope that the Envelope
// wrapper would have made of it, when it is the handler's whole answer.
package fix

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

func badRequest(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "missing name", http.StatusBadRequest) // want `http.Error`
}

func teapot(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "short and stout", http.StatusTeapot) // want `http.Error`
}

func unprocessable(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "name is too long", 422) // want `http.Error`
}

func forbidden(w http.ResponseWriter, req *http.Request) {
	msg := "not yours"
	http.Error(w, msg, http.StatusForbidden) // want `http.Error`
}

func conflict(w http.ResponseWriter, r *http.Request) {
	defer http.Error(w, "busy", http.StatusConflict) // want `http.Error`
}

// Answers on paths that exclude each other are each the whole answer.
func guarded(w http.ResponseWriter, r *http.Request) {
	if r.Method != "POST" {
		http.Error(w, "post only", http.StatusMethodNotAllowed) // want `http.Error`
		return
	}
	http.NotFound(w, r) // want `http.NotFound`
}

// A status followed directly by a text body.
func statusAndText(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound) // want `w.WriteHeader`
	fmt.Fprintln(w, "no such user")    // the body
}

func statusAndWrite(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(400) // want `w.WriteHeader`
	w.Write([]byte("missing name"))
}

func statusAndBytes(w http.ResponseWriter, r *http.Request, body []byte) {
	w.WriteHeader(401) // want `w.WriteHeader`
	w.Write(body)
}

func statusAndFprintf(w http.ResponseWriter, r *http.Request, name string) {
	w.WriteHeader(http.StatusConflict) // want `w.WriteHeader`
	fmt.Fprintf(w, "user %s exists", name)
}

func statusAndWriteString(w http.ResponseWriter, r *http.Request, msg string) {
	w.WriteHeader(http.StatusForbidden) // want `w.WriteHeader`
	io.WriteString(w, msg)
}

// A 2xx status and a JSON body are a success.
func created(w http.ResponseWriter, r *http.Request) {
	user := map[string]string{"name": "ann"}
	w.WriteHeader(http.StatusCreated) // want `w.WriteHeader`
	json.NewEncoder(w).Encode(user)
}

// No fix below: what the handler answers is not known statically, or is
// not the call's alone.

// An error status with a JSON body: the wrapper takes its message from the
// body's "message" or "error" member at run time. A fix of the Encode
// alone would answer success.
func unprocessableJSON(w http.ResponseWriter, r *http.Request) {
	problems := map[string][]string{"name": {"is too long"}}
	w.WriteHeader(422) // want `w.WriteHeader`
	json.NewEncoder(w).Encode(problems)
}

// Both calls write the answer.
func twice(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "no such user", 404) // want `http.Error`
	http.NotFound(w, r)                // want `http.NotFound`
}

// The first call may run before the second.
func notGuarded(w http.ResponseWriter, r *http.Request) {
	if r.Method != "POST" {
		http.Error(w, "post only", http.StatusMethodNotAllowed) // want `http.Error`
	}
	http.NotFound(w, r) // want `http.NotFound`
}

func inLoop(w http.ResponseWriter, r *http.Request, msgs []string) {
	for _, msg := range msgs {
		http.Error(w, msg, http.StatusBadRequest) // want `http.Error`
	}
}

func thenNext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "checked", http.StatusBadRequest) // want `http.Error`
		next.ServeHTTP(w, r)
	})
}

func twoBodies(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(400) // want `w.WriteHeader`
	fmt.Fprint(w, "missing ")
	fmt.Fprint(w, "name")
}

func statusAlone(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent) // want `w.WriteHeader`
}

func createdText(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated) // want `w.WriteHeader`
	fmt.Fprint(w, "created")
}

// 5xx: the wrapper sends the generic 500 envelope and logs the message.
func serverError(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "the database is down", http.StatusInternalServerError) // want `http.Error`
}

func unavailable(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "come back later", http.StatusServiceUnavailable) // want `http.Error`
}

func dynamic(w http.ResponseWriter, r *http.Request, code int) {
	http.Error(w, "dynamic", code) // want `http.Error`
}

func emptyMessage(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "", http.StatusNotFound) // want `http.Error`
}

func noRequest(w http.ResponseWriter) {
	http.Error(w, "no request", http.StatusForbidden) // want `http.Error`
}

func inClosure(w http.ResponseWriter, r *http.Request) {
	fail := func() {
		http.Error(w, "in a closure", http.StatusBadRequest) // want `http.Error`
	}
	fail()
}
