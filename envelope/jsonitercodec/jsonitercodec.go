// Package jsonitercodec is an envelope.Codec of github.com/json-iterator/go,
// for APIs that want its speed and accept its differences from the default
// codec, encoding/json v2's semantics.
//
// It keeps every check of CONTRACT R5: parameters are first checked with
// jsontext.Value.IsValid (one pass that refuses invalid UTF-8 and a name
// given twice), names match case-sensitively, and strict mode refuses
// unknown members. Where json-iterator refuses the parameters, the default
// codec decodes them again, so that the client reads the same error.
//
// It encodes as encoding/json v1 does, not as v2 does: a nil slice is null
// (v2: []), a nil map is null (v2: {}), omitempty leaves out false, 0 and
// nil as well as empty values, and omitzero is not known. HTML characters
// are not escaped, map keys are sorted. json-iterator writes a MarshalJSON
// method's output and invalid UTF-8 as they are: the envelope checks what
// it writes, and a value written as invalid JSON is the 500 envelope
// (TestInvalidOutputIsRefused).
package jsonitercodec

import (
	"github.com/go-json-experiment/json/jsontext"
	jsoniter "github.com/json-iterator/go"

	"github.com/apienvelope/apienvelope/envelope"
)

// Codec is the json-iterator codec: envelope.Options{Codec: jsonitercodec.Codec}.
var Codec envelope.Codec = codec{lax: config(false), strict: config(true)}

func config(strict bool) jsoniter.API {
	return jsoniter.Config{
		SortMapKeys:            true,
		ValidateJsonRawMessage: true,
		CaseSensitive:          true,
		DisallowUnknownFields:  strict,
	}.Froze()
}

type codec struct{ lax, strict jsoniter.API }

func (c codec) AppendJSON(dst []byte, v any) ([]byte, error) {
	s := c.lax.BorrowStream(nil)
	s.SetBuffer(dst)
	s.WriteVal(v)
	out, err := s.Buffer(), s.Error
	// A pooled stream must not keep dst: the next borrower would write into it.
	s.SetBuffer(nil)
	c.lax.ReturnStream(s)
	if err != nil {
		return dst, err
	}
	return out, nil
}

func (c codec) Unmarshal(data []byte, v any, opts envelope.UnmarshalOptions) error {
	api := c.lax
	if opts.RejectUnknown {
		api = c.strict
	}
	if !jsontext.Value(data).IsValid() || api.Unmarshal(data, v) != nil {
		return envelope.DefaultCodec.Unmarshal(data, v, opts)
	}
	return nil
}
