// Package inner is two packages away from the handlers that use it.
package inner

import (
	"fmt"
	"net/http"
)

func Fail(w http.ResponseWriter, msg string) { // want Fail:"status:w body:w"
	http.Error(w, msg, http.StatusBadRequest)
}

func Print(w fmt.Stringer, out interface{ Write([]byte) (int, error) }) { // want Print:"body:out"
	fmt.Fprint(out, w.String())
}

type Responder struct{ W http.ResponseWriter }

func (r Responder) Done() { // want Done:"status:r"
	r.W.WriteHeader(http.StatusNoContent)
}
