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
	switch d.kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(text, 10, d.bits)
		if err != nil {
			iter.ReportError("decode integer", "cannot read "+text+" as an int"+strconv.Itoa(d.bits))
			return
		}
		switch d.kind {
		case reflect.Int:
			*(*int)(ptr) = int(n)
		case reflect.Int8:
			*(*int8)(ptr) = int8(n)
		case reflect.Int16:
			*(*int16)(ptr) = int16(n)
		case reflect.Int32:
			*(*int32)(ptr) = int32(n)
		default:
			*(*int64)(ptr) = n
		}
	default:
		n, err := strconv.ParseUint(text, 10, d.bits)
		if err != nil {
			iter.ReportError("decode integer", "cannot read "+text+" as a uint"+strconv.Itoa(d.bits))
			return
		}
		switch d.kind {
		case reflect.Uint:
			*(*uint)(ptr) = uint(n)
		case reflect.Uint8:
			*(*uint8)(ptr) = uint8(n)
		case reflect.Uint16:
			*(*uint16)(ptr) = uint16(n)
		case reflect.Uint32:
			*(*uint32)(ptr) = uint32(n)
		case reflect.Uintptr:
			*(*uintptr)(ptr) = uintptr(n)
		default:
			*(*uint64)(ptr) = n
		}
	}
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
