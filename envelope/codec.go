package envelope

import (
	"github.com/go-json-experiment/json"
)

// Codec encodes the envelope's "data" and "flags" and decodes parameters.
// Implementations must be safe for concurrent use.
//
// The envelope checks what a codec other than [DefaultCodec] writes, unless
// it is a [CheckedCodec], and sends the 500 envelope rather than invalid
// JSON. A codec's Unmarshal must make the checks of CONTRACT R5 itself, or
// give them up in its documentation.
type Codec interface {
	// AppendJSON appends the JSON encoding of v to dst.
	AppendJSON(dst []byte, v any) ([]byte, error)
	// Unmarshal decodes data, one JSON object, into v. It must not keep
	// data, nor anything that shares its memory, once it returns (as
	// encoding/json asks of UnmarshalJSON methods): the envelope reads
	// bodies into buffers it reuses. An error that says what is wrong with
	// the parameters is an *Error with status parameter-error; any other
	// error is sent as a parameter-error with code InvalidParameter and the
	// error's text as message.
	Unmarshal(data []byte, v any, opts UnmarshalOptions) error
}

// CheckedCodec is a Codec that never writes invalid JSON: it refuses a
// MarshalJSON method's or a raw message's invalid output, and writes valid
// UTF-8 whatever the strings hold. The envelope does not check its output
// again. A codec that says so must be tested to be so.
type CheckedCodec interface {
	Codec
	// ChecksOutput marks the codec; it does nothing.
	ChecksOutput()
}

// UnmarshalOptions are what Unmarshal must check besides the syntax.
type UnmarshalOptions struct {
	// RejectUnknown refuses a member the Go type has no field for.
	RejectUnknown bool
}

// DefaultCodec is the Codec used when none is configured:
// github.com/go-json-experiment/json, encoding/json v2's semantics.
//
// It encodes as that package does with [json.Deterministic] set, so that
// map keys come sorted. It decodes with that package's defaults, which are
// CONTRACT R5's: names match exactly, case included; a name given twice in
// one object and invalid UTF-8 are refused; with RejectUnknown, so is a
// member the type has no field for. Its errors become parameter-errors
// that name the field at fault.
var DefaultCodec Codec = jsonV2{}

type jsonV2 struct{}

// sliceWriter lets json.MarshalWrite append to a slice, where json.Marshal
// would return a new one to be copied into the envelope.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

var (
	marshalOptions         = json.Deterministic(true)
	unmarshalOptions       = json.RejectUnknownMembers(false)
	strictUnmarshalOptions = json.RejectUnknownMembers(true)
)

func (jsonV2) AppendJSON(dst []byte, v any) ([]byte, error) {
	w := sliceWriter{b: dst}
	if err := json.MarshalWrite(&w, v, marshalOptions); err != nil {
		return dst, err
	}
	return w.b, nil
}

func (jsonV2) Unmarshal(data []byte, v any, opts UnmarshalOptions) error {
	o := unmarshalOptions
	if opts.RejectUnknown {
		o = strictUnmarshalOptions
	}
	if err := json.Unmarshal(data, v, o); err != nil {
		return parameterErrorOf(err)
	}
	return nil
}
