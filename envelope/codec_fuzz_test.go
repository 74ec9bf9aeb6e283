package envelope

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzCodecsAgreeOnNumbers checks what decodeParams relies on: whatever
// JSON value the json-iterator codec decodes into a number field without
// an error, encoding/json decodes too, to the same value. Where the codec
// fails, encoding/json decides, so failing more often is allowed.
func FuzzCodecsAgreeOnNumbers(f *testing.F) {
	for _, s := range []string{"0", "-0", "1", "-1", "127", "128", "-129", "255", "256", "65536", "2147483648",
		"9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "20700000000000000000", "92233720368547758070", "1e3", "1.0", "1.5", "-1e400",
		"1e-400", "0.1", "3.4028235e38", "3.5e38", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890",
		"null", `"7"`, "true", "[1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := []byte(`{"v":` + s + `}`)
		if checkParams(doc, 1000) != nil {
			return // the scanner refuses it before any codec sees it
		}
		agreeOnDecode(t, doc, new(struct{ V int }), new(struct{ V int }))
		agreeOnDecode(t, doc, new(struct{ V int8 }), new(struct{ V int8 }))
		agreeOnDecode(t, doc, new(struct{ V int16 }), new(struct{ V int16 }))
		agreeOnDecode(t, doc, new(struct{ V int32 }), new(struct{ V int32 }))
		agreeOnDecode(t, doc, new(struct{ V int64 }), new(struct{ V int64 }))
		agreeOnDecode(t, doc, new(struct{ V uint }), new(struct{ V uint }))
		agreeOnDecode(t, doc, new(struct{ V uint8 }), new(struct{ V uint8 }))
		agreeOnDecode(t, doc, new(struct{ V uint16 }), new(struct{ V uint16 }))
		agreeOnDecode(t, doc, new(struct{ V uint32 }), new(struct{ V uint32 }))
		agreeOnDecode(t, doc, new(struct{ V uint64 }), new(struct{ V uint64 }))
		agreeOnDecode(t, doc, new(struct{ V float32 }), new(struct{ V float32 }))
		agreeOnDecode(t, doc, new(struct{ V float64 }), new(struct{ V float64 }))
		agreeOnDecode(t, doc, new(struct{ V *int }), new(struct{ V *int }))
		agreeOnDecode(t, doc, new(struct{ V []int16 }), new(struct{ V []int16 }))
		agreeOnDecode(t, doc, new(struct{ V any }), new(struct{ V any }))
		agreeOnDecode(t, doc, new(struct{ V json.Number }), new(struct{ V json.Number }))
		agreeOnDecode(t, doc, new(map[string]uint8), new(map[string]uint8))
	})
}

func agreeOnDecode[T any](t *testing.T, doc []byte, got, want *T) {
	t.Helper()
	if err := JSONIterCodec.Unmarshal(doc, got); err != nil {
		return
	}
	require.NoError(t, json.Unmarshal(doc, want), "json-iterator decoded %s into %T as %+v; encoding/json refuses it", doc, got, *got)
	require.Equal(t, *want, *got, "%s into %T", doc, got)
}
