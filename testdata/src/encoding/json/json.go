// Package json is a stub of the standard library's encoding/json for the
// analyzers' tests (see net/http's stub). An Encoder keeps the writer it is
// made with and Encode writes to it, as the real ones do.
package json

import "io"

type Encoder struct {
	w      io.Writer
	indent string
}

func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

func (enc *Encoder) SetIndent(prefix, indent string) { enc.indent = prefix + indent }

func (enc *Encoder) Encode(v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = enc.w.Write(b)
	return err
}

type Decoder struct{ r io.Reader }

func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

func (dec *Decoder) Decode(v any) error {
	_, err := dec.r.Read(nil)
	return err
}

func Marshal(v any) ([]byte, error) { return nil, nil }

func Unmarshal(data []byte, v any) error { return nil }
