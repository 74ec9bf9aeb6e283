package envelope

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// paramsType is what decoding needs to know of a parameters type: the JSON
// names of its fields, and which of them are required.
type paramsType struct {
	known    map[string]bool
	required []string
}

var paramsTypes sync.Map // reflect.Type → *paramsType

// paramsTypeOf describes the struct that v points to; other types have no
// known or required fields.
func paramsTypeOf(t reflect.Type) *paramsType {
	if pt, ok := paramsTypes.Load(t); ok {
		return pt.(*paramsType)
	}
	pt := &paramsType{known: map[string]bool{}}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		pt.addFields(st)
	}
	paramsTypes.Store(t, pt)
	return pt
}

// addFields follows encoding/json's naming: the json tag's name, else the
// field's; "-" skips a field; embedded structs lend their fields.
func (pt *paramsType) addFields(t reflect.Type) {
	for f := range t.Fields() {
		name, _, skip := jsonTag(f)
		if skip {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				pt.addFields(ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		pt.known[name] = true
		if f.Tag.Get("envelope") == "required" {
			pt.required = append(pt.required, name)
		}
	}
}

// isKnown matches a key to a field as encoding/json does: exactly, else
// without regard to case.
func (pt *paramsType) isKnown(key string) bool {
	if pt.known[key] {
		return true
	}
	for name := range pt.known {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}

// Decode decodes the request's parameters into v, a pointer, with the
// codec of the request's envelope. Fields tagged `envelope:"required"`
// must be present and not null. It returns a parameter-error that names the
// field at fault, in the original framework's words: "`to` parameter is
// required but is missing", "`page` should be an integer". If v has a
// Validate() error method, it is called last.
func Decode(r *http.Request, v any) error {
	return decodeRequest(r, v, paramsTypeOf(reflect.TypeOf(v)), false, ParamsOptions{})
}

func decodeRequest(r *http.Request, v any, pt *paramsType, strict bool, opts ParamsOptions) error {
	raw, err := paramsToDecode(r, opts)
	if err != nil {
		return err
	}
	codec := DefaultCodec
	ex := FromContext(r.Context())
	if ex != nil {
		codec = ex.opts.codec()
		if ex.uncheckedDepth > 0 {
			// The check LoadParamsFor left to this first reader: made while
			// decoding where it can be, else before.
			if decodeCheckedStruct(codec, raw, v, ex.uncheckedDepth, strict, pt.required) {
				ex.uncheckedDepth = 0
				return validate(v)
			}
			if err := ex.checkParamsNow(); err != nil {
				return err
			}
		}
	}
	return decodeParams(raw, v, pt, strict, codec)
}

// decodeCheckedStruct decodes raw into v, a pointer to a struct, and makes
// the check of SPEC R5 and checkKeys' in the same pass, with the default
// codec's struct decoder; it reports false where it cannot, having maybe
// written to v.
func decodeCheckedStruct(codec Codec, raw []byte, v any, maxDepth int, strict bool, required []string) bool {
	if _, ok := codec.(jsoniterCodec); !ok {
		return false
	}
	d, p := structDecoderFor(v)
	return d != nil && d.decodeChecked(raw, p, maxDepth, strict, required)
}

func decodeParams(raw []byte, v any, pt *paramsType, strict bool, codec Codec) error {
	if err := checkKeys(raw, pt, strict); err != nil {
		return err
	}
	if err := codec.Unmarshal(raw, v); err != nil {
		if err := decodeStd(raw, v); err != nil {
			return err
		}
	}
	return validate(v)
}

// validate calls v's Validate method, if it has one, and makes its error a
// parameter error.
func validate(v any) error {
	if val, ok := v.(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			if e := asError(err); e != nil {
				return e
			}
			e := ParameterError(CodeInvalidParameter, "", err.Error())
			e.Err = err
			return e
		}
	}
	return nil
}

// decodeStd decodes with encoding/json into a fresh value, for its precise
// errors: the faster codec's are only strings. Where encoding/json accepts
// what the codec did not, its result stands.
func decodeStd(raw []byte, v any) error {
	fresh := reflect.New(reflect.TypeOf(v).Elem())
	err := json.Unmarshal(raw, fresh.Interface())
	if err == nil {
		reflect.ValueOf(v).Elem().Set(fresh.Elem())
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		e := ParameterError(CodeInvalidParameterType, typeErr.Field, fmt.Sprintf("`%s` should be %s", typeErr.Field, describeType(typeErr.Type)))
		if typeErr.Field == "" {
			e.Message = "The parameters should be " + describeType(typeErr.Type)
		}
		e.Err = err
		return e
	}
	e := ParameterError(CodeInvalidParameter, "", strings.TrimPrefix(err.Error(), "json: "))
	e.Err = err
	return e
}

// checkKeys reports unknown keys in strict mode, then missing required ones.
// Keys match fields as encoding/json matches them: exactly, else without
// regard to case.
func checkKeys(raw []byte, pt *paramsType, strict bool) *Error {
	if !strict && len(pt.required) == 0 {
		return nil
	}
	var present []string
	var unknown string
	forEachTopLevelKey(raw, func(key string, null bool) {
		if strict && unknown == "" && !pt.isKnown(key) {
			unknown = key
		}
		if !null {
			present = append(present, key)
		}
	})
	if unknown != "" {
		return ParameterError(CodeUnknownParameter, unknown, fmt.Sprintf("`%s` is not a parameter of this action", unknown))
	}
	for _, name := range pt.required {
		if !slices.ContainsFunc(present, func(key string) bool { return strings.EqualFold(key, name) }) {
			return ParameterError(CodeMissingParameter, name, fmt.Sprintf("`%s` parameter is required but is missing", name))
		}
	}
	return nil
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	case reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return describeType(t.Elem())
	}
	return "a " + t.String()
}
