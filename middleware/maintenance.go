package middleware

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

// MaintenanceOptions configures Maintenance. The zero value never switches
// maintenance on.
type MaintenanceOptions struct {
	// On switches maintenance mode at run time: store true to turn it on,
	// false to turn it off. Nil means never.
	On *atomic.Bool
	// RetryAfter, when positive, is sent as the Retry-After header, rounded
	// up to whole seconds.
	RetryAfter time.Duration
	// Message is the envelope's message; empty means a generic one.
	Message string
}

// Maintenance answers every request with the service-unavailable envelope
// (HTTP 503) while opts.On is true, without running the handler or reading
// the body. It reads opts.On on every request, so maintenance starts and
// ends without a restart.
func Maintenance(opts MaintenanceOptions) Middleware {
	message := opts.Message
	if message == "" {
		message = "The service is down for maintenance"
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opts.On != nil && opts.On.Load() {
				envelope.Fail(w, r, envelope.Unavailable(message, opts.RetryAfter))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
