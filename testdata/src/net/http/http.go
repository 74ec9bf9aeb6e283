// Package http is a stub of the standard library's net/http for the
// analyzers' tests.
//
// Type-checking the real net/http and its dependencies from source, and
// computing handlerflow's facts for all of them, takes minutes under the
// race detector; these stubs take a fraction of a second. The stubs of the
// standard library (the directories of testdata/src named like a package of
// GOROOT/src) hold only the API the fixtures use. A function that sets a
// status or writes a body does it the way the real one does (WriteHeader,
// then Write, through the same helpers), so that handlerflow computes the
// same facts from them as from the real code. The tests run the same
// fixtures against the real standard library when ENVELOPEVET_STDLIB=1 is
// set; see internal/stdstub.
package http

import (
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"time"
)

type Header map[string][]string

func (h Header) Set(key, value string) { h[key] = []string{value} }
func (h Header) Add(key, value string) { h[key] = append(h[key], value) }
func (h Header) Get(key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
func (h Header) Del(key string) { delete(h, key) }

type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(statusCode int)
}

type Flusher interface {
	Flush()
}

type Request struct {
	Method string
	URL    *url.URL
	Header Header
	Body   io.ReadCloser
}

// Write writes the request in wire format to w.
func (r *Request) Write(w io.Writer) error {
	_, err := io.WriteString(w, r.Method)
	return err
}

type Handler interface {
	ServeHTTP(ResponseWriter, *Request)
}

type HandlerFunc func(ResponseWriter, *Request)

func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) { f(w, r) }

type Cookie struct {
	Name, Value string
}

func SetCookie(w ResponseWriter, cookie *Cookie) {
	w.Header().Add("Set-Cookie", cookie.Name+"="+cookie.Value)
}

func Error(w ResponseWriter, error string, code int) {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintln(w, error)
}

func NotFound(w ResponseWriter, r *Request) { Error(w, "404 page not found", StatusNotFound) }

func NotFoundHandler() Handler { return HandlerFunc(NotFound) }

func Redirect(w ResponseWriter, r *Request, url string, code int) {
	w.Header().Set("Location", url)
	w.WriteHeader(code)
	if r.Method == "GET" {
		fmt.Fprintln(w, "<a href=\""+url+"\">"+StatusText(code)+"</a>.")
	}
}

func ServeContent(w ResponseWriter, req *Request, name string, modtime time.Time, content io.ReadSeeker) {
	w.WriteHeader(StatusOK)
	io.Copy(w, content)
}

func ServeFile(w ResponseWriter, r *Request, name string) {
	serveFile(w, r, nil, name)
}

func ServeFileFS(w ResponseWriter, r *Request, fsys fs.FS, name string) {
	serveFile(w, r, fsys, name)
}

func serveFile(w ResponseWriter, r *Request, fsys fs.FS, name string) {
	if fsys == nil {
		Error(w, "404 page not found", StatusNotFound)
		return
	}
	f, err := fsys.Open(name)
	if err != nil {
		NotFound(w, r)
		return
	}
	w.WriteHeader(StatusOK)
	io.Copy(w, f)
}

type ResponseController struct{ rw ResponseWriter }

func NewResponseController(rw ResponseWriter) *ResponseController {
	return &ResponseController{rw: rw}
}

// Flush flushes through the writer's Flusher, a call through an interface.
func (c *ResponseController) Flush() error {
	if f, ok := c.rw.(Flusher); ok {
		f.Flush()
	}
	return nil
}

type ServeMux struct{ patterns map[string]Handler }

func NewServeMux() *ServeMux { return &ServeMux{patterns: map[string]Handler{}} }

func (mux *ServeMux) Handle(pattern string, handler Handler) { mux.patterns[pattern] = handler }

func (mux *ServeMux) HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {
	mux.Handle(pattern, HandlerFunc(handler))
}

func (mux *ServeMux) ServeHTTP(w ResponseWriter, r *Request) {
	if h, ok := mux.patterns[r.Method]; ok {
		h.ServeHTTP(w, r)
	}
}

var DefaultServeMux = NewServeMux()

func Handle(pattern string, handler Handler) { DefaultServeMux.Handle(pattern, handler) }

func HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {
	DefaultServeMux.HandleFunc(pattern, handler)
}

const (
	MethodGet     = "GET"
	MethodPost    = "POST"
	MethodPut     = "PUT"
	MethodDelete  = "DELETE"
	MethodOptions = "OPTIONS"
)

const (
	StatusOK                  = 200
	StatusCreated             = 201
	StatusNoContent           = 204
	StatusMovedPermanently    = 301
	StatusFound               = 302
	StatusPermanentRedirect   = 308
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusForbidden           = 403
	StatusNotFound            = 404
	StatusMethodNotAllowed    = 405
	StatusConflict            = 409
	StatusTeapot              = 418
	StatusUnprocessableEntity = 422
	StatusInternalServerError = 500
	StatusServiceUnavailable  = 503
)

func StatusText(code int) string {
	switch code {
	case StatusOK:
		return "OK"
	case StatusFound:
		return "Found"
	}
	return ""
}
