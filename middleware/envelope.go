package middleware

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

// EnvelopeOptions configures Envelope. The zero value is ready to use.
type EnvelopeOptions = envelope.Options

// Envelope guarantees exactly one envelope per request (CONTRACT S7): it times
// the request, collects its flags, and when the handler returns writes the
// answer the handler gave through envelope.Success or envelope.Fail, or
// else translates what the handler wrote itself (CONTRACT W1), or else answers
// success with null data. Existing handlers are wrapped unchanged.
//
// With opts.AccessLog set, every request gets an X-Request-Id header and
// one log line. The ID is made here: one sent by the client is not believed.
//
// Envelope does not recover panics: put Recover inside it. A second
// Envelope inside the first one passes requests through.
func Envelope(opts EnvelopeOptions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if envelope.FromContext(r.Context()) != nil {
				next.ServeHTTP(w, r)
				return
			}
			ex := envelope.NewExchange(w, r, &opts)
			var requestID string
			if opts.AccessLog != nil {
				requestID = strconv.FormatUint(rand.Uint64(), 16)
				w.Header().Set("X-Request-Id", requestID)
			}
			next.ServeHTTP(ex, ex.Request())
			status := ex.Finish()
			if opts.AccessLog != nil {
				opts.AccessLog.LogAttrs(context.Background(), slog.LevelInfo, "request",
					slog.String("action", r.URL.Path),
					slog.String("status", string(status)),
					slog.Duration("time", time.Since(ex.Start())),
					slog.String("request_id", requestID))
			}
		})
	}
}
