package benchmarks

import (
	"bytes"
	"sync"

	gojson "github.com/goccy/go-json"

	"github.com/apienvelope/apienvelope/envelope"
)

// GoccyCodec shows how a user plugs a third JSON library into the
// toolkit: a type with the two methods of envelope.Codec, given as
// envelope.Options{Codec: GoccyCodec}. goccy/go-json writes what
// encoding/json writes (HTML escaping included), as the interface asks.
var GoccyCodec envelope.Codec = goccyCodec{}

type goccyCodec struct{}

// goccy/go-json has no append API: its pooled Encoder writes into a pooled
// buffer, copied once into the envelope.
type goccyEncoder struct {
	buf bytes.Buffer
	enc *gojson.Encoder
}

var goccyEncoders = sync.Pool{New: func() any {
	e := new(goccyEncoder)
	e.enc = gojson.NewEncoder(&e.buf)
	return e
}}

func (goccyCodec) AppendJSON(dst []byte, v any) ([]byte, error) {
	e := goccyEncoders.Get().(*goccyEncoder)
	defer goccyEncoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return dst, err
	}
	return append(dst, bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'})...), nil
}

func (goccyCodec) Unmarshal(data []byte, v any) error {
	// UnmarshalNoEscape: data is not kept past the call, so goccy need not
	// copy it first.
	return gojson.UnmarshalNoEscape(data, v)
}
