package envelope

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"unsafe"

	jsoniter "github.com/json-iterator/go"
	"github.com/modern-go/reflect2"
)

// stdCompatible makes json-iterator write the bytes encoding/json writes
// where its compatible configuration does not: small and huge floats
// (json-iterator writes 1e-07 where encoding/json writes 1e-7), the escapes
// of strings (\u0008 where encoding/json writes \b), and the output of
// MarshalJSON methods and json.RawMessage, which encoding/json compacts and
// HTML-escapes and json-iterator copies as they are.
type stdCompatible struct {
	jsoniter.DummyExtension
	api jsoniter.API // the API it extends, for structEncoder
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

func (ext *stdCompatible) CreateEncoder(typ reflect2.Type) jsoniter.ValEncoder {
	switch {
	case typ.Implements(reflect2.Type2(marshalerType)):
		return stdMarshalerEncoder{typ}
	case typ.Kind() == reflect.Struct && !typ.Implements(reflect2.Type2(textMarshalerType)) && !pointerMarshals(typ.Type1()):
		return newStructEncoder(ext.api, typ.Type1())
	case typ.Kind() == reflect.Float64:
		return floatEncoder{bits: 64}
	case typ.Kind() == reflect.Float32:
		return floatEncoder{bits: 32}
	case typ.Kind() == reflect.String:
		return stringEncoder{}
	}
	return nil
}

func (*stdCompatible) CreateMapKeyEncoder(typ reflect2.Type) jsoniter.ValEncoder {
	if typ.Kind() == reflect.String && !typ.Implements(reflect2.Type2(textMarshalerType)) {
		return stringEncoder{}
	}
	return nil
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

type stringEncoder struct{}

func (stringEncoder) IsEmpty(ptr unsafe.Pointer) bool { return *(*string)(ptr) == "" }

func (stringEncoder) Encode(ptr unsafe.Pointer, stream *jsoniter.Stream) {
	stream.SetBuffer(appendString(stream.Buffer(), *(*string)(ptr)))
}

// floatEncoder writes floats as encoding/json's floatEncoder does.
type floatEncoder struct{ bits int }

func (e floatEncoder) value(ptr unsafe.Pointer) float64 {
	if e.bits == 32 {
		return float64(*(*float32)(ptr))
	}
	return *(*float64)(ptr)
}

func (e floatEncoder) IsEmpty(ptr unsafe.Pointer) bool { return e.value(ptr) == 0 }

func (e floatEncoder) Encode(ptr unsafe.Pointer, stream *jsoniter.Stream) {
	f := e.value(ptr)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		stream.Error = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, e.bits)}
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if e.bits == 64 && (abs < 1e-6 || abs >= 1e21) || e.bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b := strconv.AppendFloat(stream.Buffer(), f, format, -1, e.bits)
	if format == 'e' {
		// 1e-07 becomes 1e-7, as in encoding/json.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	stream.SetBuffer(b)
}

// stdMarshalerEncoder hands values with a MarshalJSON method to
// encoding/json, which compacts, checks and escapes what they return.
type stdMarshalerEncoder struct{ typ reflect2.Type }

func (e stdMarshalerEncoder) IsEmpty(ptr unsafe.Pointer) bool {
	v := reflect.ValueOf(e.typ.UnsafeIndirect(ptr))
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func (e stdMarshalerEncoder) Encode(ptr unsafe.Pointer, stream *jsoniter.Stream) {
	b, err := json.Marshal(e.typ.UnsafeIndirect(ptr))
	if err != nil {
		stream.Error = err
		return
	}
	stream.Write(b)
}
