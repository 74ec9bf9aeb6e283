package docsite

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/apienvelope/apienvelope/apidoc"
)

// orderedObject is a JSON object whose members keep their order: the
// envelope's keys, a schema's properties.
type orderedObject []member

type member struct {
	name  string
	value any
}

// MarshalJSONTo writes the members in order.
func (o orderedObject) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, m := range o {
		if err := enc.WriteToken(jsontext.String(m.name)); err != nil {
			return err
		}
		if err := json.MarshalEncode(enc, m.value, json.Deterministic(true)); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

// envelopeJSON is an example envelope of status with data, indented.
func envelopeJSON(status string, data any) string {
	return indentJSON(orderedObject{
		{"status", status},
		{"time", 0.004},
		{"flags", orderedObject{}},
		{"data", data},
	})
}

// indentJSON encodes an example with two-space indentation. Examples come
// from the description, whose values are JSON already: one that cannot be
// encoded shows as null.
func indentJSON(v any) string {
	b, err := json.Marshal(v, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return "null"
	}
	return string(b)
}

func compactJSON(v any) string {
	b, err := json.Marshal(v, json.Deterministic(true))
	if err != nil {
		return "null"
	}
	return string(b)
}

// example makes a value that fits sc: its first example, else its default,
// else its first enum value, else a value of its type. Shared schemas that
// contain themselves stop at the second level.
func (s *siteView) example(sc *apidoc.Schema, depth int, visiting map[string]bool) any {
	if sc == nil || depth > 8 {
		return nil
	}
	if sc.Ref != "" {
		if visiting[sc.Ref] {
			return nil
		}
		if visiting == nil {
			visiting = map[string]bool{}
		}
		visiting[sc.Ref] = true
		defer delete(visiting, sc.Ref)
		return s.example(s.schemas[sc.Ref], depth, visiting)
	}
	switch {
	case len(sc.Examples) > 0:
		return sc.Examples[0]
	case sc.Default != nil:
		return sc.Default
	case len(sc.Enum) > 0:
		return sc.Enum[0]
	case len(sc.OneOf) > 0:
		return s.example(sc.OneOf[0], depth+1, visiting)
	}
	switch sc.Type {
	case "string":
		switch {
		case sc.ContentEncoding == "base64":
			return "SGVsbG8="
		case sc.Format == "date-time":
			return "2026-01-02T15:04:05Z"
		}
		return "string"
	case "integer":
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "array":
		return []any{s.example(sc.Items, depth+1, visiting)}
	case "object":
		obj := orderedObject{}
		for _, p := range sc.Properties {
			obj = append(obj, member{p.Name, s.example(p.Schema, depth+1, visiting)})
		}
		if len(sc.Properties) == 0 && sc.AdditionalProperties != nil {
			obj = append(obj, member{"key", s.example(sc.AdditionalProperties, depth+1, visiting)})
		}
		return obj
	}
	return nil
}

// paramsExample is the JSON object a call sends: the required parameters
// and those with an example; all of them when none is either. Short
// objects stay on one line.
func (s *siteView) paramsExample(sc *apidoc.Schema) string {
	sc = s.resolve(sc)
	if sc == nil || len(sc.Properties) == 0 {
		return "{}"
	}
	var obj orderedObject
	for _, p := range sc.Properties {
		if p.Required || len(p.Schema.Examples) > 0 {
			obj = append(obj, member{p.Name, s.example(p.Schema, 1, nil)})
		}
	}
	if obj == nil {
		for _, p := range sc.Properties {
			obj = append(obj, member{p.Name, s.example(p.Schema, 1, nil)})
		}
	}
	if c := compactJSON(obj); len(c) <= 60 {
		return c
	}
	return indentJSON(obj)
}
