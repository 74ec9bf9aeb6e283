// Package httprouter is a stub of github.com/julienschmidt/httprouter with
// the API the fixtures use.
package httprouter

import "net/http"

type Param struct{ Key, Value string }

type Params []Param

type Handle func(http.ResponseWriter, *http.Request, Params)

type Router struct{}

func New() *Router { return &Router{} }

func (r *Router) GET(path string, handle Handle)     {}
func (r *Router) HEAD(path string, handle Handle)    {}
func (r *Router) OPTIONS(path string, handle Handle) {}
func (r *Router) POST(path string, handle Handle)    {}
func (r *Router) PUT(path string, handle Handle)     {}
func (r *Router) PATCH(path string, handle Handle)   {}
func (r *Router) DELETE(path string, handle Handle)  {}

func (r *Router) Handle(method, path string, handle Handle)                 {}
func (r *Router) Handler(method, path string, handler http.Handler)         {}
func (r *Router) HandlerFunc(method, path string, handler http.HandlerFunc) {}
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request)        {}
