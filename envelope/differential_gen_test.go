package envelope_test

import (
	stdjson "encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// generator makes random struct types and random JSON objects for them:
// mostly values of the right kind, sometimes of the wrong one, with names
// unknown, in another case, given twice, or null.
type generator struct {
	r     *rand.Rand
	known map[string]bool // features to leave out, for an adapter
	n     int             // numbers field names apart
}

var fieldNames = []string{"a", "A", "to", "TO", "id", "name", "ü", "é\u00e9", "with space", "q\"uote"}

var leafTypes = []reflect.Type{
	reflect.TypeFor[int](), reflect.TypeFor[int8](), reflect.TypeFor[uint16](), reflect.TypeFor[float64](),
	reflect.TypeFor[string](), reflect.TypeFor[bool](), reflect.TypeFor[*int](), reflect.TypeFor[*string](),
	reflect.TypeFor[any](), reflect.TypeFor[Upper](), reflect.TypeFor[Label](), reflect.TypeFor[time.Time](),
	reflect.TypeFor[stdjson.Number](),
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) fieldType(depth int) reflect.Type {
	for {
		t := g.pickType(depth)
		switch {
		case g.known["times"] && t == reflect.TypeFor[time.Time]():
		case g.known["json.Number"] && t == reflect.TypeFor[stdjson.Number]():
		case g.known["arrays"] && t.Kind() == reflect.Array:
		default:
			return t
		}
	}
}

func (g *generator) pickType(depth int) reflect.Type {
	if depth >= 3 {
		return leafTypes[g.r.IntN(len(leafTypes))]
	}
	switch g.r.IntN(10) {
	case 0:
		return reflect.SliceOf(g.fieldType(depth + 1))
	case 1:
		return reflect.MapOf(reflect.TypeFor[string](), g.fieldType(depth+1))
	case 2:
		return g.structType(depth + 1)
	case 3:
		return reflect.ArrayOf(2, g.fieldType(depth+1))
	case 4:
		return reflect.PointerTo(g.structType(depth + 1))
	}
	return leafTypes[g.r.IntN(len(leafTypes))]
}

// structType makes a struct of one to six fields, with json tags or none,
// the tag options omitempty, omitzero, string and "-", and embedded structs.
func (g *generator) structType(depth int) reflect.Type {
	var fields []reflect.StructField
	used := map[string]bool{}
	for i := range 1 + g.r.IntN(6) {
		if !g.known["embedded name clashes"] && g.chance(0.1) && !used["Embedded"] {
			used["Embedded"] = true
			fields = append(fields, reflect.StructField{Name: "Embedded", Type: reflect.TypeFor[Embedded](), Anonymous: true})
			continue
		}
		if !g.known["embedded name clashes"] && g.chance(0.05) && !used["Tagged"] {
			used["Tagged"] = true
			fields = append(fields, reflect.StructField{Name: "Tagged", Type: reflect.TypeFor[Tagged](), Anonymous: true, Tag: `json:"tagged"`})
			continue
		}
		g.n++
		f := reflect.StructField{Name: "F" + strconv.Itoa(g.n) + "_" + strconv.Itoa(i), Type: g.fieldType(depth)}
		var tag []string
		if g.chance(0.8) {
			name := g.fieldName(used)
			if name == "" {
				continue
			}
			tag = append(tag, name)
		} else {
			tag = append(tag, "")
		}
		if !g.known["omitempty and omitzero"] {
			if g.chance(0.15) {
				tag = append(tag, "omitempty")
			}
			if g.chance(0.15) {
				tag = append(tag, "omitzero")
			}
		}
		if !g.known["string option"] && g.chance(0.1) {
			tag = append(tag, "string")
		}
		if g.chance(0.05) {
			tag = []string{"-"}
		}
		if tag[0] != "" || len(tag) > 1 {
			f.Tag = reflect.StructTag(`json:` + strconv.Quote(quoteName(strings.Join(tag, ","))))
		}
		fields = append(fields, f)
	}
	if len(fields) == 0 {
		fields = append(fields, reflect.StructField{Name: "Only", Type: reflect.TypeFor[int]()})
	}
	return reflect.StructOf(fields)
}

// fieldName picks a JSON name not used yet in the struct ("" when none is
// left): names in other cases only where the codec tells them apart.
func (g *generator) fieldName(used map[string]bool) string {
	for range 10 {
		name := fieldNames[g.r.IntN(len(fieldNames))]
		if g.known["custom names"] && strings.ContainsAny(name, " \"") {
			continue
		}
		folded := strings.ToLower(name)
		if used[name] || g.known["case-insensitive names"] && used[folded] {
			continue
		}
		used[name], used[folded] = true, true
		return name
	}
	return ""
}

// quoteName writes a name that is not a Go identifier in single quotes, as
// encoding/json v2 reads it.
func quoteName(tag string) string {
	name, rest, _ := strings.Cut(tag, ",")
	if strings.ContainsAny(name, " \"") {
		name = "'" + name + "'"
	}
	if rest == "" {
		return name
	}
	return name + "," + rest
}

// member is a name an object of a struct type may hold, with the type of
// its value.
type member struct {
	name string
	typ  reflect.Type
}

// members lists the names of t's fields as encoding/json v2 names them,
// embedded structs' included. Where the naming rules are subtle (clashes),
// the value generated may be of the wrong type: both sides then refuse it.
func members(t reflect.Type) []member {
	var out []member
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		name = strings.Trim(name, "'")
		if f.Anonymous && name == "" {
			out = append(out, members(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, member{name, f.Type})
	}
	return out
}

// object writes a random JSON object for the struct type t.
func (g *generator) object(t reflect.Type) []byte {
	var b []byte
	b = append(b, '{')
	first := true
	add := func(name string, value []byte) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b, _ = jsontext.AppendQuote(b, name)
		b = append(b, ':')
		b = append(b, value...)
	}
	for _, m := range members(t) {
		if g.chance(0.25) && !g.mustHave(m.typ) {
			continue
		}
		name := m.name
		if !g.known["case-insensitive names"] && g.chance(0.05) {
			name = strings.ToUpper(name)
		}
		add(name, g.value(m.typ, 0))
		if g.chance(0.03) {
			add(name, g.value(m.typ, 0)) // given twice
		}
	}
	if g.chance(0.1) {
		add("unknown", []byte(`1`))
	}
	return append(b, '}')
}

// mustHave reports whether a field must be in the object for an adapter:
// one that would stay a nil slice or map, which encoding/json v1 writes as null.
func (g *generator) mustHave(t reflect.Type) bool {
	return g.known["nil slices and maps"] && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map)
}

var sampleStrings = []string{`""`, `"x"`, `"é"`, `"\u00e9\n"`, `"\ud83d\ude00"`, `"<&>"`, `"12"`, `"label:a"`, `"2026-11-30T07:00:00Z"`, `"2026-11-30T07:00:00.123+01:00"`}

// value writes a random JSON value for t: of the right kind mostly.
func (g *generator) value(t reflect.Type, depth int) []byte {
	if g.chance(0.04) {
		return g.anyValue(depth + 1) // of the wrong kind, most likely
	}
	nullable := t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface ||
		(!g.known["nil slices and maps"] && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map))
	if g.chance(0.05) && (nullable || !g.known["null into values"]) {
		return []byte("null")
	}
	switch t {
	case reflect.TypeFor[time.Time]():
		return []byte(sampleStrings[8+g.r.IntN(2)])
	case reflect.TypeFor[stdjson.Number]():
		return []byte(`"` + strconv.Itoa(g.r.IntN(1000)) + `"`)
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Uint16:
		switch {
		case g.chance(0.05):
			return []byte("300") // out of range for an int8
		case !g.known["floats into integers"] && g.chance(0.05):
			return []byte("1.5")
		}
		return []byte(strconv.Itoa(g.r.IntN(100)))
	case reflect.Float64:
		return strconv.AppendFloat(nil, g.r.NormFloat64()*1e3, 'g', -1, 64)
	case reflect.String:
		return []byte(sampleStrings[g.r.IntN(len(sampleStrings))])
	case reflect.Bool:
		return []byte(strconv.FormatBool(g.chance(0.5)))
	case reflect.Pointer:
		return g.value(t.Elem(), depth)
	case reflect.Interface:
		return g.anyValue(depth + 1)
	case reflect.Slice, reflect.Array:
		n := g.r.IntN(3)
		if t.Kind() == reflect.Array && g.chance(0.8) {
			n = t.Len()
		}
		b := []byte{'['}
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, g.value(t.Elem(), depth+1)...)
		}
		return append(b, ']')
	case reflect.Map:
		b := []byte{'{'}
		for i := range g.r.IntN(3) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"', byte('a'+i), '"', ':')
			b = append(b, g.value(t.Elem(), depth+1)...)
		}
		return append(b, '}')
	case reflect.Struct:
		return g.object(t)
	}
	return []byte("null")
}

// anyValue writes a random JSON value of any kind.
func (g *generator) anyValue(depth int) []byte {
	switch n := g.r.IntN(7); {
	case n == 0 || depth > 3:
		return []byte(strconv.Itoa(g.r.IntN(10)))
	case n == 1:
		return []byte(sampleStrings[g.r.IntN(len(sampleStrings))])
	case n == 2:
		return []byte("true")
	case n == 3:
		return []byte("null")
	case n == 4:
		return []byte("[" + string(g.anyValue(depth+1)) + "]")
	case n == 5:
		return []byte(`{"k":` + string(g.anyValue(depth+1)) + "}")
	}
	return []byte("-0.5e2")
}
