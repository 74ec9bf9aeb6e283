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
	rt.PATCH("/users/patch", handle)                // want `route registered for PATCH`
	rt.DELETE("/users/delete", handle)              // want `route registered for DELETE`
	rt.HEAD("/users/head", handle)                  // want `route registered for HEAD`
	rt.OPTIONS("/users/options", handle)            // want `route registered for OPTIONS`
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

// Advice that would register a route twice makes httprouter panic at
// start: it is not given.
func clashes(rt, other *router.Router, a api) {
	rt.GET("/orders/:id", handle) // want `route registered for GET: actions are called with POST; POST "/orders/:order" is registered too \(routes.go:\d+\): register this action with POST at a path of its own on a router whose NotFound and MethodNotAllowed answer with envelopes, or use middleware.Router`
	rt.POST("/orders/:order", handle)

	rt.GET("/carts", handle)              // want `route registered for GET: actions are called with POST; DELETE "/carts" \(routes.go:\d+\) has the same path, and both would become POST "/carts", which httprouter refuses: register each action with POST at a path of its own`
	rt.Handle("DELETE", "/carts", handle) // want `DELETE: .* GET "/carts" \(routes.go:\d+\) has the same path`

	// Another variable may hold the same router.
	other.GET("/orders/:id", handle) // want `POST "/orders/:order" is registered too`
	a.Router.GET("/carts", handle)   // want `has the same path`
}

// Methods with the same names on other types are not routes.
type client struct{}

func (client) GET(path string) {}

func other(c client) { c.GET("/x") }
