package envelope

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/apienvelope/apienvelope/envelope/internal/jsondepth"
)

// Decode decodes the request's parameters into v, a pointer, with the
// codec of the request's envelope. The body is read as the Params
// middleware reads it (CONTRACT R4), with its limits when it ran, else
// with the zero ParamsOptions'. Fields tagged `envelope:"required"` must be
// present and not null. It returns a parameter-error that names the field
// at fault, in the original framework's words: "`to` parameter is required
// but is missing", "`page` should be an integer". If v has a Validate()
// error method, it is called last.
func Decode(r *http.Request, v any) error {
	return decodeRequest(r, v, false, ParamsOptions{})
}

func decodeRequest(r *http.Request, v any, strict bool, opts ParamsOptions) error {
	codec := DefaultCodec
	if ex := fromContext(r.Context()); ex != nil {
		codec = ex.opts.codec()
	}
	// A codec keeps nothing of the bytes it decodes (see Codec): the body
	// is read into a pooled buffer, given back once the parameters are
	// decoded. An error may hold on to the bytes: after one, the buffer is
	// left to the garbage collector.
	bp := buffers.Get().(*[]byte)
	body, raw, opts, checked, err := readParams(r, opts, *bp)
	if err != nil {
		return err
	}
	maxDepth := opts.maxDepth()
	if checked {
		maxDepth = 0 // ReadParams checked it
	}
	if err := decodeParams(codec, raw, v, strict, maxDepth); err != nil {
		return err
	}
	if body != nil {
		recycle(bp, body)
	}
	return validate(v)
}

// decodeParams makes the checks of CONTRACT R5 that are not the codec's
// around it: the parameters are an object, nested no deeper than maxDepth
// (0: checked already), and the required fields of v's type are there.
func decodeParams(codec Codec, raw []byte, v any, strict bool, maxDepth int) error {
	if first := firstByte(raw); first != '{' {
		return ParameterError(CodeParametersNotObject, "The parameters must be a JSON object, not "+kindOf(first))
	}
	if maxDepth > 0 {
		if err := checkDepth(raw, maxDepth); err != nil {
			return err
		}
	}
	if err := codec.Unmarshal(raw, v, UnmarshalOptions{RejectUnknown: strict}); err != nil {
		var e *Error
		if errors.As(err, &e) || errors.Is(err, errUnsupportedType) {
			return err
		}
		return &Error{Status: StatusParameterError, Code: CodeInvalidParameter, Message: err.Error(), Err: err}
	}
	if e := checkRequired(raw, requiredOf(reflect.TypeOf(v))); e != nil {
		return e
	}
	return nil
}

// firstByte returns the first byte of data that is not JSON white space,
// or 0 when there is none.
func firstByte(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// kindOf names the JSON value that starts with c, for a message.
func kindOf(c byte) string {
	switch {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return fmt.Sprintf("%q", c)
}

// checkDepth refuses parameters nested deeper than maxDepth, the object
// itself being level 1. Only refused parameters are read token by token,
// to name where they go too deep.
func checkDepth(raw []byte, maxDepth int) *Error {
	if !jsondepth.Exceeds(raw, maxDepth) {
		return nil
	}
	e := ParameterError(CodeNestingTooDeep, fmt.Sprintf("The parameters are nested more than %d levels deep", maxDepth))
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for {
		if _, err := dec.ReadToken(); err != nil {
			return e
		}
		if dec.StackDepth() > maxDepth {
			return e.WithField(fieldOf(dec.StackPointer()))
		}
	}
}

// checkRequired reports the first required field that raw, a valid JSON
// object, lacks or gives as null.
func checkRequired(raw []byte, required []string) *Error {
	if len(required) == 0 {
		return nil
	}
	present := make(map[string]bool, len(required))
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil
		}
		name := tok.String() // before PeekKind, which voids tok
		if dec.PeekKind() != 'n' {
			present[name] = true
		}
		if dec.SkipValue() != nil {
			return nil
		}
	}
	for _, name := range required {
		if !present[name] {
			return ParameterError(CodeMissingParameter, fmt.Sprintf("`%s` parameter is required but is missing", name)).WithField(name)
		}
	}
	return nil
}

var requiredFields sync.Map // reflect.Type → []string

// requiredOf returns the JSON names of the fields tagged
// `envelope:"required"` of the struct t points to, embedded structs'
// included, named as encoding/json v2 names them.
func requiredOf(t reflect.Type) []string {
	if names, ok := requiredFields.Load(t); ok {
		return names.([]string)
	}
	var names []string
	if t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		names = appendRequired(names, t.Elem(), map[reflect.Type]bool{})
	}
	requiredFields.Store(t, names)
	return names
}

func appendRequired(names []string, t reflect.Type, seen map[reflect.Type]bool) []string {
	if seen[t] {
		return names
	}
	seen[t] = true
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			names = appendRequired(names, ft, seen)
			continue
		}
		if !f.IsExported() || f.Tag.Get("envelope") != "required" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// validate calls v's Validate method, if it has one, and makes its error a
// parameter error.
func validate(v any) error {
	val, ok := v.(interface{ Validate() error })
	if !ok {
		return nil
	}
	err := val.Validate()
	if err == nil {
		return nil
	}
	if e := asError(err); e != nil {
		return e
	}
	return &Error{Status: StatusParameterError, Code: CodeInvalidParameter, Message: err.Error(), Err: err}
}

// errUnsupportedType marks an error of the Go type itself, not of the
// parameters: a programmer's mistake, sent as the 500 envelope.
var errUnsupportedType = errors.New("envelope: the parameters' type cannot be decoded")

// parameterErrorOf turns an error of github.com/go-json-experiment/json
// into the parameter-error that says what is wrong, and where; an error of
// the Go type itself is returned wrapped in errUnsupportedType.
func parameterErrorOf(err error) error {
	var syntax *jsontext.SyntacticError
	var semantic *json.SemanticError
	var e *Error
	switch {
	case errors.As(err, &syntax):
		field := fieldOf(syntax.JSONPointer)
		switch {
		case errors.Is(syntax.Err, jsontext.ErrDuplicateName):
			e = ParameterError(CodeDuplicateParameter, fmt.Sprintf("`%s` is given more than once", field))
		case syntax.Err != nil && syntax.Err.Error() == "invalid UTF-8":
			e = ParameterError(CodeInvalidUTF8, fmt.Sprintf("The parameters are not valid UTF-8 at byte %d", syntax.ByteOffset))
		case syntax.Err != nil && strings.HasPrefix(syntax.Err.Error(), "invalid surrogate pair"):
			e = ParameterError(CodeInvalidUTF8, fmt.Sprintf("The parameters have a lone UTF-16 surrogate at byte %d", syntax.ByteOffset))
		case syntax.Err != nil && strings.HasSuffix(syntax.Err.Error(), "after top-level value"):
			e = ParameterError(CodeTrailingData, fmt.Sprintf("Unexpected data after the parameters object at byte %d", syntax.ByteOffset))
		case errors.Is(syntax.Err, io.ErrUnexpectedEOF):
			e = ParameterError(CodeMalformedJSON, "Malformed JSON: the parameters end before the object does")
		default:
			e = ParameterError(CodeMalformedJSON, fmt.Sprintf("Malformed JSON at byte %d: %v", syntax.ByteOffset, syntax.Err))
		}
		e = e.WithField(field)
	case errors.As(err, &semantic):
		field := fieldOf(semantic.JSONPointer)
		switch {
		case errors.Is(semantic.Err, json.ErrUnknownName):
			e = ParameterError(CodeUnknownParameter, fmt.Sprintf("`%s` is not a parameter of this action", field))
		case semantic.JSONKind == 0:
			return fmt.Errorf("%w: %w", errUnsupportedType, err)
		case semantic.GoType != nil && field == "":
			e = ParameterError(CodeParametersNotObject, "The parameters should be "+describeType(semantic.GoType))
		case semantic.GoType != nil && (semantic.Err == nil || isRangeOrSyntax(semantic.Err)):
			e = ParameterError(CodeInvalidParameterType, fmt.Sprintf("`%s` should be %s", field, describeType(semantic.GoType)))
		default:
			e = ParameterError(CodeInvalidParameter, fmt.Sprintf("`%s` is not valid: %v", field, causeOf(semantic)))
		}
		e = e.WithField(field)
	default:
		e = ParameterError(CodeMalformedJSON, "Malformed JSON: "+err.Error())
	}
	e.Err = err
	return e
}

// isRangeOrSyntax reports whether a number or string could not be
// converted to the Go type: the client sent a value of the wrong type.
func isRangeOrSyntax(err error) bool {
	msg := err.Error()
	return msg == "value out of range" || msg == "invalid syntax"
}

func causeOf(e *json.SemanticError) string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Error()
}

// fieldOf writes a JSON Pointer as a path of names joined by dots:
// /to/0 becomes to.0.
func fieldOf(p jsontext.Pointer) string {
	var b strings.Builder
	for name := range p.Tokens() {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
	}
	return b.String()
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
