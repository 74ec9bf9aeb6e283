package envelope

import (
	"context"
	"net/http"
	"slices"
	"time"
)

// Exchange is one request on its way through the envelope. It is both the
// request's context and the response writer that the handler sees, so that
// one allocation carries the start time, the flags, the parameters and the
// answer. Handlers do not use it directly: they call [Success], [Fail],
// [SetFlag] and [Params], which find it in the request's context.
//
// What a handler writes through the ResponseWriter methods is captured and
// translated into an envelope by [Exchange.Finish], so existing handlers
// can be wrapped unchanged.
type Exchange struct {
	parent context.Context
	w      http.ResponseWriter
	opts   *Options
	req    http.Request  // the request with the Exchange as its context, in this allocation
	start  time.Duration // since clockBase: one clock read, where time.Now takes two

	flags     []flag // set by name, the last value kept, like a map
	params    []byte
	paramsBuf *[]byte // pooled buffer the body was read into, reused after Finish unless paramsKept
	// uncheckedDepth is the depth limit of parameters whose check of SPEC
	// R5 is left to their first reader (LoadParamsFor); 0 once checked.
	uncheckedDepth int

	// The answer of the last Success or Fail, when answered: data, or err.
	data any
	err  *Error

	code    int     // status a wrapped handler set, 0 when none
	capture *[]byte // pooled buffer holding what a wrapped handler wrote

	hasParams, paramsKept, answered, wrote, overflow, finished bool

	length lengthHeader // the Content-Length header's value, in this allocation
}

type exchangeKey struct{}

// NewExchange starts the envelope of a request. Serve the handler with the
// Exchange as its ResponseWriter and [Exchange.Request] as its request, then
// call Finish.
func NewExchange(w http.ResponseWriter, r *http.Request, opts *Options) *Exchange {
	if opts == nil {
		opts = &defaultOptions
	}
	ex := &Exchange{parent: r.Context(), w: w, opts: opts, start: time.Since(clockBase)}
	ex.req = *r.WithContext(ex)
	return ex
}

// clockBase is the origin of Exchange.start. time.Since reads only the
// monotonic clock, a third of the cost of a request's time.Now and
// time.Since on some virtual machines.
var clockBase = time.Now()

// Request returns the request with the Exchange as its context, for the
// handler to serve: a shallow copy of the request given to NewExchange, as
// r.WithContext would make.
func (ex *Exchange) Request() *http.Request { return &ex.req }

// elapsed is the time since the request entered the envelope.
func (ex *Exchange) elapsed() time.Duration { return time.Since(clockBase) - ex.start }

// FromContext returns the Exchange of the request that ctx belongs to, or nil
// outside the Envelope middleware.
func FromContext(ctx context.Context) *Exchange {
	if ex, ok := ctx.(*Exchange); ok {
		// The request's own context, as the Envelope middleware sets it:
		// no chain of contexts to walk.
		return ex
	}
	ex, _ := ctx.Value(exchangeKey{}).(*Exchange)
	return ex
}

// Deadline implements context.Context.
func (ex *Exchange) Deadline() (time.Time, bool) { return ex.parent.Deadline() }

// Done implements context.Context.
func (ex *Exchange) Done() <-chan struct{} { return ex.parent.Done() }

// Err implements context.Context.
func (ex *Exchange) Err() error { return ex.parent.Err() }

// Value implements context.Context.
func (ex *Exchange) Value(key any) any {
	if _, ok := key.(exchangeKey); ok {
		return ex
	}
	return ex.parent.Value(key)
}

// Start returns the time the request entered the envelope. It is measured
// on the monotonic clock, from a reading taken when the package was
// initialized: time.Since(ex.Start()) is exact, and the wall clock reading
// ignores adjustments of the system clock made since.
func (ex *Exchange) Start() time.Time { return clockBase.Add(ex.start) }

// Header returns the response headers. Those the envelope owns
// (Content-Type, Content-Length and the like) are replaced when it is written.
func (ex *Exchange) Header() http.Header { return ex.w.Header() }

// WriteHeader records the status a wrapped handler sets; it is translated,
// not sent. Informational (1xx) codes are ignored, and only the first final
// code counts, as with net/http.
func (ex *Exchange) WriteHeader(code int) {
	if ex.code != 0 || (code >= 100 && code < 200) {
		return
	}
	ex.code = code
	ex.wrote = true
}

// Write captures the body a wrapped handler writes. Past
// Options.MaxCapturedBytes it fails, and the answer becomes the 500 envelope.
func (ex *Exchange) Write(p []byte) (int, error) {
	if ex.code == 0 {
		ex.code = http.StatusOK
	}
	ex.wrote = true
	if ex.overflow || len(ex.captured())+len(p) > ex.opts.maxCaptured() {
		ex.overflow = true
		return 0, errCaptureTooLarge
	}
	if ex.capture == nil {
		if len(p) == 0 {
			return 0, nil
		}
		// The capture lives until Finish has sent it: a pooled buffer saves
		// the allocations of growing one from nothing.
		ex.capture = buffers.Get().(*[]byte)
		// Room for the envelope's head, the body and its closing brace.
		*ex.capture = slices.Grow((*ex.capture)[:0], headRoom+len(p)+1)[:headRoom]
	}
	*ex.capture = append(*ex.capture, p...)
	return len(p), nil
}

// headRoom is the room a capture keeps before what a wrapped handler
// writes, for the envelope's head (frameAroundCapture): enough for the
// status, the time and the pagination flag.
const headRoom = 256

// captured is what a wrapped handler wrote.
func (ex *Exchange) captured() []byte {
	if ex.capture == nil {
		return nil
	}
	return (*ex.capture)[headRoom:]
}

// frameAroundCapture frames the success envelope of data, a wrapped
// handler's JSON body, in the capture that holds it: the head is written in
// the room before data, so that data, all of the envelope but some 60
// bytes, is neither copied nor held in a second buffer. It reports false,
// leaving data as it was, when data is not the capture's or the head does
// not fit.
func (ex *Exchange) frameAroundCapture(data []byte, elapsed time.Duration) ([]byte, bool) {
	if len(data) == 0 || ex.capture == nil {
		return nil, false
	}
	buf := *ex.capture
	start := cap(buf) - cap(data)
	if start < headRoom || start >= len(buf) || &buf[start] != &data[0] {
		return nil, false
	}
	// The head is appended where the room starts, unable to grow into
	// data: past start, append copies it elsewhere, and it does not fit.
	head, err := ex.opts.appendHead(buf[:0:start], StatusSuccess, elapsed, ex.flags)
	if err != nil || cap(head) != start {
		return nil, false
	}
	at := start - len(head)
	copy(buf[at:], head)
	return append(buf[at:start+len(data)], '}'), true
}

// Flush does nothing: the envelope is sent whole, with its Content-Length,
// when the handler returns. It exists so that handlers that flush keep working.
func (ex *Exchange) Flush() {}

// Finish writes the envelope, once: the answer of the last Success or Fail,
// else the translation of what a wrapped handler wrote, else success with
// null data. It returns the status sent.
func (ex *Exchange) Finish() Status {
	if ex.finished {
		return ""
	}
	ex.finished = true
	a := answer{data: ex.data, err: ex.err}
	if !ex.answered && ex.wrote {
		a = ex.translate()
	}
	if a.err != nil && a.err.status() == StatusInternalServerError && a.err.Err != nil {
		ex.opts.logger().Error("envelope: unanticipated error", "error", a.err.Err)
	}
	// The parameters' buffer is free once they are decoded, unless handed
	// out: the envelope is framed in it, and send returns it to the pool.
	var out *[]byte
	if !ex.paramsKept {
		out, ex.paramsBuf = ex.paramsBuf, nil
	}
	elapsed := ex.elapsed()
	var status Status
	if buf, ok := ex.frameAroundCapture(a.rawData, elapsed); ok {
		status = StatusSuccess
		writeFramed(ex.w, &ex.length, buf, status, nil)
		if out != nil {
			recycle(out, *out)
		}
	} else {
		status = ex.opts.send(ex.w, &ex.length, out, elapsed, ex.flags, a)
	}
	// The envelope is sent: the capture is free (a's strings are copies).
	if bp := ex.capture; bp != nil {
		recycle(bp, *bp)
		ex.capture = nil
	}
	return status
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
	if ex := FromContext(r.Context()); ex != nil && !ex.finished {
		ex.answered = true
		ex.data, ex.err = a.data, a.err
		return
	}
	if a.err != nil && a.err.status() == StatusInternalServerError && a.err.Err != nil {
		defaultOptions.logger().Error("envelope: unanticipated error", "error", a.err.Err)
	}
	defaultOptions.send(w, nil, nil, 0, nil, a)
}

// SetFlag adds a flag to the envelope of the request that ctx belongs to.
// Outside the Envelope middleware it does nothing: there is no envelope to
// carry it.
func SetFlag(ctx context.Context, name string, value any) {
	ex := FromContext(ctx)
	if ex == nil {
		return
	}
	for i := range ex.flags {
		if ex.flags[i].name == name {
			ex.flags[i].value = value
			return
		}
	}
	if ex.flags == nil {
		ex.flags = make([]flag, 0, 2) // room for the usual flags, paginated and sorted
	}
	ex.flags = append(ex.flags, flag{name, value})
}
