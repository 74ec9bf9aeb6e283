package jsondepth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
)

// depthOf is the reference: the deepest nesting jsontext reads in data.
func depthOf(data []byte) int {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	deepest := 0
	for {
		if _, err := dec.ReadToken(); err != nil {
			return deepest
		}
		deepest = max(deepest, dec.StackDepth())
	}
}

func TestExceeds(t *testing.T) {
	cases := []struct {
		json string
		max  int
		want bool
	}{
		{`{}`, 1, false},
		{`{}`, 0, true},
		{`{"a":[]}`, 1, true},
		{`{"a":[]}`, 2, false},
		{`{"a":"[[[[{{{{"}`, 1, false},
		{`{"a\"[":"\\"}`, 1, false},
		{`{"a":"\\\"[[["}`, 1, false},
		{`[[],[],[[]]]`, 2, true},
		{`[[],[],[[]]]`, 3, false},
		{`{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, 40, true},
		{`{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, 41, false},
		{`"unterminated [[[`, 0, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Exceeds([]byte(c.json), c.max), "%s deeper than %d", c.json, c.max)
	}
}

// FuzzExceedsAgreesWithJSONText checks Exceeds against jsontext's own
// count on every valid JSON text.
func FuzzExceedsAgreesWithJSONText(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":"]}"}]}`, `[[["\\"]]]`, `{"\"":{"\\\\":[]}}`, `"x"`, `[1,2,[3,[4]]]`} {
		f.Add([]byte(s), 2)
	}
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if !jsontext.Value(data).IsValid(jsontext.AllowDuplicateNames(true)) {
			Exceeds(data, max) // must not panic
			return
		}
		if got, want := Exceeds(data, max), depthOf(data) > max; got != want {
			t.Fatalf("Exceeds(%q, %d) = %v, jsontext reads depth %d", data, max, got, depthOf(data))
		}
	})
}

// BenchmarkExceeds reads 4 KB of parameters shaped as an API's usually are:
// a list of small objects with short names and values.
func BenchmarkExceeds(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"items":[`)
	for i := range 40 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"id":12345,"name":"Ann Example","email":"ann@example.com","tags":["a","b"],"ok":true}`)
	}
	body.WriteString(`]}`)
	data := []byte(body.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if Exceeds(data, 32) {
			b.Fatal("not that deep")
		}
	}
}
