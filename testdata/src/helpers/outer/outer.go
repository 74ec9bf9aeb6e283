// Package outer calls inner: facts cross two package boundaries.
package outer

import (
	"net/http"

	"helpers/inner"
)

func Reject(rw http.ResponseWriter) { // want Reject:"status:rw body:rw"
	inner.Fail(rw, "rejected")
}

func Responder(w http.ResponseWriter) inner.Responder { // want Responder:"returns.W:w"
	return inner.Responder{W: w}
}

func Echo(w http.ResponseWriter, msg string) { // want Echo:"body:w"
	inner.Print(nil, w)
}
