package imports

import (
	"net/http" // the standard library

	"github.com/julienschmidt/httprouter" // the router
	"render"
)

func thirdParty(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	http.Error(w, "no", http.StatusNotFound) // want `http.Error`
	render.Header(w)
}
