package envelope

import (
	"bytes"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/modern-go/reflect2"
)

// structDecoder decodes JSON into a struct the way encoding/json does, for
// the common case only, and faster than json-iterator: keys are matched to
// fields whole, strings are found eight bytes at a time (fastString), and
// numbers are parsed by strconv from their text. It takes the structs whose
// fields are all their own and of the kinds it knows: booleans, numbers,
// strings, such structs, and slices of these.
//
// It gives up, and JSONIterCodec decodes the input again with
// json-iterator, on anything else: an escape in a string, a value of the
// wrong type, a number out of range, a slice that already has elements,
// JSON it cannot read. So it never decides an error, nor accepts what
// encoding/json refuses.
type structDecoder struct {
	fields []decodedField
}

// decodedField is a field of a struct structDecoder takes, and how its
// values are read.
type decodedField struct {
	name   string
	offset uintptr
	value  valueDecoder
}

// valueDecoder reads one kind of value.
type valueDecoder struct {
	kind reflect.Kind
	bits int // of an integer or a float
	// strct reads a struct, and of a slice its elements, whose type is
	// slice.
	strct *structDecoder
	elem  *valueDecoder
	slice reflect2.SliceType
}

// structDecoders holds, by type, the *structDecoder of a struct, or nil for
// a struct it does not take.
var structDecoders sync.Map

// decoderOf returns the decoder of the struct type t, or nil.
func decoderOf(t reflect.Type) *structDecoder {
	if d, ok := structDecoders.Load(t); ok {
		return d.(*structDecoder)
	}
	d := newStructDecoder(t, map[reflect.Type]*structDecoder{})
	structDecoders.Store(t, d)
	return d
}

// newStructDecoder makes the decoder of t, or returns nil. Making holds the
// decoders being made, for the types that contain themselves.
func newStructDecoder(t reflect.Type, making map[reflect.Type]*structDecoder) *structDecoder {
	if d, ok := making[t]; ok {
		return d
	}
	if unmarshals(t) {
		return nil
	}
	own, ok := ownFields(t)
	if !ok {
		return nil
	}
	d := &structDecoder{}
	making[t] = d
	for _, f := range own {
		v, ok := newValueDecoder(f.Type, making)
		if !ok {
			return nil
		}
		d.fields = append(d.fields, decodedField{name: f.name, offset: f.Offset, value: v})
	}
	return d
}

func newValueDecoder(t reflect.Type, making map[reflect.Type]*structDecoder) (valueDecoder, bool) {
	if unmarshals(t) || t == numberType {
		return valueDecoder{}, false // a json.Number is a string holding a number
	}
	v := valueDecoder{kind: t.Kind()}
	switch v.kind {
	case reflect.Bool, reflect.String:
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		v.bits = t.Bits()
	case reflect.Struct:
		v.strct = newStructDecoder(t, making)
		return v, v.strct != nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return v, false // base64 text
		}
		elem, ok := newValueDecoder(t.Elem(), making)
		if !ok {
			return v, false
		}
		v.elem = &elem
		v.slice = reflect2.Type2(t).(reflect2.SliceType)
	default:
		return v, false
	}
	return v, true
}

// unmarshals reports whether values of t decode themselves.
func unmarshals(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

// decodeStructMaxDepth bounds the nesting structDecoder follows.
const decodeStructMaxDepth = 32

// decode decodes data, one JSON object and spaces, into the struct at p,
// reporting false where it gives up.
func (d *structDecoder) decode(data []byte, p unsafe.Pointer) bool {
	i := fastSpace(data, 0)
	i = d.object(data, i, p, 0)
	return i >= 0 && fastSpace(data, i) == len(data)
}

// object reads the object at d[i:] into the struct at p and returns the
// index after it, or -1.
func (sd *structDecoder) object(d []byte, i int, p unsafe.Pointer, depth int) int {
	if i >= len(d) || d[i] != '{' || depth == decodeStructMaxDepth {
		return -1
	}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return -1
		}
		end, escaped := fastString(d, i)
		if end < 0 || escaped {
			return -1
		}
		f := sd.field(d[i+1 : end-1])
		if i = fastSpace(d, end); i >= len(d) || d[i] != ':' {
			return -1
		}
		i = fastSpace(d, i+1)
		if f == nil {
			i = fastScan(d, i, decodeStructMaxDepth, false)
		} else {
			i = f.value.read(d, i, unsafe.Add(p, f.offset), depth+1)
		}
		if i < 0 {
			return -1
		}
		if i = fastSpace(d, i); i >= len(d) {
			return -1
		}
		switch d[i] {
		case ',':
			i = fastSpace(d, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

// field returns the field key names: the one of that exact name, else the
// first whose name is the same but for case, as encoding/json chooses.
func (sd *structDecoder) field(key []byte) *decodedField {
	for i := range sd.fields {
		if sd.fields[i].name == string(key) {
			return &sd.fields[i]
		}
	}
	for i := range sd.fields {
		if bytes.EqualFold([]byte(sd.fields[i].name), key) {
			return &sd.fields[i]
		}
	}
	return nil
}

// read reads the value at d[i:] into p and returns the index after it, or
// -1. A null leaves p as it was, but for a slice, which it makes nil.
func (v *valueDecoder) read(d []byte, i int, p unsafe.Pointer, depth int) int {
	if i >= len(d) {
		return -1
	}
	if d[i] == 'n' {
		if v.kind == reflect.Slice {
			*(*sliceHeader)(p) = sliceHeader{}
		}
		return fastLiteral(d, i, "null")
	}
	switch v.kind {
	case reflect.Bool:
		switch d[i] {
		case 't':
			*(*bool)(p) = true
			return fastLiteral(d, i, "true")
		case 'f':
			*(*bool)(p) = false
			return fastLiteral(d, i, "false")
		}
		return -1
	case reflect.String:
		if d[i] != '"' {
			return -1
		}
		end, escaped := fastString(d, i)
		if end < 0 || escaped {
			return -1
		}
		*(*string)(p) = string(d[i+1 : end-1])
		return end
	case reflect.Struct:
		return v.strct.object(d, i, p, depth)
	case reflect.Slice:
		return v.array(d, i, p, depth)
	}
	return v.number(d, i, p)
}

// number reads the number at d[i:] into p, an integer or a float of v's
// kind, and returns the index after it, or -1.
func (v *valueDecoder) number(d []byte, i int, p unsafe.Pointer) int {
	if d[i] != '-' && (d[i] < '0' || d[i] > '9') {
		return -1
	}
	end := fastNumber(d, i)
	if end < 0 {
		return -1
	}
	text := d[i:end]
	switch v.kind {
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(string(text), v.bits)
		if err != nil {
			return -1
		}
		if v.kind == reflect.Float32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(string(text), 10, v.bits)
		if err != nil {
			return -1
		}
		switch v.bits {
		case 8:
			*(*int8)(p) = int8(n)
		case 16:
			*(*int16)(p) = int16(n)
		case 32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
	default:
		n, err := strconv.ParseUint(string(text), 10, v.bits)
		if err != nil {
			return -1
		}
		switch v.bits {
		case 8:
			*(*uint8)(p) = uint8(n)
		case 16:
			*(*uint16)(p) = uint16(n)
		case 32:
			*(*uint32)(p) = uint32(n)
		default:
			*(*uint64)(p) = n
		}
	}
	return end
}

// array reads the array at d[i:] into the slice at p, which must be
// empty, and returns the index after it, or -1.
func (v *valueDecoder) array(d []byte, i int, p unsafe.Pointer, depth int) int {
	if d[i] != '[' || (*sliceHeader)(p).cap != 0 || depth == decodeStructMaxDepth {
		return -1
	}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		v.slice.UnsafeSet(p, v.slice.UnsafeMakeSlice(0, 0)) // empty, not nil
		return i + 1
	}
	for n := 1; ; n++ {
		v.slice.UnsafeGrow(p, n)
		if i = v.elem.read(d, i, v.slice.UnsafeGetIndex(p, n-1), depth+1); i < 0 {
			return -1
		}
		if i = fastSpace(d, i); i >= len(d) {
			return -1
		}
		switch d[i] {
		case ',':
			i = fastSpace(d, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}

// sliceHeader is how a slice of any element type is laid out.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}
