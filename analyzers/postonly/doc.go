// Package postonly defines an Analyzer that reports routes registered for
// an HTTP method, where the envelope cannot answer requests with other
// methods.
//
// # Analyzer postonly
//
// postonly: report routes registered for an HTTP method
//
// Every apienvelope action is called with POST at its own URL; a request
// with another method gets an envelope, error MethodNotAllowed, with HTTP
// 200 (CONTRACT R3, S6). A route registered for another method is a
// mistake (CONTRACT V3):
//
//	router.GET("/users/info", info)
//	mux.HandleFunc("GET /api/v1/users/info", info)
//
// and so is an http.ServeMux pattern that names POST: for it, the mux
// answers a GET with a plain-text 405 before any middleware runs. The
// route goes, without a method, behind middleware.PostOnly, which answers
// other methods with the envelope:
//
//	mux.Handle("/api/v1/users/info", chain.Then(info)) // chain holds middleware.PostOnly
//
// or the action is registered on middleware.Router, which also answers
// unknown paths with an envelope (a ServeMux answers them with a plain-text
// 404 unless a pattern catches them):
//
//	router.ActionFunc("users", "info", info)
//
// It checks httprouter's GET, PUT, PATCH, DELETE, HEAD and OPTIONS methods
// and Handle, Handler and HandlerFunc with a constant method, and the
// patterns given to http.ServeMux's Handle and HandleFunc (on any mux value,
// also through http.Handle and http.HandleFunc) that name a method. Routes
// registered in _test.go files are not reported: test servers may imitate
// any API.
package postonly
