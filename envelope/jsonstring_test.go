package envelope

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appendString must write what encoding/json writes with any byte, or any
// rune that it treats apart, at any place of a string: before, inside and
// after the words it reads eight bytes at a time.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	var specials []string
	for c := range 256 {
		specials = append(specials, string([]byte{byte(c)}))
	}
	specials = append(specials, "é", "\u2028", "\u2029", "\U0001F600", "\xe2\x80", "\xed\xa0\x80")
	for n := range 20 {
		for pos := 0; pos <= n; pos++ {
			for _, sp := range specials {
				s := strings.Repeat("abcdefghij", 2)[:pos] + sp + strings.Repeat("klmnopqrst", 2)[:n-pos]
				want, err := json.Marshal(s)
				require.NoError(t, err)
				if got := appendString(nil, s); string(got) != string(want) {
					assert.Equal(t, string(want), string(got), "%q", s)
					return
				}
			}
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	words := []string{
		"id", "queued", "Grace Hopper", "Kq8vZ2mXr4TpLw9N", "2026-11-27T08:20:00.123456Z",
		"alice.liddell@example.com", "f0c3a9e2-7b51-4d8e-9a40-3c1f2b6d8e77@shop.example.net",
		"a longer sentence, as descriptions often are, with an <em>escape</em> or two",
	}
	buf := make([]byte, 0, 1024)
	for b.Loop() {
		buf = buf[:0]
		for _, s := range words {
			buf = appendString(buf, s)
		}
	}
}
