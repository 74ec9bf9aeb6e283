// Package httptest is a stub of the standard library's net/http/httptest
// for the analyzers' tests (see net/http's stub). A ResponseRecorder is a
// concrete type: writing to it is not answering a client.
package httptest

import "net/http"

type ResponseRecorder struct {
	Code      int
	HeaderMap http.Header
	Body      []byte
}

func NewRecorder() *ResponseRecorder {
	return &ResponseRecorder{HeaderMap: http.Header{}, Code: 200}
}

func (rw *ResponseRecorder) Header() http.Header { return rw.HeaderMap }

func (rw *ResponseRecorder) Write(buf []byte) (int, error) {
	rw.Body = append(rw.Body, buf...)
	return len(buf), nil
}

func (rw *ResponseRecorder) WriteString(str string) (int, error) { return rw.Write([]byte(str)) }

func (rw *ResponseRecorder) WriteHeader(code int) { rw.Code = code }

type Server struct {
	URL    string
	Config http.Handler
}

func NewServer(handler http.Handler) *Server {
	return &Server{URL: "http://127.0.0.1", Config: handler}
}

func (s *Server) Close() {}
