package fix

import (
	"encoding/json"
	"net/http"

	env "github.com/apienvelope/apienvelope/envelope"
)

func list(w http.ResponseWriter, r *http.Request) {
	users := []string{"a"}
	json.NewEncoder(w).Encode(users) // want `writes the body`
}

func info(w http.ResponseWriter, req *http.Request) {
	json.NewEncoder(w).Encode(map[string]int{"a": 1}) // want `writes the body`
	env.Success(w, req, nil)
}

// No fix: the error is used.
func checked(w http.ResponseWriter, r *http.Request) error {
	return json.NewEncoder(w).Encode(1) // want `writes the body`
}
