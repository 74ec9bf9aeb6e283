package envelope

import (
	"bytes"
	"encoding/json"
	"sync"

	jsoniter "github.com/json-iterator/go"
)

// Codec encodes the envelope's "data" and "flags" and decodes parameters.
// Implementations must be safe for concurrent use and produce the same bytes
// as encoding/json.Marshal for the same value.
type Codec interface {
	// AppendJSON appends the JSON encoding of v to dst.
	AppendJSON(dst []byte, v any) ([]byte, error)
	// Unmarshal decodes data into v, as encoding/json.Unmarshal does.
	Unmarshal(data []byte, v any) error
}

// StdCodec is the Codec of encoding/json.
var StdCodec Codec = stdCodec{}

// JSONIterCodec is the Codec of github.com/json-iterator/go, configured as
// its ConfigCompatibleWithStandardLibrary (ConfigFastest would lose float
// precision), with the differences that remain mended: see stdCompatible.
// Structs of the usual parameters' fields (plain values, slices, pointers,
// maps by string, any, values with UnmarshalJSON such as time.Time, and
// embedded structs) are decoded by the toolkit's own decoder first, which
// hands anything unusual back to json-iterator: see structDecoder.
var JSONIterCodec Codec = jsoniterCodec{api: newJSONIterAPI()}

// newJSONIterAPI leaves EscapeHTML and ValidateJsonRawMessage off only
// because stdCompatible's encoders do that work as encoding/json does; the
// options would put json-iterator's own encoders before them.
func newJSONIterAPI() jsoniter.API {
	api := jsoniter.Config{SortMapKeys: true}.Froze()
	api.RegisterExtension(&stdCompatible{api: api})
	return api
}

// DefaultCodec is the Codec used when none is configured: json-iterator,
// which the benchmarks show is the faster of the two for envelopes.
var DefaultCodec = JSONIterCodec

type stdCodec struct{}

// stdEncoder lets json.Encoder append to a slice: json.Marshal would return a
// fresh slice for every value, to be copied once more into the envelope.
type stdEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var stdEncoders = sync.Pool{New: func() any {
	e := new(stdEncoder)
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

func (stdCodec) AppendJSON(dst []byte, v any) ([]byte, error) {
	e := stdEncoders.Get().(*stdEncoder)
	defer stdEncoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return dst, err
	}
	// Encode ends every value with a newline that Marshal does not write.
	return append(dst, bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'})...), nil
}

func (stdCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

type jsoniterCodec struct{ api jsoniter.API }

func (c jsoniterCodec) AppendJSON(dst []byte, v any) ([]byte, error) {
	s := c.api.BorrowStream(nil)
	s.SetBuffer(dst)
	s.WriteVal(v)
	out, err := s.Buffer(), s.Error
	// A pooled stream must not keep dst: the next borrower would write into it.
	s.SetBuffer(nil)
	c.api.ReturnStream(s)
	if err != nil {
		return dst, err
	}
	return out, nil
}

func (c jsoniterCodec) Unmarshal(data []byte, v any) error {
	if d, p := structDecoderFor(v); d != nil && d.decode(data, p) {
		return nil
	}
	return c.api.Unmarshal(data, v)
}
