package envelope

import (
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type namedString string

// decodeKid contains itself, through a slice and a pointer.
type decodeKid struct {
	Name string      `json:"name"`
	Kids []decodeKid `json:"kids"`
	Next *decodeKid  `json:"next"`
}

// decodeBase is embedded in decodeSample, which takes its fields, and
// those of the struct it embeds, as its own.
type decodeBase struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	hidden  string
	decodeDeeper
}

type decodeDeeper struct {
	Cursor *string `json:"cursor"`
}

// decodeSample has a field of every kind structDecoder takes.
type decodeSample struct {
	S   string `json:"s"`
	I   int    `json:"i"`
	I8  int8   `json:"i8"`
	U16 uint16 `json:"u16"`
	U   uint64
	F   float64 `json:"f"`
	F32 float32 `json:"f32"`
	B   bool    `json:"b"`
	decodeBase
	Named  namedString          `json:"named"`
	Strs   []string             `json:"strs"`
	Ints   []int                `json:"ints"`
	Grid   [][]int8             `json:"grid"`
	Kid    decodeKid            `json:"kid"`
	Kids   []decodeKid          `json:"kids"`
	PS     *string              `json:"ps"`
	PI     *int                 `json:"pi"`
	PKid   *decodeKid           `json:"pkid"`
	PStrs  *[]string            `json:"pstrs"`
	PList  []*int               `json:"plist"`
	T      time.Time            `json:"t"`
	PT     *time.Time           `json:"pt"`
	Raw    json.RawMessage      `json:"raw"`
	Picky  pickyValue           `json:"picky"`
	PPicky *pickyValue          `json:"ppicky"`
	Picks  []pickyValue         `json:"picks"`
	Any    any                  `json:"any"`
	AnyP   any                  `json:"anyp"`
	Meta   map[string]string    `json:"meta"`
	Attrs  map[string]any       `json:"attrs"`
	KidMap map[string]decodeKid `json:"kidmap"`
	PMap   map[string]*int      `json:"pmap"`
	Hidden string               `json:"-"`
	Ärger  string
	hidden string
}

// pickyValue decodes itself: it keeps what it is given, and how often,
// but refuses false.
type pickyValue struct {
	Raw   string
	Calls int
}

func (v *pickyValue) UnmarshalJSON(data []byte) error {
	if string(data) == "false" {
		return errors.New("false is refused")
	}
	v.Raw = string(data)
	v.Calls++
	return nil
}

// decodeDefaults is what both decoders start from: a null must leave it,
// but for slices and pointers, which it makes nil. A value goes where a
// pointer points.
func decodeDefaults() decodeSample {
	ps := "default"
	pt := time.Date(2026, 11, 27, 8, 20, 0, 0, time.UTC)
	return decodeSample{decodeBase: decodeBase{Page: 3, hidden: "h"}, S: "default", I: 7, F: 1.5, B: true, Kid: decodeKid{Name: "kid"}, PS: &ps,
		PKid: &decodeKid{Name: "pointed", Kids: []decodeKid{}}, T: pt.Add(time.Hour), PT: &pt,
		Picky: pickyValue{Raw: "default"}, PPicky: &pickyValue{Raw: "pointed"}, Any: "default", AnyP: new(7),
		KidMap: map[string]decodeKid{"kept": {Name: "kept"}}, Hidden: "h", hidden: "h"}
}

// FuzzStructDecoderAgreesWithEncodingJSON checks that whatever
// structDecoder decodes, encoding/json decodes too, to the same value.
// Where it gives up, json-iterator and then encoding/json decide, so giving
// up more often is allowed.
func FuzzStructDecoderAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"s":"x","i":-1,"i8":127,"u16":65535,"U":18446744073709551615,"f":1e-7,"f32":3.4e38,"b":false}`,
		`{"named":"n","strs":["a","","ü"],"ints":[1,2,3],"grid":[[1],[],[-128]],"kid":{"name":"k","kids":[{"name":"g"}]}}`,
		`{"s":null,"i":null,"strs":null,"kid":null,"kids":[null,{}]}`,
		` { "S" : "case" , "I8" : 1 , "äRGER" : "fold" , "ärger" : "fold", "u" : 1 } `,
		`{"hidden":"x","Hidden":"y","-":"z","unknown":{"a":[1,{"b":null}]},"s":"last","s":"twice"}`,
		`{"s":"esc\"aped","i":1.0,"i8":128,"f":1e400,"b":"true","strs":"a","ints":[1,"2"]}`,
		`{"s":"x","s":"y"}`, `{"S":"x","s":"y","S":"z"}`, `{"kid":{"name":"a","name":"b"}}`, `{"x":{"y":1,"y":2}}`,
		`{"kids":[{"kids":[{"kids":[]}]}]}`, `{"x":[[[[1]]]]}`,
		`{"ps":"x","pi":3,"pkid":{"name":"a","next":{"name":"b","next":null}},"pstrs":["a"],"plist":[1,null,2]}`,
		`{"ps":null,"pi":null,"pkid":null,"pstrs":null,"plist":null}`, `{"pkid":{"kids":[{}]}}`, `{"pkid":{}}`,
		`{"ps":"a\"b"}`, `{"pi":"1"}`, `{"pkid":{"next":{"next":{"next":{}}}}}`,
		`{"t":"2026-11-27T08:20:00Z","pt":"2026-11-27T08:20:00.5+01:00","raw":{"a":[1, 2]},"picky":[1,{"x":null}],"ppicky":"s","picks":[1,true,null]}`,
		`{"t":null,"pt":null,"raw":null,"picky":null,"ppicky":null,"picks":null}`, `{"picky":false}`, `{"t":"bad"}`,
		`{"raw" : 1 , "picky" : { "k" : "v" } , "picky" : 2 }`, `{"raw":{"a":1,"a":2}}`, `{"picks":[[[[1]]]]}`,
		`{"any":{"a":[1,"x",null,true,{"b":-0.5e3}]},"meta":{"a":"1","b":"2"},"attrs":{"n":1,"s":"s","l":[]},"kidmap":{"x":{"name":"n"}},"pmap":{"a":1,"b":null}}`,
		`{"any":null,"meta":null,"attrs":null,"kidmap":null}`, `{"meta":{"a":"1","a":"2"}}`, `{"any":{"a":1,"a":2}}`,
		`{"attrs":{"x":{"y":{"z":[[]]}}}}`, `{"anyp":5}`, `{"any":1e400}`, `{"meta":{}}`, `{"any":[]}`, `{"kidmap":{"k":{"kids":[]}}}`,
		`{"kidmap":{"a":{"name":"x","kids":[{}]},"b":{}}}`, `{"meta":{"kept":"x"}}`,
		`{"s":"x","ps":"y","Ärger":"z"}`, `{"S":"x","PS":"y","äRGER":"z","u":1}`, `{"s":"x","ps":null,"Ärger":"z"}`,
		`{"s":"x","ps":"y","Ärger":"z","zzz":1}`, `{"s":"x","ps":"y","Ärger":"z","kid":{"zzz":1}}`,
		`{"ps":"y","Ärger":"z","kid":{"name":"x"}}`,
		`{"page":1,"per_page":2,"cursor":"c","hidden":"x"}`, `{"PAGE":1,"Cursor":null,"decodeDeeper":{"cursor":"x"}}`,
		`{"page":1,"page":2}`, `{"cursor":"a","cursor":"b"}`,
		`{"s":"x"} trailing`, `{"s":"x",}`, `{"s" "x"}`, `[1]`, `null`, `{"strs":[1,]}`, `{"s":"\xff"}`,
	} {
		f.Add([]byte(s))
	}
	d := decoderOf(reflect.TypeFor[decodeSample]())
	// What checkKeys is asked where three fields are required.
	keysRequired := &paramsType{known: paramsTypeOf(reflect.TypeFor[decodeSample]()).known, required: []string{"s", "ps", "Ärger"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := decodeDefaults(), decodeDefaults()
		if !d.decode(data, unsafe.Pointer(&got)) {
			return
		}
		require.NoError(t, json.Unmarshal(data, &want), "structDecoder decoded %q; encoding/json refuses it", data)
		require.Equal(t, want, got, "%q", data)
		for _, depth := range []int{1, 2, 3, 32} {
			checked := decodeDefaults()
			if d.decodeChecked(data, unsafe.Pointer(&checked), depth, false, nil) {
				require.Nil(t, checkParams(data, depth), "decodeChecked took %q at depth %d", data, depth)
				require.Equal(t, want, checked, "%q", data)
			}
		}
		for _, strict := range []bool{false, true} {
			checked := decodeDefaults()
			if d.decodeChecked(data, unsafe.Pointer(&checked), 32, strict, keysRequired.required) {
				require.Nil(t, checkKeys(data, keysRequired, strict), "decodeChecked took %q, strict %v", data, strict)
				require.Equal(t, want, checked, "%q", data)
			}
		}
	})
}

func TestStructDecoderTakesTheCommonCase(t *testing.T) {
	t.Run("values that decode themselves", func(t *testing.T) {
		data := []byte(`{"t":"2026-11-27T09:00:00Z","raw": [1, {"a":null}] ,"picky":null,"ppicky":{"b":2}}`)
		got, want := decodeDefaults(), decodeDefaults()
		pointed := got.PPicky
		require.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decode(data, unsafe.Pointer(&got)))
		require.NoError(t, json.Unmarshal(data, &want))
		assert.Equal(t, want, got)
		assert.Equal(t, `[1, {"a":null}]`, string(got.Raw), "the value alone, as it was written")
		assert.Equal(t, pickyValue{Raw: "null", Calls: 1}, got.Picky, "null is handed over too")
		assert.Same(t, pointed, got.PPicky)
		v := decodeDefaults()
		assert.False(t, decoderOf(reflect.TypeFor[decodeSample]()).decode([]byte(`{"picky":false}`), unsafe.Pointer(&v)),
			"an error is json-iterator's to report")
	})
	t.Run("maps and empty interfaces", func(t *testing.T) {
		data := []byte(`{"any":{"a":[1,"x",null,true]},"meta":{"a":"1"},"attrs":{"n":{}},"kidmap":{"k":{"name":"n"}},"pmap":{"p":1}}`)
		got, want := decodeDefaults(), decodeDefaults()
		require.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decode(data, unsafe.Pointer(&got)))
		require.NoError(t, json.Unmarshal(data, &want))
		assert.Equal(t, want, got)
		assert.Equal(t, map[string]any{"a": []any{1.0, "x", nil, true}}, got.Any)
		assert.Equal(t, decodeKid{Name: "kept"}, got.KidMap["kept"], "keys the object does not give keep their values")

		checked := decodeDefaults()
		checked.KidMap = nil
		d := decoderOf(reflect.TypeFor[decodeSample]())
		assert.True(t, d.decodeChecked(data, unsafe.Pointer(&checked), 32, false, nil))
		for _, twice := range []string{`{"meta":{"a":"1","a":"2"}}`, `{"any":{"a":1,"a":2}}`, `{"attrs":{"x":[{"y":1,"y":2}]}}`} {
			v := decodeDefaults()
			assert.False(t, d.decodeChecked([]byte(twice), unsafe.Pointer(&v), 32, false, nil), twice)
			v = decodeDefaults()
			assert.True(t, d.decode([]byte(twice), unsafe.Pointer(&v)), "%s: the last one wins", twice)
		}
		v := decodeDefaults()
		assert.False(t, d.decode([]byte(`{"anyp":5}`), unsafe.Pointer(&v)), "a pointer in an interface is decoded into")
	})
	t.Run("pointers", func(t *testing.T) {
		data := []byte(`{"ps":"x","pi":3,"pkid":{"name":"a","next":{"name":"b"}},"pstrs":["a"],"plist":[1,null,2]}`)
		got, want := decodeDefaults(), decodeDefaults()
		pointed := got.PKid
		require.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decode(data, unsafe.Pointer(&got)))
		require.NoError(t, json.Unmarshal(data, &want))
		assert.Equal(t, want, got)
		assert.Same(t, pointed, got.PKid, "a value goes where a pointer points")
		assert.Equal(t, []decodeKid{}, got.PKid.Kids, "and leaves what it does not give")
		require.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decode([]byte(`{"ps":null,"pkid":null}`), unsafe.Pointer(&got)))
		assert.Nil(t, got.PS)
		assert.Nil(t, got.PKid)
	})

	require.NotNil(t, decoderOf(reflect.TypeFor[decodeSample]()))
	data := []byte(`{"s":"x","i":3,"strs":["a","b"],"grid":[[1,2]],"kid":{"name":"k","kids":[]},"Ärger":"a","extra":[{"x":1}]}`)
	got, want := decodeDefaults(), decodeDefaults()
	require.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decode(data, unsafe.Pointer(&got)))
	require.NoError(t, json.Unmarshal(data, &want))
	assert.Equal(t, want, got)
	assert.NotNil(t, got.Kid.Kids, "an empty array is an empty slice, not nil")

	checked := decodeDefaults()
	assert.True(t, decoderOf(reflect.TypeFor[decodeSample]()).decodeChecked(data, unsafe.Pointer(&checked), 32, false, nil))
	assert.Equal(t, want, checked)
	for _, refused := range []struct {
		data  string
		depth int
	}{
		{`{"s":"x","s":"y"}`, 32}, {`{"kid":{"name":"a","name":"b"}}`, 32}, {`{"extra":{"a":1,"a":2}}`, 32},
		{`{"extra":1,"extra":2}`, 32}, {string(data), 2}, {`{"grid":[[1]]}`, 2}, {`{"extra":[[1]]}`, 2},
	} {
		v := decodeDefaults()
		assert.False(t, decoderOf(reflect.TypeFor[decodeSample]()).decodeChecked([]byte(refused.data), unsafe.Pointer(&v), refused.depth, false, nil), refused.data)
		assert.NotNil(t, checkParams([]byte(refused.data), refused.depth), "checkParams refuses %s too", refused.data)
	}

	for _, gaveUp := range []string{`{"s":"a\"b"}`, `{"i":"1"}`, `{"i8":300}`, `{"s":"x"}x`, `{"strs":["\u0041"]}`} {
		v := decodeDefaults()
		assert.False(t, decoderOf(reflect.TypeFor[decodeSample]()).decode([]byte(gaveUp), unsafe.Pointer(&v)), gaveUp)
	}
}

func TestStructDecoderTakesOnlyStructsItKnows(t *testing.T) {
	for _, v := range []any{
		struct{ *embedded }{},
		struct {
			embedded `json:"e"`
		}{},
		struct {
			embedded
			Inner string `json:"inner"`
		}{},
		struct {
			embedded `json:"-"`
		}{},
		struct {
			N int `json:"n,string"`
		}{},
		struct{ P **int }{},
		struct{ A netip.Addr }{},
		struct{ M map[int]string }{},
		struct{ M map[netip.Addr]string }{},
		struct{ E error }{},
		struct{ B []byte }{},
		struct{ N json.Number }{},
		twoOfOneName{},
	} {
		assert.Nil(t, decoderOf(reflect.TypeOf(v)), "%T", v)
	}
}
