// Package imports: the envelope import goes with the imports from outside
// the standard library, or in a group of its own after the standard
// library's.
package imports

import (
	"fmt"
	"net/http"
)

func std(w http.ResponseWriter, r *http.Request) {
	http.Error(w, fmt.Sprint("no"), http.StatusNotFound) // want `http.Error`
}
