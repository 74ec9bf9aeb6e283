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
// also through http.Handle and http.HandleFunc) that name a method.
//
// Its advice never names a route that the package already registers on a
// router of the same kind, since the router would panic at start: when
// "GET /users" and "POST /users" are both registered, following the plain
// advice for both would register "/users" twice, so each action is advised
// a path of its own instead. Two variables may hold the same router, so
// every router of a kind counts as the same one.
//
// Not reported, or not seen: routes in _test.go files (test servers may
// imitate any API) and in generated files; methods and patterns that are
// not constants (routes built at run time, or passed to a helper that
// registers them); routers other than httprouter and http.ServeMux
// (gorilla/mux's Methods, chi's Get, echo, gin, ...). The check for routes
// already registered sees the constant routes of the package being
// analysed, and catches the duplicates that panic (the same path, wildcard
// names aside), not httprouter's other wildcard conflicts.
package postonly
