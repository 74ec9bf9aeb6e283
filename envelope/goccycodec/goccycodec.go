// Package goccycodec is an envelope.Codec of github.com/goccy/go-json, for
// APIs that want its speed and accept its differences from the default
// codec, encoding/json v2's semantics.
//
// Parameters are first checked with jsontext.Value.IsValid, one pass that
// refuses invalid UTF-8 and a name given twice, and strict mode refuses
// unknown members. One check of CONTRACT R5 is given up: goccy/go-json
// matches names without regard to case, as encoding/json v1 does, so `TO`
// fills the field `to` (and is not unknown in strict mode). Where goccy
// refuses the parameters, the default codec decodes them again, so that the
// client reads the same error.
//
// It encodes as encoding/json v1 does, not as v2 does: a nil slice is null
// (v2: []), a nil map is null (v2: {}), omitempty leaves out false, 0 and
// nil as well as empty values, omitzero is not known, and invalid UTF-8 in
// a string becomes U+FFFD (v2 refuses it). HTML characters are not escaped,
// map keys are sorted. It is an envelope.CheckedCodec: goccy/go-json
// refuses a MarshalJSON method's or a raw message's invalid output itself
// (TestInvalidOutputIsRefused), so the envelope does not check it again.
package goccycodec

import (
	"bytes"

	"github.com/go-json-experiment/json/jsontext"
	gojson "github.com/goccy/go-json"

	"github.com/apienvelope/apienvelope/envelope"
)

// Codec is the goccy/go-json codec: envelope.Options{Codec: goccycodec.Codec}.
var Codec envelope.Codec = codec{}

type codec struct{}

// ChecksOutput makes the codec an envelope.CheckedCodec.
func (codec) ChecksOutput() {}

func (codec) AppendJSON(dst []byte, v any) ([]byte, error) {
	out, err := gojson.MarshalWithOption(v, gojson.DisableHTMLEscape())
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

func (codec) Unmarshal(data []byte, v any, opts envelope.UnmarshalOptions) error {
	if !jsontext.Value(data).IsValid() || decode(data, v, opts.RejectUnknown) != nil {
		return envelope.DefaultCodec.Unmarshal(data, v, opts)
	}
	return nil
}

func decode(data []byte, v any, strict bool) error {
	if !strict {
		return gojson.UnmarshalNoEscape(data, v)
	}
	dec := gojson.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
