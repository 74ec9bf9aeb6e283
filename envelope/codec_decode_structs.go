package envelope

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/modern-go/reflect2"
)

// structDecoder decodes JSON into a struct the way encoding/json does, for
// the common case only, and faster than json-iterator: keys are matched to
// fields whole, strings are found eight bytes at a time (fastString), and
// numbers are parsed by strconv from their text. It takes the structs whose
// fields are their own, or promoted from structs they embed (see
// promotedFields), and of the kinds it knows: booleans, numbers,
// strings, such structs, slices of these, pointers to any of them, maps of
// them by strings, empty interfaces (any), and values that decode
// themselves with UnmarshalJSON, like time.Time.
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
	// strct reads a struct. elem reads the elements of a slice of type
	// slice, the values of a map of type mapType, or what a pointer points
	// to, of type pointee.
	strct   *structDecoder
	elem    *valueDecoder
	slice   reflect2.SliceType
	mapType reflect.Type
	pointee reflect2.Type
	// unmarshaler, of type *T for a T whose UnmarshalJSON reads the
	// value, makes the interface that calls it.
	unmarshaler reflect2.Type
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

// structDecoderFor returns the decoder of the struct v points to, and where
// it points, or nil where v is not a non-nil pointer to a struct the
// decoder takes.
func structDecoderFor(v any) (*structDecoder, unsafe.Pointer) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, nil
	}
	p := reflect.ValueOf(v).UnsafePointer()
	if p == nil {
		return nil, nil
	}
	return decoderOf(t.Elem()), p
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
	own, ok := promotedFields(t)
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
	v := valueDecoder{kind: t.Kind()}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		v.unmarshaler = reflect2.Type2(reflect.PointerTo(t))
		return v, true
	}
	if unmarshals(t) || t == numberType {
		return v, false // a json.Number is a string holding a number
	}
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
	case reflect.Pointer:
		elem, ok := newValueDecoder(t.Elem(), making)
		if !ok || elem.kind == reflect.Pointer {
			return v, false // a null would be set at another level
		}
		v.elem = &elem
		v.pointee = reflect2.Type2(t.Elem())
	case reflect.Map:
		key := t.Key()
		if key.Kind() != reflect.String || unmarshals(key) {
			return v, false // keys made another way
		}
		elem, ok := newValueDecoder(t.Elem(), making)
		if !ok {
			return v, false
		}
		v.elem = &elem
		v.mapType = t
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return v, false
		}
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
func (sd *structDecoder) decode(data []byte, p unsafe.Pointer) bool {
	ps := structParse{d: data, maxDepth: decodeStructMaxDepth}
	return ps.top(sd, p)
}

// decodeChecked is decode that also makes the check of SPEC R5
// (checkParams), in the same pass: where it decodes data, data holds no key
// twice in an object and no nesting deeper than maxDepth, the parameters
// object being level 1. It gives up where checkParams might refuse data,
// and on keys with escapes.
//
// It also makes checkKeys' test of the parameters object's own keys: with
// strict, it gives up on a key that names no field; it gives up where a
// field named in required is not given, or given null.
func (sd *structDecoder) decodeChecked(data []byte, p unsafe.Pointer, maxDepth int, strict bool, required []string) bool {
	var need uint64
	for _, name := range required {
		k := slices.IndexFunc(sd.fields, func(f decodedField) bool { return f.name == name })
		if k < 0 || k >= 64 {
			return false
		}
		need |= 1 << k
	}
	ps := structParse{d: data, maxDepth: min(maxDepth, fastMaxDepth), unique: true, strict: strict}
	return ps.top(sd, p) && ps.given&need == need
}

// structParse is one input being decoded.
type structParse struct {
	d        []byte
	maxDepth int  // of the containers, the outermost being level 1
	unique   bool // give up on a key given twice in an object
	strict   bool // give up on a key of the outermost object that names no field
	// given has bit k set where the outermost object gives field k a value
	// other than null.
	given uint64
}

func (ps *structParse) top(sd *structDecoder, p unsafe.Pointer) bool {
	if uint64(len(ps.d)) > 1<<32-1 {
		return false // keySpan holds 32-bit offsets
	}
	i := ps.object(sd, fastSpace(ps.d, 0), p, 1)
	return i >= 0 && fastSpace(ps.d, i) == len(ps.d)
}

// objectKeysMax bounds the keys that are not field names exactly that an
// object may hold where duplicates are looked for.
const objectKeysMax = 8

// object reads the object at d[i:], at level, into the struct at p and
// returns the index after it, or -1.
func (ps *structParse) object(sd *structDecoder, i int, p unsafe.Pointer, level int) int {
	d := ps.d
	if i >= len(d) || d[i] != '{' || level > ps.maxDepth || ps.unique && len(sd.fields) > 64 {
		return -1
	}
	var (
		named  uint64 // bit k: field k was given by its exact name
		others [objectKeysMax]keySpan
		n      int // others in use
	)
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		var key []byte
		start := i + 1
		if key, i = ps.key(i); i < 0 {
			return -1
		}
		k, exact := sd.field(key)
		if ps.unique {
			if exact {
				if named&(1<<k) != 0 {
					return -1
				}
				named |= 1 << k
			} else {
				for _, o := range others[:n] {
					if string(d[o.start:o.end]) == string(key) {
						return -1
					}
				}
				if n == objectKeysMax {
					return -1
				}
				others[n] = keySpan{uint32(start), uint32(start + len(key))}
				n++
			}
		}
		if level == 1 {
			if k < 0 && ps.strict {
				return -1
			}
			if k >= 0 && k < 64 && i < len(d) && d[i] != 'n' {
				ps.given |= 1 << k
			}
		}
		if k < 0 {
			i = fastScan(d, i, ps.maxDepth-level, ps.unique)
		} else {
			f := &sd.fields[k]
			i = ps.value(&f.value, i, unsafe.Add(p, f.offset), level)
		}
		var closed bool
		if i, closed = ps.next(i, '}'); i < 0 || closed {
			return i
		}
	}
}

// next reads what follows a value, at i, in a container that closes with
// end: it returns the index of the next value after a comma, or the index
// after end and true, or -1.
func (ps *structParse) next(i int, end byte) (int, bool) {
	if i < 0 {
		return -1, false
	}
	d := ps.d
	if i = fastSpace(d, i); i >= len(d) {
		return -1, false
	}
	switch d[i] {
	case ',':
		return fastSpace(d, i+1), false
	case end:
		return i + 1, true
	}
	return -1, false
}

// field returns the index of the field key names, and whether it names it
// exactly: the field of that exact name, else the first whose name is the
// same but for case, as encoding/json chooses; -1 for none.
func (sd *structDecoder) field(key []byte) (int, bool) {
	for i := range sd.fields {
		if sd.fields[i].name == string(key) {
			return i, true
		}
	}
	for i := range sd.fields {
		if bytes.EqualFold([]byte(sd.fields[i].name), key) {
			return i, false
		}
	}
	return -1, false
}

// value reads the value at d[i:], in a container at level, into p and
// returns the index after it, or -1. A null leaves p as it was, but for a
// slice or a pointer, which it makes nil. Another value goes where a
// pointer points, which is made first where it is nil.
func (ps *structParse) value(v *valueDecoder, i int, p unsafe.Pointer, level int) int {
	d := ps.d
	if i >= len(d) {
		return -1
	}
	if v.unmarshaler != nil {
		return ps.unmarshal(v, i, p, level)
	}
	if v.kind == reflect.Interface {
		// encoding/json decodes into what a non-nil pointer held there
		// points to.
		if t := reflect.TypeOf(*(*any)(p)); t != nil && t.Kind() == reflect.Pointer {
			return -1
		}
		var end int
		*(*any)(p), end = ps.anyValue(i, level)
		return end
	}
	if d[i] == 'n' {
		switch v.kind {
		case reflect.Slice:
			*(*sliceHeader)(p) = sliceHeader{}
		case reflect.Pointer, reflect.Map:
			*(*unsafe.Pointer)(p) = nil
		}
		return fastLiteral(d, i, "null")
	}
	switch v.kind {
	case reflect.Map:
		return ps.mapObject(v, i, p, level+1)
	case reflect.Pointer:
		to := (*unsafe.Pointer)(p)
		if *to == nil {
			*to = v.pointee.UnsafeNew()
		}
		return ps.value(v.elem, i, *to, level)
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
		return ps.object(v.strct, i, p, level+1)
	case reflect.Slice:
		return ps.array(v, i, p, level+1)
	}
	return v.number(d, i, p)
}

// mapObject reads the object at d[i:], at level, into the map at p, made
// where it is nil, and returns the index after it, or -1. As with
// encoding/json, each value is decoded into a zero value, and keys the
// object does not give keep their values. Where keys must be unique, a map
// that holds keys already is given up on: a key given twice is found by
// the map's length staying the same.
func (ps *structParse) mapObject(v *valueDecoder, i int, p unsafe.Pointer, level int) int {
	d := ps.d
	if d[i] != '{' || level > ps.maxDepth {
		return -1
	}
	m := reflect.NewAt(v.mapType, p).Elem()
	if m.IsNil() {
		m.Set(reflect.MakeMap(v.mapType))
	} else if ps.unique && m.Len() != 0 {
		return -1
	}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	key := reflect.New(v.mapType.Key()).Elem()
	elem := reflect.New(v.mapType.Elem()).Elem()
	for {
		var k []byte
		if k, i = ps.key(i); i < 0 {
			return -1
		}
		key.SetString(string(k))
		elem.SetZero()
		if i = ps.value(v.elem, i, elem.Addr().UnsafePointer(), level); i < 0 {
			return -1
		}
		n := m.Len()
		m.SetMapIndex(key, elem)
		if ps.unique && m.Len() == n {
			return -1
		}
		var closed bool
		if i, closed = ps.next(i, '}'); i < 0 || closed {
			return i
		}
	}
}

// key reads the key at d[i:], without escapes, and its colon: it returns
// the key's bytes, quotes left out, and the index of its value, or -1.
func (ps *structParse) key(i int) ([]byte, int) {
	d := ps.d
	if i >= len(d) || d[i] != '"' {
		return nil, -1
	}
	end, escaped := fastString(d, i)
	if end < 0 || escaped {
		return nil, -1
	}
	k := d[i+1 : end-1]
	if i = fastSpace(d, end); i >= len(d) || d[i] != ':' {
		return nil, -1
	}
	return k, fastSpace(d, i+1)
}

// anyValue reads the value at d[i:], in a container at level, as
// encoding/json reads it into an empty interface: a string, a float64, a
// bool, nil, a map[string]any or a []any. It returns the value and the
// index after it, or -1.
func (ps *structParse) anyValue(i, level int) (any, int) {
	d := ps.d
	if i >= len(d) {
		return nil, -1
	}
	switch d[i] {
	case '"':
		end, escaped := fastString(d, i)
		if end < 0 || escaped {
			return nil, -1
		}
		return string(d[i+1 : end-1]), end
	case 't':
		return true, fastLiteral(d, i, "true")
	case 'f':
		return false, fastLiteral(d, i, "false")
	case 'n':
		return nil, fastLiteral(d, i, "null")
	case '{':
		return ps.anyObject(i, level+1)
	case '[':
		return ps.anyArray(i, level+1)
	}
	var f float64
	return f, floatDecoder.number(d, i, unsafe.Pointer(&f))
}

// floatDecoder reads a number into an empty interface: a float64.
var floatDecoder = valueDecoder{kind: reflect.Float64, bits: 64}

// anyObject reads the object at d[i:], at level, into a map[string]any.
func (ps *structParse) anyObject(i, level int) (any, int) {
	d := ps.d
	if level > ps.maxDepth {
		return nil, -1
	}
	m := map[string]any{}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return m, i + 1
	}
	for {
		var k []byte
		if k, i = ps.key(i); i < 0 {
			return nil, -1
		}
		var v any
		if v, i = ps.anyValue(i, level); i < 0 {
			return nil, -1
		}
		if _, twice := m[string(k)]; twice && ps.unique {
			return nil, -1
		}
		m[string(k)] = v
		var closed bool
		if i, closed = ps.next(i, '}'); i < 0 || closed {
			return m, i
		}
	}
}

// anyArray reads the array at d[i:], at level, into a []any.
func (ps *structParse) anyArray(i, level int) (any, int) {
	d := ps.d
	if level > ps.maxDepth {
		return nil, -1
	}
	a := []any{}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return a, i + 1
	}
	for {
		var v any
		if v, i = ps.anyValue(i, level); i < 0 {
			return nil, -1
		}
		a = append(a, v)
		var closed bool
		if i, closed = ps.next(i, ']'); i < 0 || closed {
			return a, i
		}
	}
}

// unmarshal hands the value at d[i:], in a container at level, to the
// UnmarshalJSON method of the value at p, as encoding/json does: the value
// alone, without the spaces around it, and null too. An error gives up:
// json-iterator calls the method again, and reports the error.
func (ps *structParse) unmarshal(v *valueDecoder, i int, p unsafe.Pointer, level int) int {
	end := fastScan(ps.d, i, ps.maxDepth-level, ps.unique)
	if end < 0 {
		return -1
	}
	u := v.unmarshaler.UnsafeIndirect(unsafe.Pointer(&p)).(json.Unmarshaler)
	if u.UnmarshalJSON(bytes.TrimRight(ps.d[i:end], " \t\r\n")) != nil {
		return -1
	}
	return end
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
	default:
		if !setInteger(p, v.kind, v.bits, string(text)) {
			return -1
		}
	}
	return end
}

// array reads the array at d[i:], at level, into the slice at p, which
// must be empty, and returns the index after it, or -1.
func (ps *structParse) array(v *valueDecoder, i int, p unsafe.Pointer, level int) int {
	d := ps.d
	if d[i] != '[' || (*sliceHeader)(p).cap != 0 || level > ps.maxDepth {
		return -1
	}
	i = fastSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		v.slice.UnsafeSet(p, v.slice.UnsafeMakeSlice(0, 0)) // empty, not nil
		return i + 1
	}
	for n := 1; ; n++ {
		v.slice.UnsafeGrow(p, n)
		i = ps.value(v.elem, i, v.slice.UnsafeGetIndex(p, n-1), level)
		var closed bool
		if i, closed = ps.next(i, ']'); i < 0 || closed {
			return i
		}
	}
}

// sliceHeader is how a slice of any element type is laid out.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}
