package envelope

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Options controls how envelopes are written. The zero value is ready to use.
type Options struct {
	// Codec encodes data and flags and decodes parameters; nil means DefaultCodec.
	Codec Codec
	// TimeDecimals is the number of decimals of "time", 1 to 9; 0 means 6,
	// microseconds, so that a fast request never reads 0. The original
	// framework rounds to 2, Postal to 3.
	TimeDecimals int
	// Development adds the cause of internal errors, and the panic and stack
	// that Recover records, to the 500 envelope. Never in production.
	Development bool
	// Logger receives unanticipated errors; nil means slog.Default().
	Logger *slog.Logger
	// AccessLog, when set, receives one line per request from the Envelope
	// middleware: action, status, time and request ID.
	AccessLog *slog.Logger
	// MaxCapturedBytes bounds what a wrapped handler may write before its
	// answer becomes the 500 envelope; 0 or less means 8 MiB.
	MaxCapturedBytes int
}

var defaultOptions Options

func (o *Options) codec() Codec {
	if o.Codec == nil {
		return DefaultCodec
	}
	return o.Codec
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}

func (o *Options) maxCaptured() int {
	if o.MaxCapturedBytes <= 0 {
		return 8 << 20
	}
	return o.MaxCapturedBytes
}

// appendTime appends seconds rounded to the configured decimals, never
// rounding a request that took any time at all down to 0. It writes what
// strconv.AppendFloat(units/10^decimals, 'f', -1) would, in integers.
func (o *Options) appendTime(dst []byte, elapsed time.Duration) []byte {
	decimals := o.TimeDecimals
	if decimals <= 0 || decimals > 9 {
		decimals = 6
	}
	unit := uint64(pow10[9-decimals]) // nanoseconds
	units := max((uint64(max(elapsed, 0))+unit/2)/unit, 1)
	scale := uint64(pow10[decimals])
	dst = strconv.AppendUint(dst, units/scale, 10)
	frac := units % scale
	if frac == 0 {
		return dst
	}
	for frac%10 == 0 {
		frac /= 10
		decimals--
	}
	dst = append(dst, '.')
	for d := frac; d*10 < uint64(pow10[decimals]); d *= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, frac, 10)
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// Shared header values: assigning them saves an allocation per request;
// net/http only reads them.
var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	noSniff         = []string{"nosniff"}
)

// ownedHeaders are the headers the envelope owns besides Content-Type and
// Content-Length, which it always sets: a wrapped handler's values are removed.
var ownedHeaders = []string{"Content-Encoding", "Content-Range", "Transfer-Encoding", "Trailer", "Retry-After"}

var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledBuffer keeps one huge answer from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// answer is what an envelope says: data, or an error.
type answer struct {
	data    any
	rawData []byte // JSON already encoded, embedded as it is
	err     *Error
}

var errInvalidJSON = errors.New("envelope: the codec wrote invalid JSON")

// send encodes the envelope into a pooled buffer and writes it with one
// Write. A value that cannot be encoded, or whose encoding panics, becomes
// the 500 envelope: never a truncated or invalid 200.
func (o *Options) send(w http.ResponseWriter, elapsed time.Duration, flags []flag, a answer) Status {
	if a.err != nil && a.err.status() == StatusInternalServerError && a.err.Err != nil {
		o.logger().Error("envelope: unanticipated error", "error", a.err.Err)
	}
	bp := buffers.Get().(*[]byte)
	buf, status, err := o.appendEnvelope((*bp)[:0], elapsed, flags, a)
	if err != nil {
		o.logger().Error("envelope: cannot encode the answer", "status", status, "error", err)
		a = answer{err: internalError(err)}
		buf, status, err = o.appendEnvelope((*bp)[:0], elapsed, nil, a)
		if err != nil {
			// The codec cannot even encode the generic error: the client
			// still gets a whole envelope, framed without it.
			buf, status = o.appendBareInternalError((*bp)[:0], elapsed), StatusInternalServerError
		}
	}
	writeFramed(w, buf, status, a.err)
	recycle(bp, buf)
	return status
}

// recycle returns bp to the pool holding buf, the memory it grew into,
// unless that is too large to keep.
func recycle(bp *[]byte, buf []byte) {
	if cap(buf) <= maxPooledBuffer {
		*bp = buf[:0]
		buffers.Put(bp)
	}
}

// writeFramed writes buf, a whole envelope of status, with its headers:
// those the envelope owns replace the handler's. e is the envelope's error,
// or nil.
func writeFramed(w http.ResponseWriter, buf []byte, status Status, e *Error) {
	h := w.Header()
	for _, k := range ownedHeaders {
		delete(h, k)
	}
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = noSniff
	h["Content-Length"] = []string{strconv.Itoa(len(buf))}
	if e != nil && status == StatusServiceUnavailable && e.RetryAfter > 0 {
		h["Retry-After"] = []string{strconv.FormatInt(int64(math.Ceil(e.RetryAfter.Seconds())), 10)}
	}
	w.WriteHeader(status.HTTPStatus()) //envelopevet:allow the envelope writer is the one place that sets the status
	w.Write(buf)                       //envelopevet:allow the envelope writer is the one place that writes the body
}

// appendBareInternalError appends the generic 500 envelope without the
// codec, for when the codec fails on everything.
func (o *Options) appendBareInternalError(dst []byte, elapsed time.Duration) []byte {
	e := internalError(nil)
	dst = append(dst, `{"status":"internal-server-error","time":`...)
	dst = o.appendTime(dst, elapsed)
	dst = append(dst, `,"flags":{},"data":{"code":`...)
	dst = appendQuoted(dst, e.Code)
	dst = append(dst, `,"message":`...)
	dst = appendQuoted(dst, e.Message)
	return append(dst, "}}"...)
}

// appendEnvelope frames the envelope by hand, so that its keys keep their
// order and only values from the handler go through the codec. A panic in
// the codec (a MarshalJSON method's, say) is returned as an error, except
// http.ErrAbortHandler, which aborts as it should.
func (o *Options) appendEnvelope(dst []byte, elapsed time.Duration, flags []flag, a answer) (out []byte, status Status, err error) {
	status = StatusSuccess
	if a.err != nil {
		status = a.err.status()
		if !knownStatus(status) || status == StatusSuccess {
			return dst, status, errUnknownStatus{status}
		}
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			out, err = dst, fmt.Errorf("envelope: panic while encoding: %v\n%s", v, debug.Stack())
		}
	}()
	out = append(dst, `{"status":"`...)
	out = append(out, status...)
	out = append(out, `","time":`...)
	out = o.appendTime(out, elapsed)
	out = append(out, `,"flags":`...)
	if out, err = o.appendFlags(out, flags); err != nil {
		return dst, status, err
	}
	out = append(out, `,"data":`...)
	switch {
	case a.err != nil:
		out, err = o.appendErrorData(out, a.err)
	case a.rawData != nil:
		out = append(out, a.rawData...)
	default:
		out, err = o.appendValue(out, a.data)
	}
	if err != nil {
		return dst, status, err
	}
	return append(out, '}'), status, nil
}

// appendValue appends v through the codec. What a codec writes is checked,
// unless it is the default or a CheckedCodec: a client never gets invalid
// JSON.
func (o *Options) appendValue(dst []byte, v any) ([]byte, error) {
	c := o.codec()
	start := len(dst)
	out, err := c.AppendJSON(dst, v)
	if err != nil {
		return dst, err
	}
	if _, checked := c.(CheckedCodec); checked || c == DefaultCodec {
		return out, nil
	}
	// A name twice is left to the codec: no Go value encodes to that
	// unless a MarshalJSON method writes it.
	if !jsontext.Value(out[start:]).IsValid(jsontext.AllowDuplicateNames(true)) {
		return dst, fmt.Errorf("%w: %T of %T", errInvalidJSON, c, v)
	}
	return out, nil
}

// flag is one of the envelope's flags.
type flag struct {
	name  string
	value any
}

// appendFlags writes the flags as an object with sorted keys, each value
// through the codec.
func (o *Options) appendFlags(dst []byte, flags []flag) ([]byte, error) {
	if len(flags) == 0 {
		return append(dst, "{}"...), nil
	}
	slices.SortFunc(flags, func(a, b flag) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	dst = append(dst, '{')
	for i, f := range flags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendQuoted(dst, f.name)
		dst = append(dst, ':')
		var err error
		if dst, err = o.appendValue(dst, f.value); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendQuoted appends s as a JSON string. Invalid UTF-8 is written as
// U+FFFD, which is what jsontext.AppendQuote's error reports.
func appendQuoted(dst []byte, s string) []byte {
	out, _ := jsontext.AppendQuote(dst, s)
	return out
}

// appendErrorData writes code, message and field first, then the error's
// attributes, then errors. Outside development mode an internal error shows
// nothing but the generic code and message.
func (o *Options) appendErrorData(dst []byte, e *Error) ([]byte, error) {
	if e.status() == StatusInternalServerError && !o.Development {
		e = internalError(nil)
	}
	dst = append(dst, `{"code":`...)
	dst = appendQuoted(dst, e.Code)
	dst = append(dst, `,"message":`...)
	dst = appendQuoted(dst, e.Message)
	if e.Field != "" {
		dst = append(dst, `,"field":`...)
		dst = appendQuoted(dst, e.Field)
	}
	attrs := e.Attributes
	if o.Development && e.Err != nil && e.status() == StatusInternalServerError {
		attrs = withAttribute(attrs, "cause", e.Err.Error())
	}
	var err error
	if dst, err = o.appendAttributes(dst, attrs); err != nil {
		return dst, err
	}
	if e.Errors != nil || e.status() == StatusValidationError {
		dst = append(dst, `,"errors":`...)
		errs := e.Errors
		if errs == nil {
			errs = map[string][]string{}
		}
		if dst, err = o.appendValue(dst, errs); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// reservedDataKeys are written by appendErrorData itself.
var reservedDataKeys = map[string]bool{"code": true, "message": true, "field": true, "errors": true}

// appendAttributes appends the attributes as members of the object being
// written, keys sorted, leaving out the reserved ones.
func (o *Options) appendAttributes(dst []byte, attrs map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		if !reservedDataKeys[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		dst = append(dst, ',')
		dst = appendQuoted(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = o.appendValue(dst, attrs[k]); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func withAttribute(attrs map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(attrs)+1)
	for k, v := range attrs {
		out[k] = v
	}
	out[k] = v
	return out
}

func knownStatus(s Status) bool {
	switch s {
	case StatusSuccess, StatusParameterError, StatusValidationError, StatusAccessDenied,
		StatusNotFound, StatusError, StatusInternalServerError, StatusServiceUnavailable:
		return true
	}
	return false
}

type errUnknownStatus struct{ s Status }

func (e errUnknownStatus) Error() string {
	return "envelope: unknown status " + strconv.Quote(string(e.s))
}
