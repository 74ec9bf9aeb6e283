package apidoc

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func str() *Schema { return &Schema{Type: "string"} }
func i64() *Schema { return &Schema{Type: "integer", Format: "int64"} }

// names returns an object schema's property names, with a * after those
// required.
func names(s *Schema) []string {
	var out []string
	for _, p := range s.Properties {
		n := p.Name
		if p.Required {
			n += "*"
		}
		out = append(out, n)
	}
	return out
}

func prop(t *testing.T, s *Schema, name string) *Schema {
	t.Helper()
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	t.Fatalf("no property %q in %v", name, names(s))
	return nil
}

type Base struct {
	ID      int    `json:"id"`
	Created string `json:"created"`
}

type named struct {
	Base
	*Extra
	Other   Base `json:"other"`
	Name    string
	Tagged  string `json:"tagged,omitempty"`
	Zero    int    `json:"zero,omitzero"`
	Skipped string `json:"-"`
	Dash    string `json:"-,"`
	Quoted  int64  `json:"quoted,string"`
	Single  string `json:"'a,b'"`
	hidden  string
}

type Extra struct {
	Note string `json:"note"`
	ID   string `json:"id"` // deeper than Base.ID? no, as deep: a tie drops both
}

func TestJSONFieldNames(t *testing.T) {
	var api API
	api.Schemas, api.names = map[string]*Schema{}, map[typeKey]string{}
	s := api.objectSchema(reflect.TypeFor[named](), output, map[reflect.Type]bool{})
	assert.Equal(t, []string{"created*", "note*", "other*", "Name*", "tagged", "zero", "-*", "quoted*", "a,b*"}, names(s),
		"embedded structs lend their fields; a tie at one depth drops both; omitempty and omitzero make a result's member optional")
	assert.Equal(t, &Schema{Type: "string", Description: "a number in a string"}, prop(t, s, "quoted"))
	assert.Equal(t, &Schema{Ref: "Base"}, prop(t, s, "other"))
	assert.Equal(t, []string{"id*", "created*"}, names(api.Schemas["Base"]))
	_ = named{hidden: ""}
}

type dominant struct {
	Base
	ID    string `json:"id"` // shallower than Base.ID: wins
	Inner struct {
		X int `json:"x"`
	} `json:"inner"`
	Embedded `json:"embedded"` // named: not inlined
}

type Embedded struct {
	Y int `json:"y"`
}

type tagged struct {
	Embedded2
	Embedded3
}

type Embedded2 struct {
	A string // and Embedded3.A, at one depth, neither tagged: both dropped
	B string `json:"b"`
	C string
}

type Embedded3 struct {
	A string
	C int `json:"C"` // tagged: wins over Embedded2.C at the same depth
}

func TestJSONFieldDominance(t *testing.T) {
	api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
	s := api.objectSchema(reflect.TypeFor[dominant](), input, map[reflect.Type]bool{})
	assert.Equal(t, []string{"created", "id", "inner", "embedded"}, names(s))
	assert.Equal(t, str(), prop(t, s, "id"))
	assert.Equal(t, []string{"x"}, names(prop(t, s, "inner")), "an anonymous struct is inlined")
	assert.Equal(t, []string{"y"}, names(prop(t, s, "embedded")), "parameters inline named structs")

	s = api.objectSchema(reflect.TypeFor[tagged](), input, map[reflect.Type]bool{})
	assert.Equal(t, []string{"b", "C"}, names(s))
	assert.Equal(t, i64(), prop(t, s, "C"))
}

type leaf struct {
	Value string `json:"value"`
}

type kinds struct {
	B    bool              `json:"b"`
	I8   int8              `json:"i8"`
	U    uint              `json:"u"`
	F32  float32           `json:"f32"`
	F    float64           `json:"f"`
	S    string            `json:"s"`
	P    *int              `json:"p"`
	Sl   []string          `json:"sl"`
	Ar   [2]int            `json:"ar"`
	M    map[string]int    `json:"m"`
	MI   map[int]bool      `json:"mi"`
	By   []byte            `json:"by"`
	T    time.Time         `json:"t"`
	Raw  json.RawMessage   `json:"raw"`
	Num  json.Number       `json:"num"`
	Any  any               `json:"any"`
	Addr netip.Addr        `json:"addr"` // MarshalText: a string
	Own  ownJSON           `json:"own"`  // MarshalJSON: any value
	Prov provider          `json:"prov"`
	PP   ptrProvider       `json:"pp"`
	Leaf *leaf             `json:"leaf"`
	Map  map[string]*leaf  `json:"map"`
	Rest map[string]string `json:",unknown"`
}

type ownJSON struct{ v int }

func (o ownJSON) MarshalJSON() ([]byte, error) { return json.Marshal(o.v) }

type provider int

func (provider) JSONSchema() *Schema { return &Schema{Type: "string", Enum: []any{"a", "b"}} }

type ptrProvider struct{}

func (*ptrProvider) JSONSchema() *Schema { return &Schema{Type: "boolean"} }

func TestSchemaOfKinds(t *testing.T) {
	api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
	s := api.schemaOf(reflect.TypeFor[kinds](), output)
	require.Equal(t, &Schema{Ref: "Kinds"}, s)
	k := api.Schemas["Kinds"]
	zero := 0.0
	want := map[string]*Schema{
		"b":    {Type: "boolean"},
		"i8":   {Type: "integer", Format: "int32"},
		"u":    {Type: "integer", Format: "int64", Minimum: &zero},
		"f32":  {Type: "number", Format: "float"},
		"f":    {Type: "number", Format: "double"},
		"s":    str(),
		"p":    {Type: "integer", Format: "int64", Nullable: true},
		"sl":   {Type: "array", Items: str(), Nullable: true},
		"ar":   {Type: "array", Items: i64()},
		"m":    {Type: "object", AdditionalProperties: i64(), Nullable: true},
		"mi":   {Type: "object", AdditionalProperties: &Schema{Type: "boolean"}, Nullable: true},
		"by":   {Type: "string", ContentEncoding: "base64", Nullable: true},
		"t":    {Type: "string", Format: "date-time"},
		"raw":  {},
		"num":  {Type: "number"},
		"any":  {},
		"addr": str(),
		"own":  {},
		"prov": {Type: "string", Enum: []any{"a", "b"}},
		"pp":   {Type: "boolean"},
		"leaf": {Ref: "Leaf", Nullable: true},
		"map":  {Type: "object", AdditionalProperties: &Schema{Ref: "Leaf", Nullable: true}, Nullable: true},
	}
	for name, w := range want {
		assert.Equal(t, w, prop(t, k, name), name)
	}
	assert.Equal(t, str(), k.AdditionalProperties, "an unknown field holds the other members")
	assert.NotContains(t, names(k), "Rest")
	assert.Equal(t, "array of string or null", prop(t, k, "sl").String())
	assert.Equal(t, "Leaf or null", prop(t, k, "leaf").String())
}

type node struct {
	Name     string  `json:"name"`
	Children []*node `json:"children"`
}

func TestRecursiveTypesAreShared(t *testing.T) {
	api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
	in := api.schemaOf(reflect.TypeFor[node](), input)
	assert.Equal(t, "object", in.Type, "the outer parameters are inlined")
	children := prop(t, in, "children")
	assert.Equal(t, &Schema{Ref: "NodeInput", Nullable: true}, children.Items)
	assert.Equal(t, []string{"name", "children"}, names(api.Schemas["NodeInput"]))

	out := api.schemaOf(reflect.TypeFor[node](), output)
	assert.Equal(t, &Schema{Ref: "Node"}, out)
	assert.Equal(t, &Schema{Ref: "Node", Nullable: true}, prop(t, api.Schemas["Node"], "children").Items)
	assert.Equal(t, &Schema{Ref: "Node"}, api.schemaOf(reflect.TypeFor[node](), output), "described once")
}

type documented struct {
	To    []string `json:"to" envelope:"required" doc:"Recipients" example:"[\"a@example.com\"]" enum:"a@example.com,b@example.com"`
	Kind  string   `json:"kind" doc:"What to send" enum:"plain, html" default:"plain" example:"html"`
	Page  int      `json:"page" default:"1" format:"int32"`
	Ratio *float64 `json:"ratio" default:"null"`
	Flag  bool     `json:"flag" default:"true"`
	Leaf  leaf     `json:"leaf" doc:"A leaf"`
}

func TestTags(t *testing.T) {
	api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
	s := api.schemaOf(reflect.TypeFor[documented](), input)
	assert.Equal(t, []string{"to*", "kind", "page", "ratio", "flag", "leaf"}, names(s))
	assert.Equal(t, &Schema{Type: "array", Nullable: true, Description: "Recipients", Examples: []any{[]any{"a@example.com"}},
		Items: &Schema{Type: "string", Enum: []any{"a@example.com", "b@example.com"}}}, prop(t, s, "to"))
	assert.Equal(t, &Schema{Type: "string", Description: "What to send", Enum: []any{"plain", "html"}, Default: "plain", Examples: []any{"html"}}, prop(t, s, "kind"))
	assert.Equal(t, &Schema{Type: "integer", Format: "int32", Default: 1.0}, prop(t, s, "page"))
	assert.Nil(t, prop(t, s, "ratio").Default)
	assert.Equal(t, true, prop(t, s, "flag").Default)
	assert.Equal(t, "A leaf", prop(t, s, "leaf").Description)

	out := api.schemaOf(reflect.TypeFor[documented](), output)
	assert.Equal(t, &Schema{Ref: "Leaf", Description: "A leaf"}, prop(t, api.Schemas[out.Ref], "leaf"), "a doc beside a shared schema")
}

func TestBadDescriptionsPanic(t *testing.T) {
	tests := []struct {
		name string
		t    reflect.Type
		want string
	}{
		{"default of the wrong type", reflect.TypeFor[struct {
			N int `json:"n" default:"x"`
		}](), `tag default:"x" is not JSON`},
		{"integer example with a fraction", reflect.TypeFor[struct {
			N int `json:"n" example:"1.5"`
		}](), "is not a value of type integer"},
		{"boolean enum", reflect.TypeFor[struct {
			B bool `json:"b" enum:"yes,no"`
		}](), "is not JSON"},
		{"channel", reflect.TypeFor[struct {
			C chan int `json:"c"`
		}](), "has no JSON form"},
		{"map of structs as keys", reflect.TypeFor[map[leaf]int](), "JSON object keys"},
		{"example beside a shared schema", reflect.TypeFor[struct {
			L leaf `json:"l" example:"{}"`
		}](), "only doc can describe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
			defer func() {
				v := recover()
				require.NotNil(t, v, "no panic")
				assert.Contains(t, v, tt.want)
			}()
			api.schemaOf(tt.t, output)
		})
	}
}

type Leaf struct{} // clashes with leaf's shared name

func TestSharedNamesAreUnique(t *testing.T) {
	api := API{Schemas: map[string]*Schema{}, names: map[typeKey]string{}}
	assert.Equal(t, &Schema{Ref: "Leaf"}, api.schemaOf(reflect.TypeFor[leaf](), output))
	assert.Equal(t, &Schema{Ref: "Leaf2"}, api.schemaOf(reflect.TypeFor[Leaf](), output))
}
