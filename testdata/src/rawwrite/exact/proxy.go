package exact

import (
	"io"
	"net/http"

	"logsink"
)

// caddy's reverse proxy in 12 lines: track stores the writer in a map of
// the receiver, which does not make the receiver's logger a writer.
type proxy struct {
	conns map[int]http.ResponseWriter
	log   *logsink.Logger
}

func (h *proxy) track(w http.ResponseWriter) { h.conns[len(h.conns)] = w }

func (h *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.track(w)
	h.log.Info("proxied")
	h.conns[0].Write(nil) // want `\(net/http.ResponseWriter\).Write writes the body of w around|\(http.ResponseWriter\).Write writes the body of w around`
}

// caddy's idle-timeout reader: it holds the request's body, a controller
// of the writer and a logger; the body is replaced by the reader and the
// writer wrapped around it, a cycle that nests the reader in itself. Its
// logger is still not the writer.
type idleReader struct {
	body io.ReadCloser
	ctrl *http.ResponseController
	log  *logsink.Logger
}

func (ir *idleReader) Read(p []byte) (int, error) { return ir.body.Read(p) }
func (ir *idleReader) Close() error               { return ir.body.Close() }
func (ir *idleReader) done()                      { ir.log.Info("done") }

type deadlineWriter struct {
	http.ResponseWriter
	reader *idleReader
}

func (h *proxy) serveIdle(w http.ResponseWriter, r *http.Request) {
	ir := &idleReader{body: r.Body, ctrl: http.NewResponseController(w), log: h.log}
	defer ir.done()
	r.Body = ir
	w = &deadlineWriter{ResponseWriter: w, reader: ir}
	w.Write(nil) // want `w.Write writes the body of w around`
}
