package envelope

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Wrap returns a handler that answers every request with exactly one
// envelope (CONTRACT S7): it times the request, collects its flags, and
// when h returns writes the answer h gave through [Success] or [Fail], or
// else the translation of what h wrote itself (CONTRACT W1), or else
// success with null data. Existing handlers are wrapped unchanged.
//
// A panic while the answer is encoded becomes the 500 envelope. Over
// HTTP/2, what is left of the request's body is read and thrown away, up
// to 8 MiB, before Wrap returns: some clients drop an answer when the
// server resets their upload. Wrap does
// not recover panics in h: put the Recover middleware inside it. Inside
// another Wrap, it passes requests through. The Envelope middleware is
// Wrap.
//
// With opts.AccessLog set, every request gets an X-Request-Id header and
// one log line. The ID is made here: one sent by the client is not believed.
func Wrap(h http.Handler, opts Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fromContext(r.Context()) != nil {
			h.ServeHTTP(w, r)
			return
		}
		ex := newExchange(w, r, &opts)
		var requestID string
		if opts.AccessLog != nil {
			requestID = strconv.FormatUint(rand.Uint64(), 16)
			w.Header().Set("X-Request-Id", requestID)
		}
		h.ServeHTTP(ex, r.WithContext(ex))
		status := ex.finish()
		// Before Wrap returns, so that every HTTP/2 client gets the answer.
		drainHTTP2Body(r)
		if opts.AccessLog != nil {
			opts.AccessLog.LogAttrs(context.Background(), slog.LevelInfo, "request",
				slog.String("action", r.URL.Path),
				slog.String("status", string(status)),
				slog.Duration("time", ex.elapsed()),
				slog.String("request_id", requestID))
		}
	})
}

// Enveloped reports whether ctx is the context of a request served inside
// [Wrap], where nothing reaches the client before the handler returns.
func Enveloped(ctx context.Context) bool { return fromContext(ctx) != nil }

// exchange is one request on its way through the envelope. It is both the
// request's context and the response writer the handler sees, so that one
// allocation carries the start time, the flags and the answer.
type exchange struct {
	parent context.Context
	w      http.ResponseWriter
	opts   *Options
	start  time.Duration // since clockBase: one clock read, where time.Now takes two

	mu    sync.Mutex // guards flags: a request's context may be shared by goroutines
	flags []flag     // set by name, the last value kept, like a map

	// The answer of the last Success or Fail, when answered: data, or err.
	data     any
	err      *Error
	answered bool

	code     int    // status a wrapped handler set, 0 when none
	capture  []byte // what a wrapped handler wrote
	wrote    bool
	overflow bool
	finished bool
}

type exchangeKey struct{}

func newExchange(w http.ResponseWriter, r *http.Request, opts *Options) *exchange {
	return &exchange{parent: r.Context(), w: w, opts: opts, start: time.Since(clockBase)}
}

// clockBase is the origin of exchange.start: time.Since reads only the
// monotonic clock, where time.Now reads the wall clock too.
var clockBase = time.Now()

// elapsed is the time since the request entered the envelope.
func (ex *exchange) elapsed() time.Duration { return time.Since(clockBase) - ex.start }

// fromContext returns the exchange of the request that ctx belongs to, or
// nil outside Wrap.
func fromContext(ctx context.Context) *exchange {
	if ex, ok := ctx.(*exchange); ok {
		return ex
	}
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}

func (ex *exchange) Deadline() (time.Time, bool) { return ex.parent.Deadline() }
func (ex *exchange) Done() <-chan struct{}       { return ex.parent.Done() }
func (ex *exchange) Err() error                  { return ex.parent.Err() }

func (ex *exchange) Value(key any) any {
	if _, ok := key.(exchangeKey); ok {
		return ex
	}
	return ex.parent.Value(key)
}

// Header returns the response headers. Those the envelope owns
// (Content-Type, Content-Length and the like) are replaced when it is written.
func (ex *exchange) Header() http.Header { return ex.w.Header() }

// WriteHeader records the status a wrapped handler sets; it is translated,
// not sent. Informational (1xx) codes are ignored, and only the first final
// code counts, as with net/http.
func (ex *exchange) WriteHeader(code int) {
	if ex.code != 0 || (code >= 100 && code < 200) {
		return
	}
	ex.code = code
	ex.wrote = true
}

// Write captures the body a wrapped handler writes. Past
// Options.MaxCapturedBytes it fails, and the answer becomes the 500 envelope.
func (ex *exchange) Write(p []byte) (int, error) {
	if ex.code == 0 {
		ex.code = http.StatusOK
	}
	ex.wrote = true
	if ex.overflow || len(ex.capture)+len(p) > ex.opts.maxCaptured() {
		ex.overflow = true
		return 0, errCaptureTooLarge
	}
	ex.capture = append(ex.capture, p...)
	return len(p), nil
}

// Flush does nothing: the envelope is sent whole, with its Content-Length,
// when the handler returns. It exists so that handlers that flush keep working.
func (ex *exchange) Flush() {}

// finish writes the envelope, once, and returns its status.
func (ex *exchange) finish() Status {
	if ex.finished {
		return ""
	}
	ex.finished = true
	a := answer{data: ex.data, err: ex.err}
	if !ex.answered && ex.wrote {
		a = ex.translate()
	}
	ex.mu.Lock()
	flags := slices.Clone(ex.flags) // a goroutine may still be setting one
	ex.mu.Unlock()
	return ex.opts.send(ex.w, ex.elapsed(), flags, a)
}

// Success answers the request with status success and data as "data"
// (null when data is nil). Inside the Envelope middleware the envelope is
// written when the handler returns; outside it, at once.
func Success(w http.ResponseWriter, r *http.Request, data any) {
	respond(w, r, answer{data: data})
}

// Fail answers the request with err. An *Error (found with errors.As) is
// sent as it is; any other error is unanticipated: it is logged and the
// client sees the generic internal-server-error envelope.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := asError(err)
	if e == nil {
		e = internalError(err)
	}
	if e.Status == StatusParameterError && (e.Code == CodeBodyTooLarge || e.Code == CodeIncompleteBody) && r.ProtoMajor == 1 {
		// The rest of a body refused unread, or broken off, is not a
		// request: net/http would read and discard up to 256 KiB of it
		// before sending the answer, and wait for it, until its
		// ReadTimeout, from a client that announced a body and sends
		// nothing. Closing the connection after the answer sends it at once.
		w.Header().Set("Connection", "close")
	}
	respond(w, r, answer{err: e})
}

func respond(w http.ResponseWriter, r *http.Request, a answer) {
	if ex := fromContext(r.Context()); ex != nil && !ex.finished {
		ex.answered = true
		ex.data, ex.err = a.data, a.err
		return
	}
	defaultOptions.send(w, 0, nil, a)
}

// SetFlag adds a flag to the envelope of the request that ctx belongs to;
// the last value set for a name is sent. It is safe to call from several
// goroutines. Outside the Envelope middleware it does nothing: there is no
// envelope to carry it.
func SetFlag(ctx context.Context, name string, value any) {
	ex := fromContext(ctx)
	if ex == nil {
		return
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for i := range ex.flags {
		if ex.flags[i].name == name {
			ex.flags[i].value = value
			return
		}
	}
	ex.flags = append(ex.flags, flag{name, value})
}
