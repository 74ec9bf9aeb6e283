// Package fix covers the suggested fix of rawwrite: a JSON body alone
// becomes envelope.Success when it is the handler's whole answer.
package fix

import (
	"encoding/json"
	"net/http"

	env "github.com/apienvelope/apienvelope/envelope"
)

func list(w http.ResponseWriter, r *http.Request) {
	users := []string{"a"}
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(users) // want `writes the body`
}

// The error path returns before the body is written.
func guarded(w http.ResponseWriter, req *http.Request) {
	if req.Method != "POST" {
		http.Error(w, "post only", http.StatusMethodNotAllowed) // want `http.Error writes the body of w`
		return
	}
	json.NewEncoder(w).Encode(map[string]int{"a": 1}) // want `writes the body`
}

// No fix below: the answer is not the Encode's alone.

// The issue this fixture was made for: an Encode after an error status is
// an error answer, never a success.
func unprocessable(w http.ResponseWriter, r *http.Request) {
	problems := map[string][]string{"name": {"is too long"}}
	w.WriteHeader(422)
	json.NewEncoder(w).Encode(problems) // want `writes the body`
}

func statusOnOnePath(w http.ResponseWriter, r *http.Request, ok bool) {
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
	}
	json.NewEncoder(w).Encode(ok) // want `writes the body`
}

// The envelope's last answer wins over what the handler wrote itself.
func envelopeAfter(w http.ResponseWriter, req *http.Request) {
	json.NewEncoder(w).Encode(map[string]int{"a": 1}) // want `writes the body`
	env.Success(w, req, nil)
}

func twice(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(1) // want `writes the body`
	json.NewEncoder(w).Encode(2) // want `writes the body`
}

// A function of the package the writer is passed to may write.
func helper(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(1) // want `writes the body`
	audit(w)
}

func audit(w http.ResponseWriter) {}

// The error is used.
func checked(w http.ResponseWriter, r *http.Request) error {
	return json.NewEncoder(w).Encode(1) // want `writes the body`
}
