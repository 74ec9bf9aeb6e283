// Package handlers: existing handlers, registered with HandlerWith or the
// router: their codes are the errors they give envelope.Fail and the HTTP
// statuses they write, as the Envelope middleware translates them.
package handlers

import (
	"context"
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

var (
	ErrBadRequest = envelope.Declare(envelope.StatusParameterError, "BadRequest", "bad request") // want ErrBadRequest:"returns parameter-error/BadRequest"
	ErrNotFound   = envelope.Declare(envelope.StatusNotFound, "NotFound", "not found")           // want ErrNotFound:"returns not-found/NotFound"
	ErrTeapot     = envelope.Declare(envelope.StatusError, "Teapot", "short and stout")          // want ErrTeapot:"returns error/Teapot"
)

// legacy writes its own statuses.
func legacy(w http.ResponseWriter, r *http.Request) { // want legacy:"sends error/Conflict not-found/NotFound parameter-error/BadRequest"
	switch r.Header.Get("X") {
	case "":
		w.WriteHeader(http.StatusBadRequest)
	case "gone":
		http.NotFound(w, r)
	case "dup":
		http.Error(w, "exists", http.StatusConflict)
	}
	w.WriteHeader(http.StatusOK)
}

// writeStatus is a helper: the status is its argument 1.
func writeStatus(w http.ResponseWriter, status int) { // want writeStatus:"sends http[$]1"
	w.WriteHeader(status)
}

// fails answers through the envelope, and through a helper.
func fails(w http.ResponseWriter, r *http.Request) { // want fails:"sends error/ImATeapot error/Teapot"
	if r.Header.Get("X") == "" {
		envelope.Fail(w, r, ErrTeapot)
		return
	}
	writeStatus(w, http.StatusTeapot)
}

type server struct{ status int }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`sends \?handlers.go:50`
	w.WriteHeader(s.status)
}

type params struct{}

func get(ctx context.Context, p params) (any, error) { // want get:"returns not-found/NotFound"
	return nil, ErrNotFound
}

func Routes(rt *middleware.Router, h http.Handler) {
	envelope.HandlerWith[params, any](envelope.ActionOptions{Errors: []*envelope.Error{ErrBadRequest, ErrNotFound}}, http.HandlerFunc(legacy)) // want `action handlers.legacy returns a code it does not declare: error/Conflict \(handlers.legacy, handlers.go:28\)`
	envelope.HandlerWith[params, any](envelope.ActionOptions{Errors: []*envelope.Error{ErrTeapot}},
		middleware.Params(middleware.ParamsOptions{})(http.HandlerFunc(fails))) // want `action returns a code it does not declare: error/ImATeapot \(handlers.fails → handlers.writeStatus, handlers.go:35\)`
	envelope.HandlerWith[params, any](envelope.ActionOptions{}, &server{}) // want `action returns a code that cannot be determined: \(\*handlers.server\).ServeHTTP, handlers.go:50: the HTTP status s.status is not a constant`
	envelope.HandlerWith[params, any](envelope.ActionOptions{}, h)         // want `action returns a code that cannot be determined: handlers.go:64: the handler is h`

	// The router names its actions; a plain handler declares nothing.
	rt.Action("users", "get", envelope.ActionWith(envelope.ActionOptions{}, get)) // want `action users/get returns a code it does not declare: not-found/NotFound`
	rt.ActionFunc("legacy", "list", legacy)                                       // want `action legacy/list returns codes it does not declare: error/Conflict`
	rt.Action("legacy", "h", h)                                                   // made elsewhere: not checked here
	rt.Action("users", "params", middleware.Params(middleware.ParamsOptions{})(
		envelope.ActionWith(envelope.ActionOptions{}, get))) // want `action users/params returns a code it does not declare: not-found/NotFound`

	// Tables of actions are named after their strings.
	for _, a := range []struct {
		controller, action string
		h                  http.Handler
	}{
		{"users", "find", envelope.Action(get)}, // want `action users/find returns a code it does not declare: not-found/NotFound`
	} {
		rt.Action(a.controller, a.action, a.h)
	}
	_ = map[string]http.Handler{
		"users/lookup": envelope.Action(get), // want `action users/lookup returns`
	}
}
