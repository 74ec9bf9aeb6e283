package envelope

import (
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unsafe"

	jsoniter "github.com/json-iterator/go"
	"github.com/modern-go/reflect2"
)

// structEncoder writes a struct as encoding/json does. Each field's name is
// quoted and escaped once, when the encoder is made, where json-iterator's
// own encoder escapes it again, byte by byte, for every value; and it knows
// the omitzero option, which json-iterator ignores.
//
// It takes the structs whose fields are all their own. Embedded fields, the
// string option, two fields of one name, and fields whose pointer alone has
// a MarshalJSON or MarshalText method are left to json-iterator, or to
// encoding/json when the struct also has an omitzero field: see
// newStructEncoder.
type structEncoder struct {
	api    jsoniter.API
	fields []structField
	// The fields' encoders are asked of api on first use: asking while
	// json-iterator builds this one would never end for a recursive type.
	once sync.Once
}

type structField struct {
	typ    reflect.Type
	offset uintptr
	// name is `,"name":`; the first field written leaves out the comma.
	name []byte
	// omit reports whether the field is left out (omitempty, omitzero);
	// nil when it never is.
	omit func(unsafe.Pointer) bool
	enc  jsoniter.ValEncoder
}

// newStructEncoder returns the encoder of the struct type typ for api, or
// nil when json-iterator's own writes what encoding/json writes.
func newStructEncoder(api jsoniter.API, typ reflect.Type) jsoniter.ValEncoder {
	fields, ok := encodedFields(typ)
	if ok {
		return &structEncoder{api: api, fields: fields}
	}
	if hasOmitZero(typ, map[reflect.Type]bool{}) {
		return stdMarshalerEncoder{reflect2.Type2(typ)}
	}
	return nil
}

// encodedFields lists the fields encoding/json writes of typ, in order, or
// reports false when typ is not one structEncoder takes.
func encodedFields(typ reflect.Type) ([]structField, bool) {
	own, ok := ownFields(typ)
	if !ok {
		return nil, false
	}
	fields := make([]structField, 0, len(own))
	for _, of := range own {
		if pointerMarshals(of.Type) {
			return nil, false
		}
		f := structField{typ: of.Type, offset: of.Offset, name: append(appendString([]byte{','}, of.name), ':')}
		omitZero, omitEmpty := hasOption(of.opts, "omitzero"), hasOption(of.opts, "omitempty")
		switch {
		case omitZero && omitEmpty:
			isZero, isEmpty := zeroCheck(of.Type), emptyCheck(of.Type)
			f.omit = func(p unsafe.Pointer) bool { return isEmpty(p) || isZero(p) }
		case omitZero:
			f.omit = zeroCheck(of.Type)
		case omitEmpty:
			f.omit = emptyCheck(of.Type)
		}
		fields = append(fields, f)
	}
	return fields, true
}

// ownField is a field that encoding/json reads and writes, of a struct
// whose fields are all its own, or promoted from structs it embeds. Its
// Offset is from the start of the outermost struct.
type ownField struct {
	reflect.StructField
	name, opts string
}

// ownFields lists the fields encoding/json reads and writes of the struct
// t, in order, or reports false where the toolkit's struct encoder and
// decoder leave t to json-iterator: an embedded field, whose fields
// encoding/json promotes by rules of its own, a field with the string
// option, or two fields of one name.
func ownFields(t reflect.Type) ([]ownField, bool) {
	var fields []ownField
	return fields, appendOwnFields(&fields, t, 0, false, map[string]bool{})
}

// promotedFields is ownFields that also takes the fields of embedded
// structs, where encoding/json's rules are simple: an embedded struct, not
// a pointer, without a name in its tag, whose fields it promotes in its
// place; and no name given twice, at any depth, which those rules would
// settle by depth and tags.
func promotedFields(t reflect.Type) ([]ownField, bool) {
	var fields []ownField
	return fields, appendOwnFields(&fields, t, 0, true, map[string]bool{})
}

// appendOwnFields appends the fields of the struct t, which starts offset
// bytes into the outermost struct, to fields; names holds the names taken.
func appendOwnFields(fields *[]ownField, t reflect.Type, offset uintptr, promote bool, names map[string]bool) bool {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, skip := jsonTag(sf)
		if sf.Anonymous {
			if !promote || name != "" || skip || sf.Type.Kind() != reflect.Struct {
				return false
			}
			if !appendOwnFields(fields, sf.Type, offset+sf.Offset, promote, names) {
				return false
			}
			continue
		}
		if !sf.IsExported() || skip {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if hasOption(opts, "string") || names[name] {
			return false
		}
		names[name] = true
		sf.Offset += offset
		*fields = append(*fields, ownField{StructField: sf, name: name, opts: opts})
	}
	return true
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var opt string
		opt, opts, _ = strings.Cut(opts, ",")
		if opt == name {
			return true
		}
	}
	return false
}

// jsonTag reads the json tag of f as encoding/json does: the name it gives
// the field (empty when it gives none, or one encoding/json does not take,
// for which the field keeps its Go name), its options, and whether it is
// "-", which leaves the field out.
func jsonTag(f reflect.StructField) (name, opts string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", "", true
	}
	name, opts, _ = strings.Cut(tag, ",")
	if !validTagName(name) {
		name = ""
	}
	return name, opts, false
}

// validTagName reports whether encoding/json takes name from a tag.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// pointerMarshals reports whether only *t has a MarshalJSON or MarshalText
// method, which encoding/json calls only on the fields it can address. Such
// fields are left to json-iterator, which calls it on all of them: the same
// bytes for a struct reached through a pointer or a slice.
func pointerMarshals(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return !t.Implements(marshalerType) && p.Implements(marshalerType) ||
		!t.Implements(textMarshalerType) && p.Implements(textMarshalerType)
}

// hasOmitZero reports whether typ, or a struct it embeds, has a field with
// the omitzero option. Seen holds the structs looked into already.
func hasOmitZero(typ reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[typ] {
		return false
	}
	seen[typ] = true
	for i := range typ.NumField() {
		sf := typ.Field(i)
		_, opts, _ := jsonTag(sf)
		if hasOption(opts, "omitzero") {
			return true
		}
		t := sf.Type
		if sf.Anonymous && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if sf.Anonymous && t.Kind() == reflect.Struct && hasOmitZero(t, seen) {
			return true
		}
	}
	return false
}

// emptyCheck is encoding/json's omitempty test for values of type t.
func emptyCheck(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Slice:
		return func(p unsafe.Pointer) bool { return len(*(*[]byte)(p)) == 0 }
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Pointer, reflect.Interface:
		// A nil interface is one whose first word, its type, is nil.
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Array, reflect.Map:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().Len() == 0 }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().IsZero() }
	}
	return func(unsafe.Pointer) bool { return false }
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeFor[isZeroer]()

// zeroCheck is encoding/json's omitzero test for values of type t: its
// IsZero method when it has one, else whether it is its type's zero value.
func zeroCheck(t reflect.Type) func(unsafe.Pointer) bool {
	value := func(p unsafe.Pointer) reflect.Value { return reflect.NewAt(t, p).Elem() }
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return func(p unsafe.Pointer) bool {
			v := value(p)
			return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() || v.Interface().(isZeroer).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(p unsafe.Pointer) bool {
			v := value(p)
			return v.IsNil() || v.Interface().(isZeroer).IsZero()
		}
	case t.Implements(isZeroerType):
		return func(p unsafe.Pointer) bool { return value(p).Interface().(isZeroer).IsZero() }
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(p unsafe.Pointer) bool { return value(p).Addr().Interface().(isZeroer).IsZero() }
	}
	return func(p unsafe.Pointer) bool { return value(p).IsZero() }
}

func (e *structEncoder) resolve() {
	for i := range e.fields {
		f := &e.fields[i]
		t := reflect2.Type2(f.typ)
		if t.LikePtr() {
			// The encoder json-iterator gives a pointer-shaped type reads
			// the value itself from ptr, not from where ptr points; that of
			// a pointer to it reads from where ptr points.
			t = reflect2.PtrTo(t)
		}
		f.enc = e.api.EncoderOf(t)
	}
}

func (*structEncoder) IsEmpty(unsafe.Pointer) bool { return false }

func (e *structEncoder) Encode(ptr unsafe.Pointer, stream *jsoniter.Stream) {
	e.once.Do(e.resolve)
	buf := append(stream.Buffer(), '{')
	open := len(buf)
	for i := range e.fields {
		f := &e.fields[i]
		p := unsafe.Add(ptr, f.offset)
		if f.omit != nil && f.omit(p) {
			continue
		}
		name := f.name
		if len(buf) == open {
			name = name[1:]
		}
		stream.SetBuffer(append(buf, name...))
		f.enc.Encode(p, stream)
		buf = stream.Buffer()
	}
	stream.SetBuffer(append(buf, '}'))
}
