package routes

import (
	"net/http"

	router "github.com/julienschmidt/httprouter"
)

func handle(w http.ResponseWriter, r *http.Request, ps router.Params) {}

type api struct{ *router.Router }

const get = "GET"

func routes(rt *router.Router, a api) {
	rt.GET("/users/info", handle)                   // want `route registered for GET: actions are called with POST; register it with POST on a router whose NotFound and MethodNotAllowed answer with envelopes, or use middleware.Router`
	rt.PUT("/users/update", handle)                 // want `route registered for PUT`
	rt.PATCH("/users/update", handle)               // want `route registered for PATCH`
	rt.DELETE("/users/delete", handle)              // want `route registered for DELETE`
	rt.HEAD("/users/info", handle)                  // want `route registered for HEAD`
	rt.OPTIONS("/users/info", handle)               // want `route registered for OPTIONS`
	rt.Handle("GET", "/a", handle)                  // want `route registered for GET`
	rt.Handle(get, "/b", handle)                    // want `route registered for GET`
	rt.Handle(http.MethodDelete, "/c", handle)      // want `route registered for DELETE`
	rt.Handler("PUT", "/d", http.NotFoundHandler()) // want `route registered for PUT`
	rt.HandlerFunc("get", "/e", nil)                // want `route registered for GET`
	a.GET("/embedded", handle)                      // want `route registered for GET`

	// Negatives.
	rt.POST("/users/create", handle)
	rt.Handle("POST", "/f", handle)
	rt.Handle(http.MethodPost, "/g", handle)
	var method string
	rt.Handle(method, "/dynamic", handle)
}

// Methods with the same names on other types are not routes.
type client struct{}

func (client) GET(path string) {}

func other(c client) { c.GET("/x") }
