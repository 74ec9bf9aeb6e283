package middleware

import (
	"io"
	"net/http"
)

// maxHTTP2Drain bounds what drainHTTP2Body reads and throws away: as much as
// the envelope's params reader drains of a body over its limit.
const maxHTTP2Drain = 8 << 20

// drainHTTP2Body reads and throws away, up to maxHTTP2Drain, what is left of
// an HTTP/2 request's body once its answer is ready, before the handler
// returns.
//
// When a handler returns while the client is still sending its body, Go's
// server ends the answer and then resets the stream (RST_STREAM with
// NO_ERROR), as RFC 9113 section 8.1 allows for an answer that needs no
// more of the request. The RFC says clients must not discard the answer
// for that; curl 7.88 (Debian 12's, with nghttp2 1.52) does: it reports
// error 92 and shows no body. This happens to refusals that never read the
// body (an unsupported Content-Type, a missing API key, an unknown action,
// maintenance), and to a small body as often as a body that has not all
// arrived. Once the client has sent its whole body there is nothing left
// to reset, and every client gets the answer. The server's ReadTimeout,
// which net/http applies to each HTTP/2 stream, bounds the wait.
//
// HTTP/1 needs none of this: net/http discards what is left of a body
// itself, or closes the connection after the answer.
func drainHTTP2Body(r *http.Request) {
	if r.ProtoMajor != 2 || r.Body == nil || r.Body == http.NoBody {
		return
	}
	_, _ = io.CopyN(io.Discard, r.Body, maxHTTP2Drain)
}
