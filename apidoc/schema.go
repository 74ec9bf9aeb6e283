package apidoc

import (
	"cmp"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Schema is a JSON Schema, in the subset that describes what an action
// reads and answers. It is the same for every OpenAPI version; rendering
// makes it 3.1's or 3.0's.
type Schema struct {
	// Ref names a schema of API.Schemas that stands for this one.
	Ref string
	// Type is object, array, string, integer, number or boolean; empty
	// means any JSON value.
	Type string
	// Format refines Type: int32, int64, double, date-time and the like.
	Format string
	// ContentEncoding is base64 for a []byte, sent as a base64 string.
	ContentEncoding string
	// Nullable allows null besides values of Type.
	Nullable    bool
	Description string
	// Properties are an object's members, in the order of the Go fields.
	Properties []Property
	// AdditionalProperties describes the other members of an object: the
	// values of a map.
	AdditionalProperties *Schema
	// Closed forbids members other than Properties: the parameters of a
	// strict action.
	Closed bool
	// Items describes the elements of an array.
	Items *Schema
	// Enum lists the values allowed, when there is such a list.
	Enum []any
	// Default is the value a missing parameter takes.
	Default any
	// Examples are example values.
	Examples []any
	// Minimum bounds a number from below (unsigned integers: 0).
	Minimum *float64
	// OneOf lists alternatives, exactly one of which a value matches.
	OneOf []*Schema
	// Discriminator names the property whose value tells the alternatives
	// of OneOf apart, each a Ref to an object whose property has a
	// one-value Enum.
	Discriminator string
}

// Property is one member of an object.
type Property struct {
	// Name is the member's JSON name.
	Name string
	// Required is set for parameters tagged `envelope:"required"`, and for
	// members of results that are always present.
	Required bool
	Schema   *Schema
}

// SchemaProvider is implemented by types whose JSON reflection cannot see,
// such as a type with its own MarshalJSON, or a json.RawMessage that holds
// something specific. The method is called on the zero value.
type SchemaProvider interface {
	JSONSchema() *Schema
}

// direction tells parameters from results: they differ in what is
// required, and in whether named structs become shared schemas.
type direction int

const (
	input  direction = iota // parameters: required only where tagged
	output                  // results: required unless omitted when empty or zero
)

var (
	providerType        = reflect.TypeFor[SchemaProvider]()
	timeType            = reflect.TypeFor[time.Time]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	numberType          = reflect.TypeFor[json.Number]()
	jsonMarshalerType   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textMarshalerType   = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()
	textUnmarshalerType = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// schemaOf returns the schema of values of t, read as parameters or
// written as a result. Named structs of results become shared schemas of
// api, referred to by name; those of parameters are inlined, but for types
// that contain themselves.
func (api *API) schemaOf(t reflect.Type, dir direction) *Schema {
	return api.schema(t, dir, map[reflect.Type]bool{})
}

func (api *API) schema(t reflect.Type, dir direction, visiting map[reflect.Type]bool) *Schema {
	if s, ok := provided(t); ok {
		return s
	}
	switch {
	case t == timeType:
		return &Schema{Type: "string", Format: "date-time"}
	case t == rawMessageType:
		return &Schema{} // any JSON value
	case t == numberType:
		return &Schema{Type: "number"}
	case customJSON(t, dir):
		return &Schema{}
	case customText(t, dir):
		return &Schema{Type: "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &Schema{Type: "integer", Format: "int32"}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: "integer", Format: "int64"}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return &Schema{Type: "integer", Format: "int32", Minimum: new(float64)}
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &Schema{Type: "integer", Format: "int64", Minimum: new(float64)}
	case reflect.Float32:
		return &Schema{Type: "number", Format: "float"}
	case reflect.Float64:
		return &Schema{Type: "number", Format: "double"}
	case reflect.String:
		return &Schema{Type: "string"}
	case reflect.Interface:
		return &Schema{}
	case reflect.Pointer:
		return nullable(api.schema(t.Elem(), dir, visiting))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !customJSON(t.Elem(), dir) && !customText(t.Elem(), dir) {
			return &Schema{Type: "string", ContentEncoding: "base64", Nullable: true}
		}
		// A nil slice is null with encoding/json, [] with json v2: both
		// are allowed.
		return &Schema{Type: "array", Items: api.schema(t.Elem(), dir, visiting), Nullable: true}
	case reflect.Array:
		return &Schema{Type: "array", Items: api.schema(t.Elem(), dir, visiting)}
	case reflect.Map:
		if !mapKey(t.Key()) {
			panic("apidoc: " + t.String() + " cannot be described: JSON object keys come from strings, integers or MarshalText")
		}
		return &Schema{Type: "object", AdditionalProperties: api.schema(t.Elem(), dir, visiting), Nullable: true}
	case reflect.Struct:
		return api.structSchema(t, dir, visiting)
	}
	panic("apidoc: " + t.String() + " cannot be described: it has no JSON form")
}

// structSchema describes a struct. Named structs of results are shared, so
// that a type used twice is described once; so is any struct that contains
// itself, which could not be inlined.
func (api *API) structSchema(t reflect.Type, dir direction, visiting map[reflect.Type]bool) *Schema {
	shared := t.Name() != "" && (dir == output || visiting[t])
	if !shared {
		visiting[t] = true
		defer delete(visiting, t)
		return api.objectSchema(t, dir, visiting)
	}
	key := typeKey{t, dir}
	if name, ok := api.names[key]; ok {
		return &Schema{Ref: name}
	}
	name := api.uniqueName(typeName(t, dir))
	api.names[key] = name
	api.Schemas[name] = nil // reserved while the type is described: it may refer to itself
	api.Schemas[name] = api.objectSchema(t, dir, map[reflect.Type]bool{t: true})
	return &Schema{Ref: name}
}

type typeKey struct {
	t   reflect.Type
	dir direction
}

// typeName is the name of a shared schema: the Go type's, with its first
// letter upper-cased, and Input after it for parameters.
func typeName(t reflect.Type, dir direction) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i] // a generic type's arguments do not make a name
	}
	name = strings.ToUpper(name[:1]) + name[1:]
	if dir == input {
		name += "Input"
	}
	return name
}

func (api *API) objectSchema(t reflect.Type, dir direction, visiting map[reflect.Type]bool) *Schema {
	s := &Schema{Type: "object"}
	for _, f := range jsonFields(t) {
		fs := api.schema(f.typ, dir, visiting)
		if f.quoted && (fs.Type == "integer" || fs.Type == "number") {
			fs = &Schema{Type: "string", Nullable: fs.Nullable, Description: "a number in a string"}
		}
		if f.unknown {
			s.AdditionalProperties = fs.AdditionalProperties
			if s.AdditionalProperties == nil {
				s.AdditionalProperties = &Schema{}
			}
			continue
		}
		fs = withTags(fs, f)
		required := f.tag.Get("envelope") == "required"
		if dir == output {
			required = !f.omitEmpty && !f.omitZero
		}
		s.Properties = append(s.Properties, Property{Name: f.name, Required: required, Schema: fs})
	}
	return s
}

// withTags adds what the field's tags say: doc, example, default, enum and
// format. It panics on a value that is not of the field's type, so that
// the documentation never shows one the API would refuse.
func withTags(s *Schema, f jsonField) *Schema {
	doc, hasDoc := f.tag.Lookup("doc")
	example, hasExample := f.tag.Lookup("example")
	def, hasDefault := f.tag.Lookup("default")
	enum, hasEnum := f.tag.Lookup("enum")
	format, hasFormat := f.tag.Lookup("format")
	if !hasDoc && !hasExample && !hasDefault && !hasEnum && !hasFormat {
		return s
	}
	if s.Ref != "" {
		// The field's words go beside the reference, not into the shared
		// schema.
		if hasExample || hasDefault || hasEnum || hasFormat {
			panic("apidoc: field " + f.goName + ": only doc can describe a field whose type is a shared schema")
		}
		return &Schema{Ref: s.Ref, Nullable: s.Nullable, Description: doc}
	}
	c := *s
	c.Description = cmp.Or(doc, c.Description)
	if hasFormat {
		c.Format = format
	}
	// enum applies to the elements of an array, as a list of strings
	// allowed in a []string.
	target := &c
	if c.Type == "array" && hasEnum {
		items := *c.Items
		c.Items = &items
		target = &items
	}
	if hasEnum {
		for v := range strings.SplitSeq(enum, ",") {
			target.Enum = append(target.Enum, tagValue(f, target, "enum", strings.TrimSpace(v)))
		}
	}
	if hasExample {
		c.Examples = []any{tagValue(f, &c, "example", example)}
	}
	if hasDefault {
		c.Default = tagValue(f, &c, "default", def)
	}
	return &c
}

// tagValue reads a tag's value as a value of the schema s: strings as they
// are, anything else as JSON.
func tagValue(f jsonField, s *Schema, tag, text string) any {
	if s.Type == "string" && s.ContentEncoding == "" {
		return text
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		panic("apidoc: field " + f.goName + ": tag " + tag + ":" + strconv.Quote(text) + " is not JSON: " + err.Error())
	}
	ok := true
	switch s.Type {
	case "integer":
		n, isNum := v.(float64)
		ok = isNum && n == float64(int64(n))
	case "number":
		_, ok = v.(float64)
	case "boolean":
		_, ok = v.(bool)
	case "array":
		_, ok = v.([]any)
	case "object":
		_, ok = v.(map[string]any)
	}
	if !ok && !(v == nil && s.Nullable) {
		panic("apidoc: field " + f.goName + ": tag " + tag + ":" + strconv.Quote(text) + " is not a value of type " + s.Type)
	}
	return v
}

func nullable(s *Schema) *Schema {
	if s.Type == "" && s.Ref == "" {
		return s // any value already includes null
	}
	c := *s
	c.Nullable = true
	return &c
}

// provided returns the schema a type gives of itself.
func provided(t reflect.Type) (*Schema, bool) {
	var p SchemaProvider
	switch {
	case t.Implements(providerType):
		p = reflect.Zero(t).Interface().(SchemaProvider)
		if t.Kind() == reflect.Pointer {
			p = reflect.New(t.Elem()).Interface().(SchemaProvider)
		}
	case reflect.PointerTo(t).Implements(providerType):
		p = reflect.New(t).Interface().(SchemaProvider)
	default:
		return nil, false
	}
	s := p.JSONSchema()
	if s == nil {
		panic("apidoc: " + t.String() + ".JSONSchema returned nil")
	}
	return s, true
}

// customJSON reports whether t's JSON is its own: MarshalJSON for results,
// UnmarshalJSON for parameters, or json v2's MarshalJSONTo and
// UnmarshalJSONFrom, found by name so that no JSON package is imported for
// them.
func customJSON(t reflect.Type, dir direction) bool {
	iface, method := jsonMarshalerType, "MarshalJSONTo"
	if dir == input {
		iface, method = jsonUnmarshalerType, "UnmarshalJSONFrom"
	}
	return implements(t, iface) || hasMethod(t, method)
}

func customText(t reflect.Type, dir direction) bool {
	if dir == input {
		return implements(t, textUnmarshalerType)
	}
	return implements(t, textMarshalerType)
}

func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface)
}

func hasMethod(t reflect.Type, name string) bool {
	if _, ok := t.MethodByName(name); ok {
		return true
	}
	_, ok := reflect.PointerTo(t).MethodByName(name)
	return t.Kind() != reflect.Pointer && ok
}

func mapKey(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return implements(t, textMarshalerType)
}

// jsonField is a struct field as JSON sees it.
type jsonField struct {
	name, goName        string
	index               []int
	typ                 reflect.Type
	tag                 reflect.StructTag
	hasName             bool
	omitEmpty, omitZero bool
	quoted, unknown     bool
}

// jsonFields lists the fields of struct t that have a JSON form, by the
// rules of encoding/json v2 (which v1 shares for ordinary structs): the
// json tag's name, else the Go name; "-" skips a field; embedded structs
// without a name, and fields tagged inline, lend their fields; of fields
// with one name, the shallowest wins, then the one tagged with the name;
// a tie drops them all.
func jsonFields(t reflect.Type) []jsonField {
	type entry struct {
		t     reflect.Type
		index []int
	}
	var all []jsonField
	seen := map[reflect.Type]bool{t: true}
	queue := []entry{{t, nil}}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		for i := range e.t.NumField() {
			sf := e.t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" || !sf.IsExported() && !sf.Anonymous {
				continue
			}
			f := jsonField{goName: e.t.String() + "." + sf.Name, index: append(slices.Clone(e.index), i), typ: sf.Type, tag: sf.Tag}
			inline := parseJSONTag(&f, tag)
			if f.name == "" {
				f.name = sf.Name
			}
			ft := sf.Type
			if ft.Kind() == reflect.Pointer && ft.Name() == "" {
				ft = ft.Elem()
			}
			if (inline || sf.Anonymous && !f.hasName) && ft.Kind() == reflect.Struct {
				if !seen[ft] {
					seen[ft] = true
					queue = append(queue, entry{ft, f.index})
				}
				continue
			}
			if !sf.IsExported() {
				continue
			}
			all = append(all, f)
		}
	}
	// Keep the dominant field of each name, then restore the fields' order.
	slices.SortStableFunc(all, func(x, y jsonField) int {
		return cmp.Or(strings.Compare(x.name, y.name), cmp.Compare(len(x.index), len(y.index)), boolOrder(y.hasName, x.hasName))
	})
	var kept []jsonField
	for len(all) > 0 {
		n := 1
		for n < len(all) && all[n].name == all[0].name {
			n++
		}
		if n == 1 || len(all[0].index) != len(all[1].index) || all[0].hasName != all[1].hasName {
			kept = append(kept, all[0])
		}
		all = all[n:]
	}
	slices.SortFunc(kept, func(x, y jsonField) int { return slices.Compare(x.index, y.index) })
	return kept
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// parseJSONTag reads a json tag's name and options into f and reports
// whether it asks for the field to be inlined. A name may be single-quoted,
// as json v2 allows, to hold commas.
func parseJSONTag(f *jsonField, tag string) (inline bool) {
	name, opts := tag, ""
	if strings.HasPrefix(tag, "'") {
		end := strings.Index(tag[1:], "'")
		if end >= 0 {
			if s, err := strconv.Unquote(`"` + tag[1:end+1] + `"`); err == nil {
				name, opts = s, strings.TrimPrefix(tag[end+2:], ",")
			}
		}
	} else if i := strings.IndexByte(tag, ','); i >= 0 {
		name, opts = tag[:i], tag[i+1:]
	}
	f.name, f.hasName = name, name != ""
	for opt := range strings.SplitSeq(opts, ",") {
		switch opt {
		case "omitempty":
			f.omitEmpty = true
		case "omitzero":
			f.omitZero = true
		case "string":
			f.quoted = true
		case "inline":
			inline = true
		case "unknown":
			f.unknown = true
		}
	}
	return inline
}

// uniqueName returns name, or name with a number after it when API.Schemas
// already has a schema of that name.
func (api *API) uniqueName(name string) string {
	if _, taken := api.Schemas[name]; !taken {
		return name
	}
	for i := 2; ; i++ {
		n := name + strconv.Itoa(i)
		if _, taken := api.Schemas[n]; !taken {
			return n
		}
	}
}

// String returns the schema's type, shortly, for messages and tables:
// "string", "array of integer", "SendResult", "any".
func (s *Schema) String() string {
	var t string
	switch {
	case s.Ref != "":
		t = s.Ref
	case len(s.OneOf) > 0:
		t = "one of several"
	case s.Type == "array" && s.Items != nil:
		t = "array of " + s.Items.String()
	case s.Type == "object" && s.AdditionalProperties != nil && len(s.Properties) == 0:
		t = "object of " + s.AdditionalProperties.String()
	case s.Type == "":
		t = "any"
	default:
		t = s.Type
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}
