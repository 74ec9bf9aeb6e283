package envelope

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unsafe"
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
	// answer becomes the 500 envelope; 0 means 8 MiB.
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

// Headers the envelope owns besides Content-Type and Content-Length, which
// it always sets: a wrapped handler's values for them are removed. Leaving
// out the two it sets saves two deletions of keys it adds again.
var ownedHeaders = []string{"Content-Encoding", "Content-Range", "Transfer-Encoding", "Trailer", "Retry-After"}

var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledBuffer keeps one huge answer from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// answer is what an envelope says: a status with data, or an error.
type answer struct {
	data    any
	rawData []byte // JSON already encoded, embedded as it is
	err     *Error
}

// send encodes the envelope into a pooled buffer and writes it with one
// Write. A value the codec cannot encode becomes the 500 envelope, never a
// truncated 200.
//
// length, when not nil, holds the Content-Length header's value, so that
// an Exchange carries it in its own allocation; bp, when not nil, is the
// pooled buffer to frame the envelope in, returned to the pool after.
func (o *Options) send(w http.ResponseWriter, length *lengthHeader, bp *[]byte, elapsed time.Duration, flags []flag, a answer) Status {
	if bp == nil {
		bp = buffers.Get().(*[]byte)
	}
	buf, status, err := o.appendEnvelope((*bp)[:0], elapsed, flags, a)
	if err != nil {
		o.logger().Error("envelope: cannot encode the answer", "status", status, "error", err)
		a = answer{err: internalError(err)}
		if buf, status, err = o.appendEnvelope((*bp)[:0], elapsed, nil, a); err != nil {
			// The codec cannot even encode the generic error's strings:
			// the client still gets a whole envelope, framed by hand.
			buf, status = o.appendBareInternalError((*bp)[:0], elapsed), StatusInternalServerError
		}
	}
	writeFramed(w, length, buf, status, a.err)
	recycle(bp, buf)
	return status
}

// writeFramed writes buf, a whole envelope of status, with its headers:
// those the envelope owns replace the handler's. e is the envelope's error,
// or nil.
func writeFramed(w http.ResponseWriter, length *lengthHeader, buf []byte, status Status, e *Error) {
	h := w.Header()
	if len(h) != 0 {
		for _, k := range ownedHeaders {
			delete(h, k)
		}
	}
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = noSniff
	if length == nil {
		length = new(lengthHeader)
	}
	h["Content-Length"] = length.set(len(buf))
	if e != nil && status == StatusServiceUnavailable && e.RetryAfter > 0 {
		h["Retry-After"] = []string{strconv.FormatInt(int64(math.Ceil(e.RetryAfter.Seconds())), 10)}
	}
	w.WriteHeader(status.HTTPStatus()) //envelopevet:allow the envelope writer is the one place that sets the status
	w.Write(buf)                       //envelopevet:allow the envelope writer is the one place that writes the body
}

// recycle returns bp to the pool holding buf, the memory it grew into,
// unless that is too large to keep.
func recycle(bp *[]byte, buf []byte) {
	if cap(buf) <= maxPooledBuffer {
		*bp = buf[:0]
		buffers.Put(bp)
	}
}

// appendBareInternalError appends the generic 500 envelope without the
// codec, for when the codec fails on everything.
func (o *Options) appendBareInternalError(dst []byte, elapsed time.Duration) []byte {
	e := internalError(nil)
	dst = append(dst, `{"status":"internal-server-error","time":`...)
	dst = o.appendTime(dst, elapsed)
	dst = append(dst, `,"flags":{},"data":{"code":`...)
	dst = strconv.AppendQuote(dst, e.Code)
	dst = append(dst, `,"message":`...)
	dst = strconv.AppendQuote(dst, e.Message)
	return append(dst, "}}"...)
}

// lengthHeader is a Content-Length header value and the digits it is made
// of: one allocation, or none inside an Exchange, where strconv.Itoa and
// the slice would be two.
type lengthHeader struct {
	value  [1]string
	digits [20]byte
}

// set returns the header value for n. It is called once per lengthHeader:
// the string it returns shares the digits' memory.
func (lh *lengthHeader) set(n int) []string {
	b := strconv.AppendInt(lh.digits[:0], int64(n), 10)
	lh.value[0] = unsafe.String(&b[0], len(b))
	return lh.value[:]
}

// appendEnvelope frames the envelope by hand, so that its keys keep their
// order and only data and flags go through the codec.
func (o *Options) appendEnvelope(dst []byte, elapsed time.Duration, flags []flag, a answer) ([]byte, Status, error) {
	status := StatusSuccess
	if a.err != nil {
		status = a.err.status()
		if !knownStatus(status) || status == StatusSuccess {
			return dst, status, errUnknownStatus{status}
		}
	}
	dst, err := o.appendHead(dst, status, elapsed, flags)
	if err != nil {
		return dst, status, err
	}
	switch {
	case a.err != nil:
		dst, err = o.appendErrorData(dst, a.err)
	case a.rawData != nil:
		dst = append(dst, a.rawData...)
	default:
		dst, err = o.codec().AppendJSON(dst, a.data)
	}
	return append(dst, '}'), status, err
}

// appendHead appends the envelope up to its data: the status, the time,
// the flags and the data's key.
func (o *Options) appendHead(dst []byte, status Status, elapsed time.Duration, flags []flag) ([]byte, error) {
	dst = append(dst, `{"status":"`...)
	dst = append(dst, status...)
	dst = append(dst, `","time":`...)
	dst = o.appendTime(dst, elapsed)
	dst = append(dst, `,"flags":`...)
	if len(flags) == 0 {
		dst = append(dst, "{}"...)
	} else {
		var err error
		if dst, err = appendFlags(dst, o.codec(), flags); err != nil {
			return dst, err
		}
	}
	return append(dst, `,"data":`...), nil
}

// flag is one of the envelope's flags.
type flag struct {
	name  string
	value any
}

// appendFlags writes the flags as encoding/json writes a map[string]any:
// keys sorted, each value through the codec. Framed here, they cost no map
// and none of the allocations of the codecs' sorted map encoders.
func appendFlags(dst []byte, c Codec, flags []flag) ([]byte, error) {
	// Insertion sort: there are one or two flags.
	for i := 1; i < len(flags); i++ {
		for j := i; j > 0 && flags[j].name < flags[j-1].name; j-- {
			flags[j], flags[j-1] = flags[j-1], flags[j]
		}
	}
	dst = append(dst, '{')
	for i, f := range flags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, f.name)
		dst = append(dst, ':')
		var err error
		if dst, err = c.AppendJSON(dst, f.value); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendErrorData writes code, message and field first, then the error's
// attributes, then errors. Outside development mode an internal error shows
// nothing but the generic code and message.
func (o *Options) appendErrorData(dst []byte, e *Error) ([]byte, error) {
	if e.status() == StatusInternalServerError && !o.Development {
		e = internalError(nil)
	}
	c := o.codec()
	var err error
	dst = append(dst, `{"code":`...)
	if dst, err = c.AppendJSON(dst, e.Code); err != nil {
		return dst, err
	}
	dst = append(dst, `,"message":`...)
	if dst, err = c.AppendJSON(dst, e.Message); err != nil {
		return dst, err
	}
	if e.Field != "" {
		dst = append(dst, `,"field":`...)
		if dst, err = c.AppendJSON(dst, e.Field); err != nil {
			return dst, err
		}
	}
	attrs := e.Attributes
	if o.Development && e.Err != nil && e.status() == StatusInternalServerError {
		attrs = withAttribute(attrs, "cause", e.Err.Error())
	}
	if len(attrs) > 0 {
		if dst, err = appendAttributes(dst, c, attrs); err != nil {
			return dst, err
		}
	}
	if e.Errors != nil || e.status() == StatusValidationError {
		dst = append(dst, `,"errors":`...)
		errs := e.Errors
		if errs == nil {
			errs = map[string][]string{}
		}
		if dst, err = c.AppendJSON(dst, errs); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// reservedDataKeys are written by appendErrorData itself.
var reservedDataKeys = map[string]bool{"code": true, "message": true, "field": true, "errors": true}

func appendAttributes(dst []byte, c Codec, attrs map[string]any) ([]byte, error) {
	clean := attrs
	for k := range attrs {
		if reservedDataKeys[k] {
			clean = make(map[string]any, len(attrs))
			for k, v := range attrs {
				if !reservedDataKeys[k] {
					clean[k] = v
				}
			}
			break
		}
	}
	if len(clean) == 0 {
		return dst, nil
	}
	start := len(dst)
	dst, err := c.AppendJSON(dst, clean)
	if err != nil {
		return dst[:start], err
	}
	// Splice the object's members in: {"a":1} becomes ,"a":1
	dst[start] = ','
	return dst[:len(dst)-1], nil
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
