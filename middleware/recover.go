package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/apienvelope/apienvelope/envelope"
)

// RecoverOptions configures Recover. The zero value logs panics to
// slog.Default().
type RecoverOptions struct {
	// Logger receives every recovered panic with its stack; nil means
	// slog.Default().
	Logger *slog.Logger
	// OnPanic, when set, is called with every recovered panic, after it is
	// logged and before the answer is written: to count panics or to report
	// them elsewhere. It must not write to the response.
	OnPanic func(r *http.Request, v any, stack []byte)
}

// Recover turns a panic in the handler into the 500 envelope (CONTRACT
// S7). The panic's value and stack go to the log and OnPanic, and into the
// envelope as its message and "stack" attribute; the envelope writer shows
// them only when EnvelopeOptions.Development is set.
//
// A panic with http.ErrAbortHandler is passed on: it means the handler wants
// the connection dropped, not answered.
//
// Inside Envelope, where nothing has been sent when the handler panics, the
// 500 envelope replaces whatever the handler had answered. Without
// Envelope, if the handler had already written to the connection, a second
// answer would only corrupt the first: Recover then panics with
// http.ErrAbortHandler, so that net/http closes the connection and the
// client sees a broken response rather than a truncated success.
func Recover(opts RecoverOptions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var tracker *writeTracker
			if !envelope.Enveloped(r.Context()) {
				tracker = &writeTracker{ResponseWriter: w}
				w = tracker
			}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				stack := debug.Stack()
				logger := opts.Logger
				if logger == nil {
					logger = slog.Default() // the default of the moment, which main may have set late
				}
				logger.ErrorContext(r.Context(), "middleware: panic serving request",
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.Any("panic", v),
					slog.String("stack", string(stack)))
				if opts.OnPanic != nil {
					opts.OnPanic(r, v, stack)
				}
				if tracker != nil && tracker.wrote {
					panic(http.ErrAbortHandler)
				}
				envelope.Fail(w, r, panicError(v, stack))
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// panicError is the 500 envelope of a recovered panic. It has no Err: the
// panic is logged here, with its stack, and Err would make the envelope
// writer log it a second time.
func panicError(v any, stack []byte) *envelope.Error {
	return &envelope.Error{
		Status:     envelope.StatusInternalServerError,
		Code:       envelope.CodeInternalServerError,
		Message:    fmt.Sprint(v),
		Attributes: map[string]any{"cause": fmt.Sprintf("panic: %v", v), "stack": string(stack)},
	}
}

// writeTracker records whether anything reached the client. It forwards
// WriteHeader and Write unchanged.
type writeTracker struct {
	http.ResponseWriter
	wrote bool
}

func (t *writeTracker) WriteHeader(code int) {
	// 1xx answers are interim: the final answer can still follow them.
	if code >= 200 {
		t.wrote = true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *writeTracker) Write(p []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(p)
}

// Flush sends the headers, so it counts as a write.
func (t *writeTracker) Flush() {
	t.wrote = true
	// A writer that cannot flush sends the headers with the body instead.
	_ = http.NewResponseController(t.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writer's other features.
func (t *writeTracker) Unwrap() http.ResponseWriter { return t.ResponseWriter }
