// Package http is a stub of net/http, for the errcodes fixtures: the
// types handlers use, and the functions that write a status.
package http

type Header map[string][]string

func (h Header) Get(key string) string { return "" }

type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(statusCode int)
}

type Request struct {
	Header Header
}

type Handler interface {
	ServeHTTP(ResponseWriter, *Request)
}

type HandlerFunc func(ResponseWriter, *Request)

func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) { f(w, r) }

func Error(w ResponseWriter, error string, code int) { w.WriteHeader(code) }

func NotFound(w ResponseWriter, r *Request) { Error(w, "404 page not found", StatusNotFound) }

func Redirect(w ResponseWriter, r *Request, url string, code int) { w.WriteHeader(code) }

const (
	StatusOK                  = 200
	StatusFound               = 302
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusForbidden           = 403
	StatusNotFound            = 404
	StatusConflict            = 409
	StatusTeapot              = 418
	StatusUnprocessableEntity = 422
	StatusInternalServerError = 500
)
