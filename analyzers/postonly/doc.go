// Package postonly defines an Analyzer that reports routes registered for an
// HTTP method other than POST.
//
// # Analyzer postonly
//
// postonly: report routes registered for a method other than POST
//
// Every apienvelope action is a POST to its own URL. A route for another
// method is a mistake:
//
//	router.GET("/users/info", info)
//	mux.HandleFunc("GET /users/info", info)
//
// should be
//
//	router.POST("/users/info", info)
//	mux.HandleFunc("POST /users/info", info)
//
// It checks httprouter's GET, PUT, PATCH, DELETE, HEAD and OPTIONS methods
// and Handle, Handler and HandlerFunc with a constant method, and the
// patterns given to http.ServeMux's Handle and HandleFunc (on any mux value,
// also through http.Handle and http.HandleFunc) that name a method. A
// pattern without a method ("/users/info") is not reported: it matches
// every method, and the toolkit's router answers non-POST requests with an
// envelope itself.
package postonly
