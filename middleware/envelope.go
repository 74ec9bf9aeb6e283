package middleware

import (
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

// EnvelopeOptions configures Envelope. The zero value is ready to use.
type EnvelopeOptions = envelope.Options

// Envelope guarantees exactly one envelope per request (CONTRACT S7): it
// times the request, collects its flags, and when the handler returns
// writes the answer the handler gave through envelope.Success or
// envelope.Fail, or else translates what the handler wrote itself
// (CONTRACT W1), or else answers success with null data. Existing handlers
// are wrapped unchanged. It is envelope.Wrap as a middleware: see there.
//
// Envelope does not recover panics in the handler: put Recover inside it.
func Envelope(opts EnvelopeOptions) Middleware {
	return func(next http.Handler) http.Handler { return envelope.Wrap(next, opts) }
}
