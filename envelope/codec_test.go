package envelope

import (
	"encoding/json"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type marshalerValue struct{}

func (marshalerValue) MarshalJSON() ([]byte, error) { return []byte(`{"custom": true}`), nil }

type textValue struct{ s string }

func (t textValue) MarshalText() ([]byte, error) { return []byte("text:" + t.s), nil }

type codecSample struct {
	Name      string            `json:"name"`
	Omitted   string            `json:"omitted,omitempty"`
	Count     int64             `json:"count,string"`
	Ratio     float32           `json:"ratio"`
	Ptr       *int              `json:"ptr"`
	Bytes     []byte            `json:"bytes"`
	NilSlice  []string          `json:"nil_slice"`
	NilMap    map[string]int    `json:"nil_map"`
	Map       map[string]any    `json:"map"`
	IntKeys   map[int]string    `json:"int_keys"`
	TextKeys  map[textValue]int `json:"text_keys"`
	Time      time.Time         `json:"time"`
	Raw       json.RawMessage   `json:"raw"`
	Marshaler marshalerValue    `json:"marshaler"`
	Text      textValue         `json:"text"`
	Any       any               `json:"any"`
	embedded
}

type embedded struct {
	Inner string `json:"inner"`
}

// codecCorpus holds the values where JSON encoders usually differ: floats at
// the edges of their formats, HTML and line separators, invalid UTF-8, map
// key order, raw and custom marshalers.
var codecCorpus = []any{
	nil, true, 0, -1, math.MaxInt64, uint64(math.MaxUint64),
	0.0, -0.0, 1.0, 0.1, 1e-6, 1e-7, 123456789.0, 1e20, 1e21, 1.5e300, math.SmallestNonzeroFloat64, math.MaxFloat64,
	float32(0.1), float32(1e-7), float32(3.4e38),
	"", "plain", "<script>&'\"</script>", "line\u2028sep\u2029", "tab\tnl\n\x00\x1f", "bad \xff\xfe utf8", "emoji 🎉", "\\/",
	[]int{}, []any{1, "a", nil}, map[string]any{"b": 1, "a": 2, "ä": 3, "A": 4},
	codecSample{
		Name: "n", Count: 42, Ratio: 0.3, Bytes: []byte{0, 1, 2, 255},
		Map:      map[string]any{"z": []any{1.5, "x"}, "a": map[string]any{}},
		IntKeys:  map[int]string{10: "ten", 2: "two", -1: "minus"},
		TextKeys: map[textValue]int{{"b"}: 1, {"a"}: 2},
		Time:     time.Date(2026, 11, 27, 7, 20, 0, 123456789, time.FixedZone("X", 3600)),
		Raw:      json.RawMessage(` { "spaced" : [1, 2] } `),
		Any:      map[string]any{"html": "<b>"},
		embedded: embedded{Inner: "in"},
	},
	&codecSample{},
}

func TestCodecsProduceTheSameBytes(t *testing.T) {
	for _, v := range codecCorpus {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		for name, c := range map[string]Codec{"std": StdCodec, "jsoniter": JSONIterCodec} {
			got, err := c.AppendJSON([]byte("prefix"), v)
			require.NoError(t, err, "%s %#v", name, v)
			assert.Equal(t, "prefix"+string(want), string(got), "%s encodes %#v", name, v)
		}
	}
}

func TestCodecsRejectTheSameValues(t *testing.T) {
	type withChan struct {
		C chan int `json:"c"`
	}
	type withNaN struct {
		A string  `json:"a"`
		F float64 `json:"f"`
	}
	for _, v := range []any{
		math.NaN(), math.Inf(1), make(chan int), func() {}, map[string]any{"c": complex(1, 2)},
		withChan{make(chan int)}, &withNaN{"a", math.NaN()}, []withNaN{{F: math.Inf(-1)}},
	} {
		_, stdErr := json.Marshal(v)
		require.Error(t, stdErr)
		for name, c := range map[string]Codec{"std": StdCodec, "jsoniter": JSONIterCodec} {
			got, err := c.AppendJSON([]byte("keep"), v)
			assert.Error(t, err, "%s must reject %#v", name, v)
			assert.Equal(t, "keep", string(got), "%s must leave dst as it was", name)
		}
	}
}

func TestCodecsDecodeAlike(t *testing.T) {
	data := []byte(`{"name":"n","count":"7","ratio":0.5,"ptr":3,"bytes":"AAEC","map":{"a":[1,"x",null]},"inner":"i","NAME":"case"}`)
	for name, c := range map[string]Codec{"std": StdCodec, "jsoniter": JSONIterCodec} {
		var got codecSample
		require.NoError(t, c.Unmarshal(data, &got), name)
		var want codecSample
		require.NoError(t, json.Unmarshal(data, &want))
		assert.Equal(t, want, got, name)
	}
}

func FuzzCodecsAgreeOnStrings(f *testing.F) {
	for _, s := range []string{"", "a<b>&", "\u2028", "\xff", "\"\\", "\x7f", "\U0001F600"} {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		v := map[string]any{s: []any{s, x}}
		want, wantErr := json.Marshal(v)
		got, err := JSONIterCodec.AppendJSON(nil, v)
		if wantErr != nil {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	})
}

// zeroAtSeven is zero, for omitzero, when its IsZero method says so.
type zeroAtSeven struct{ N int }

func (z zeroAtSeven) IsZero() bool { return z.N == 7 }

type ptrZeroAtSeven struct{ N int }

func (z *ptrZeroAtSeven) IsZero() bool { return z.N == 7 }

// Zeroer is an interface with IsZero, for omitzero on interface fields.
type Zeroer interface{ IsZero() bool }

type ptrMarshaler struct{ N int }

func (*ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"by pointer"`), nil }

// ownFieldsSample is a struct that json-iterator's structs are replaced for:
// every field its own. Its fields cover encoding/json's naming rules and
// its omitempty and omitzero tests.
type ownFieldsSample struct {
	Plain       string `json:"plain"`
	Untagged    int
	HTMLName    bool   `json:"<a&b>"`
	BadTag      string `json:"bad\"tag"`
	Dash        string `json:"-"`
	DashName    string `json:"-,"`
	EmptyName   string `json:",omitempty"`
	unexported  string
	Str         string            `json:"str,omitempty"`
	Int         int8              `json:"int,omitempty"`
	Uint        uint              `json:"uint,omitempty"`
	Float       float64           `json:"float,omitempty"`
	Bool        bool              `json:"bool,omitempty"`
	Ptr         *int              `json:"ptr,omitempty"`
	Iface       any               `json:"iface,omitempty"`
	Slice       []int             `json:"slice,omitempty"`
	Map         map[string]*int   `json:"map,omitempty"`
	NoArray     [0]int            `json:"no_array,omitempty"`
	Array       [2]int            `json:"array,omitempty"`
	Struct      struct{}          `json:"struct,omitempty"`
	Time        time.Time         `json:"time,omitzero"`
	ZeroInt     int               `json:"zero_int,omitzero"`
	ZeroFloat   float64           `json:"zero_float,omitzero"`
	ZeroSlice   []int             `json:"zero_slice,omitzero"`
	Zeroer      zeroAtSeven       `json:"zeroer,omitzero"`
	PtrZeroer   ptrZeroAtSeven    `json:"ptr_zeroer,omitzero"`
	ZeroerPtr   *zeroAtSeven      `json:"zeroer_ptr,omitzero"`
	ZeroerIface Zeroer            `json:"zeroer_iface,omitzero"`
	Both        string            `json:"both,omitempty,omitzero"`
	Marshaler   marshalerValue    `json:"marshaler"`
	Text        textValue         `json:"text"`
	TextKeys    map[textValue]int `json:"text_keys"`
	Next        *ownFieldsSample  `json:"next"`
	List        []ownFieldsSample `json:"list"`
}

// embedsOmitZero has an omitzero field and an embedded struct, which only
// encoding/json writes right.
type embedsOmitZero struct {
	embedded
	Zero int `json:"zero,omitzero"`
}

// twoOfOneName has two fields named X: encoding/json writes the tagged one.
type twoOfOneName struct {
	X string
	Y string `json:"X"`
	Z string `json:"z"`
}

// onePointer is stored in an interface as the pointer itself, which
// json-iterator's encoders read differently.
type onePointer struct {
	P *int `json:"p,omitempty"`
}

type pointerMarshalerField struct {
	M ptrMarshaler `json:"m"`
}

func TestCodecsWriteStructsAlike(t *testing.T) {
	one, seven := 1, 7
	full := ownFieldsSample{
		Plain: "p", Untagged: 1, HTMLName: true, BadTag: "b", Dash: "hidden", DashName: "d", EmptyName: "e", unexported: "u",
		Str: "s", Int: -1, Uint: 1, Float: math.Copysign(0, -1), Bool: true, Ptr: &one, Iface: 0,
		Slice: []int{}, Map: map[string]*int{"b": nil, "a": &one}, Array: [2]int{1, 2},
		Time: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ZeroInt: 1, ZeroFloat: math.Copysign(0, -1), ZeroSlice: []int{},
		Zeroer: zeroAtSeven{7}, PtrZeroer: ptrZeroAtSeven{8}, ZeroerPtr: &zeroAtSeven{7}, ZeroerIface: zeroAtSeven{1},
		Both: "both", Text: textValue{"t"}, TextKeys: map[textValue]int{{"k"}: 1},
		Next: &ownFieldsSample{Plain: "next", ZeroerIface: (*zeroAtSeven)(nil)},
		List: []ownFieldsSample{{Zeroer: zeroAtSeven{seven}, PtrZeroer: ptrZeroAtSeven{7}}},
	}
	for _, v := range []any{
		ownFieldsSample{}, &ownFieldsSample{}, full, &full, []ownFieldsSample{full, {}},
		embedsOmitZero{Zero: 0}, &embedsOmitZero{embedded{"in"}, 1},
		twoOfOneName{"a", "b", "c"},
		onePointer{}, onePointer{&one}, []onePointer{{&one}, {}}, map[string]onePointer{"a": {&one}},
		struct {
			One  onePointer  `json:"one"`
			Ptr  *onePointer `json:"ptr"`
			Many [2]onePointer
		}{onePointer{&one}, &onePointer{&one}, [2]onePointer{{}, {&one}}},
		// Not pointerMarshalerField{}: json-iterator calls the method of
		// *ptrMarshaler even where encoding/json cannot address the field.
		&pointerMarshalerField{}, []pointerMarshalerField{{}},
	} {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := JSONIterCodec.AppendJSON(nil, v)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%#v", v)
	}
}

func TestCodecStructEncodersAreSafeOnFirstUse(t *testing.T) {
	type fresh struct {
		A string   `json:"a"`
		B []string `json:"b,omitempty"`
		C *fresh   `json:"c"`
	}
	v := fresh{A: "a", B: []string{"b"}, C: &fresh{A: "c"}}
	want, err := json.Marshal(v)
	require.NoError(t, err)
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = JSONIterCodec.AppendJSON(nil, v) })
	}
	wg.Wait()
	for _, g := range got {
		assert.Equal(t, string(want), string(g))
	}
}

func TestCodecsLeaveValuesAsTheyWereOnNull(t *testing.T) {
	type withDefaults struct {
		S string  `json:"s"`
		N int     `json:"n"`
		F float64 `json:"f"`
		B bool    `json:"b"`
		P *string `json:"p"` // null makes a pointer nil
	}
	data := []byte(`{"s":null,"n":null,"f":null,"b":null,"p":null}`)
	kept := "kept"
	for name, c := range map[string]Codec{"std": StdCodec, "jsoniter": JSONIterCodec} {
		got := withDefaults{S: "default", N: 1, F: 1.5, B: true, P: &kept}
		require.NoError(t, c.Unmarshal(data, &got), name)
		want := withDefaults{S: "default", N: 1, F: 1.5, B: true, P: &kept}
		require.NoError(t, json.Unmarshal(data, &want))
		assert.Equal(t, want, got, name)
	}
}
