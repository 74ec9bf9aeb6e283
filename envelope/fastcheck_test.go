package envelope

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fastCheckSeeds = []string{
	`{}`, ` {"a":1} `, `{"a":1,"a":2}`, `{"a":1,"b":{"a":2}}`, `{"a":"\u0061"}`, `{"\u0061":1,"a":2}`,
	`{"a\n":1,"a\n":2}`, `{"a":[1,2,{"b":null}],"c":[]}`, `{"x":-0.5e+3,"y":0,"z":1E9}`, `{"a":"\ud800"}`,
	`{"a":tru}`, `{"é":"ü€𝄞"}`, "{\"a\":\"\xff\"}", "{\"a\":\"\x01\"}", `{"a":01}`, `{"a":-}`, `{"a":1.}`,
	`{"a":1e}`, `[1]`, `{"a":1}x`, `{"a":1,}`, `{"a" 1}`, `{"a":[1,]}`, `{"a":"\q"}`, `{"a":"x`, `{`,
	`{"a":true,"b":false,"c":null}`, `"x"`, `[]`, `[{}]`, `[1,[2,[3]]]`, `{"a":[}`, `{"a":{]}`, `[1}`, `{"a":1]`,
	`{"long string with many plain bytes, and then a quote \" and é":"0123456789abcdef0123456789\u0041"}`, `{"a":"\"\\\/\b\f\n\r\t"}`,
	`{"k1":1,"k2":1,"k3":1,"k4":1,"k5":1,"k6":1,"k7":1,"k8":1,"k9":1,"k10":1,"k11":1,"k12":1,"k13":1,"k14":1,"k15":1,"k16":1,"k17":1}`,
	strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40),
	strings.Repeat(`{"a":[`, 10) + `1` + strings.Repeat(`]}`, 10),
}

// fastCheck must never accept what checkParams refuses: it only spares
// checkParams the inputs it would accept.
func FuzzFastCheckAcceptsOnlyWhatCheckParamsAccepts(f *testing.F) {
	for _, s := range fastCheckSeeds {
		f.Add([]byte(s), uint8(32))
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, depth uint8) {
		d := int(depth%40) + 1
		if fastCheck(data, d) {
			require.Nil(t, checkParams(data, d), "fastCheck accepted %q at depth %d", data, d)
		}
	})
}

func TestFastCheck(t *testing.T) {
	for _, s := range fastCheckSeeds {
		if fastCheck([]byte(s), 32) {
			assert.Nil(t, checkParams([]byte(s), 32), "%q", s)
		}
	}
	// It does spare checkParams the usual parameters.
	for _, s := range []string{
		`{}`, ` {"to":["a@example.com"],"n":-1.5e3,"ok":true,"none":null,"nested":{"list":[{"x":"é\n"}]}} `,
	} {
		assert.True(t, fastCheck([]byte(s), 32), "%q", s)
	}
	// And gives up where checkParams has something to say.
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `{"a":1}x`, `[1]`} {
		assert.False(t, fastCheck([]byte(s), 32), "%q", s)
	}
	assert.False(t, fastCheck([]byte(`{"a":{"b":{}}}`), 2))
	assert.True(t, fastCheck([]byte(`{"a":{"b":{}}}`), 3))
}

// fastValid must never accept what encoding/json refuses.
func FuzzFastValidAcceptsOnlyValidJSON(f *testing.F) {
	for _, s := range fastCheckSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if fastValid(data) {
			require.True(t, utf8.Valid(data) && json.Valid(data), "fastValid accepted %q", data)
		}
	})
}

func TestFastValid(t *testing.T) {
	for _, s := range []string{`"x"`, ` [1, {"a":"é"}, null] `, `{"a":1,"a":2}`, `0`, `-1.5e+3`, strings.Repeat(`[`, 64) + strings.Repeat(`]`, 64)} {
		assert.True(t, fastValid([]byte(s)), "%q", s)
	}
	for _, s := range []string{``, ` `, `[1,]`, `{"a"}`, `"\ud800"`, "\"\xff\"", `[1]]`, `{}{}`, strings.Repeat(`[`, 65) + strings.Repeat(`]`, 65)} {
		assert.False(t, fastValid([]byte(s)), "%q", s)
	}
}

func BenchmarkFastCheck(b *testing.B) {
	medium, err := os.ReadFile("testdata/params-4k.json")
	require.NoError(b, err)
	for name, data := range map[string][]byte{
		"small":  []byte(`{"to":["alice@example.com","bob@example.com"],"from":"Sender <sender@example.com>","reply_to":"replies@example.com","subject":"Your order has shipped","tag":"shipping","priority":3,"track":true}`),
		"medium": medium,
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if !fastCheck(data, 32) {
					b.Fatal("refused")
				}
			}
		})
	}
}

// stringSpecial's lowest marked byte must be the first byte that ends a
// string's plain run, wherever it sits and whatever the bytes around it.
func TestStringSpecial(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }
	for _, fill := range []byte{'a', ' ', '!', '#', '[', ']', '~', 0x7f} {
		for pos := range 8 {
			for c := range 256 {
				var w [8]byte
				for k := range w {
					w[k] = fill
				}
				w[pos] = byte(c)
				want := 8
				for k, b := range w {
					if special(b) {
						want = k
						break
					}
				}
				m := stringSpecial(binary.LittleEndian.Uint64(w[:]))
				got := 8
				if m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				require.Equal(t, want, got, "%q", w)
			}
		}
	}
}
