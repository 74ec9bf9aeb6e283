package envelope

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fastCheckSeeds = []string{
	`{}`, ` {"a":1} `, `{"a":1,"a":2}`, `{"a":1,"b":{"a":2}}`, `{"a":"\u0061"}`, `{"\u0061":1,"a":2}`,
	`{"a\n":1,"a\n":2}`, `{"a":[1,2,{"b":null}],"c":[]}`, `{"x":-0.5e+3,"y":0,"z":1E9}`, `{"a":"\ud800"}`,
	`{"a":tru}`, `{"é":"ü€𝄞"}`, "{\"a\":\"\xff\"}", "{\"a\":\"\x01\"}", `{"a":01}`, `{"a":-}`, `{"a":1.}`,
	`{"a":1e}`, `[1]`, `{"a":1}x`, `{"a":1,}`, `{"a" 1}`, `{"a":[1,]}`, `{"a":"\q"}`, `{"a":"x`, `{`,
	`{"a":true,"b":false,"c":null}`, `{"a":"\"\\\/\b\f\n\r\t"}`,
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
