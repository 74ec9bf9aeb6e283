// Package helpers: writing functions of other packages, recognised from
// their facts.
package helpers

import (
	"net/http"

	"helpers/outer"
	"render"
)

func third(w http.ResponseWriter, r *http.Request) {
	render.JSON(w, 1)         // want `render.JSON writes the body of w`
	render.Wrap(w).Flush(nil) // want `\(\*render.Writer\).Flush`
	render.Discard(w, 1)
	render.Header(w)
}

func twoAway(w http.ResponseWriter, r *http.Request) {
	outer.Echo(w, "x") // want `outer.Echo`
}
