package envelope

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"unsafe"

	jsoniter "github.com/json-iterator/go"
	"github.com/modern-go/reflect2"
)

// CreateDecoder gives json-iterator encoding/json's decoding of integers,
// json.Number and null strings.
// json-iterator's own wraps some numbers past the range of uint64 around
// instead of failing: it reads 20700000000000000000 as
// 2253255926290448384, so a client could send a huge page or amount and
// have the action see a small positive one. These decoders parse the
// number's text with strconv, as encoding/json does, and fail on anything
// out of range or not an integer; decodeParams then asks encoding/json
// for its precise error. Found by FuzzTypedActionChain.
func (*stdCompatible) CreateDecoder(typ reflect2.Type) jsoniter.ValDecoder {
	if typ.Type1() == numberType {
		return numberDecoder{}
	}
	ptr := reflect2.PtrTo(typ)
	if ptr.Implements(reflect2.Type2(unmarshalerType)) || ptr.Implements(reflect2.Type2(textUnmarshalerType)) {
		return nil
	}
	switch k := typ.Kind(); k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return intDecoder{kind: k, bits: int(typ.Type1().Size()) * 8}
	case reflect.String:
		return stringDecoder{}
	}
	return nil
}

// stringDecoder leaves a string as it was on null, as encoding/json does;
// json-iterator's own empties it, so that defaults set before decoding were
// lost. An empty string is the same either way, and is not looked at twice.
type stringDecoder struct{}

func (stringDecoder) Decode(ptr unsafe.Pointer, iter *jsoniter.Iterator) {
	s := (*string)(ptr)
	if *s != "" && iter.ReadNil() {
		return
	}
	*s = iter.ReadString()
}

var (
	numberType          = reflect.TypeFor[json.Number]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

type intDecoder struct {
	kind reflect.Kind
	bits int
}

func (d intDecoder) Decode(ptr unsafe.Pointer, iter *jsoniter.Iterator) {
	switch iter.WhatIsNext() {
	case jsoniter.NilValue:
		iter.Skip() // null leaves the value as it was, as in encoding/json
		return
	case jsoniter.NumberValue:
	default:
		iter.ReportError("decode integer", "not a number")
		return
	}
	text := string(iter.ReadNumber())
	if !setInteger(ptr, d.kind, d.bits, text) {
		sign := "an int"
		if !signed(d.kind) {
			sign = "a uint"
		}
		iter.ReportError("decode integer", "cannot read "+text+" as "+sign+strconv.Itoa(d.bits))
	}
}

func signed(kind reflect.Kind) bool {
	switch kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// setInteger parses text as an integer of kind, bits wide, into p, and
// reports false where strconv refuses it: not an integer, or out of range,
// which encoding/json refuses too.
func setInteger(p unsafe.Pointer, kind reflect.Kind, bits int, text string) bool {
	var n uint64
	if signed(kind) {
		i, err := strconv.ParseInt(text, 10, bits)
		if err != nil {
			return false
		}
		n = uint64(i)
	} else {
		u, err := strconv.ParseUint(text, 10, bits)
		if err != nil {
			return false
		}
		n = u
	}
	// A value of either sign is stored as its low bits: the bits of its
	// two's complement, for a negative one.
	switch bits {
	case 8:
		*(*uint8)(p) = uint8(n)
	case 16:
		*(*uint16)(p) = uint16(n)
	case 32:
		*(*uint32)(p) = uint32(n)
	default:
		*(*uint64)(p) = n
	}
	return true
}

// numberDecoder reads a json.Number from a number; json-iterator's own
// takes any string, even "", which encoding/json refuses. A string is left
// to encoding/json, which accepts it when it holds a valid number.
type numberDecoder struct{}

func (numberDecoder) Decode(ptr unsafe.Pointer, iter *jsoniter.Iterator) {
	switch iter.WhatIsNext() {
	case jsoniter.NilValue:
		iter.Skip()
	case jsoniter.NumberValue:
		*(*json.Number)(ptr) = iter.ReadNumber()
	default:
		iter.ReportError("decode json.Number", "not a number")
	}
}
