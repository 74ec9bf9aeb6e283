package envelope

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type marshalerValue struct{}

func (marshalerValue) MarshalJSON() ([]byte, error) { return []byte(`{"custom": true}`), nil }

type textValue struct{ s string }

func (t textValue) MarshalText() ([]byte, error) { return []byte("text:" + t.s), nil }

type ptrMarshaler struct{ N int }

func (*ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"by pointer"`), nil }

// textKey is a string-kind map key that writes itself with MarshalText.
type textKey string

func (k textKey) MarshalText() ([]byte, error) { return []byte("key:" + string(k)), nil }

type inner struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// outerWins has an ID of its own beside its embedded struct's.
type outerWins struct {
	ID string `json:"id"`
	inner
}

type codecSample struct {
	Name      string             `json:"name"`
	Omitted   string             `json:"omitted,omitempty"`
	Count     int64              `json:"count,string"`
	StrMap    map[string]int     `json:"str_map,string"`
	StrPtr    *int               `json:"str_ptr,string"`
	StrTime   time.Time          `json:"str_time,string"`
	StrAny    any                `json:"str_any,string"`
	Ratio     float32            `json:"ratio"`
	Bytes     []byte             `json:"bytes"`
	NilSlice  []string           `json:"nil_slice"`
	NilMap    map[string]int     `json:"nil_map"`
	IntKeys   map[int]string     `json:"int_keys"`
	TextKeys  map[textKey]int    `json:"text_keys"`
	Time      time.Time          `json:"time"`
	Raw       stdjson.RawMessage `json:"raw"`
	Number    stdjson.Number     `json:"number"`
	Marshaler marshalerValue     `json:"marshaler"`
	PtrMarsh  ptrMarshaler       `json:"ptr_marshaler"`
	Text      textValue          `json:"text"`
	Any       any                `json:"any"`
	Zero      int                `json:"zero,omitzero"`
	outerWins
}

// codecCorpus holds the values where JSON encoders usually differ: floats
// at the edges of their formats, HTML and line separators, map key order,
// raw and custom marshalers, the string option on what is not a number.
var codecCorpus = []any{
	nil, true, 0, -1, math.MaxInt64, uint64(math.MaxUint64),
	0.0, -0.0, 1.0, 0.1, 1e-6, 1e-7, 123456789.0, 1e20, 1e21, 1.5e300, math.SmallestNonzeroFloat64, math.MaxFloat64,
	float32(0.1), float32(1e-7), float32(3.4e38),
	"", "plain", "<script>&'\"</script>", "line\u2028sep\u2029", "tab\tnl\n\x00\x1f", "emoji 🎉", "\\/",
	[]int{}, []any{1, "a", nil}, map[string]any{"b": 1, "a": 2, "ä": 3, "A": 4},
	codecSample{
		Name: "n", Count: 42, Ratio: 0.3, Bytes: []byte{0, 1, 2, 255},
		StrMap:   map[string]int{"a": 1},
		StrAny:   "s",
		IntKeys:  map[int]string{10: "ten", 2: "two", -1: "minus"},
		TextKeys: map[textKey]int{"b": 1, "a": 2},
		Time:     time.Date(2026, 11, 27, 7, 20, 0, 123456789, time.FixedZone("X", 3600)),
		Raw:      stdjson.RawMessage(` { "spaced" : [1, 2] } `),
		Number:   "12.5e3",
		Any:      map[string]any{"html": "<b>"},
		outerWins: outerWins{
			ID:    "outer",
			inner: inner{ID: 7, Name: "in"},
		},
	},
	&codecSample{},
}

// TestDefaultCodecIsJSONv2 checks that the default codec writes what
// go-json-experiment/json writes, with its documented options, and refuses
// what it refuses.
func TestDefaultCodecIsJSONv2(t *testing.T) {
	for _, v := range codecCorpus {
		want, wantErr := json.Marshal(v, json.Deterministic(true))
		got, err := DefaultCodec.AppendJSON([]byte("prefix:"), v)
		if wantErr != nil {
			assert.Error(t, err, "%#v", v)
			continue
		}
		require.NoError(t, err, "%#v", v)
		assert.Equal(t, "prefix:"+string(want), string(got))
		assert.True(t, jsontext.Value(want).IsValid(), "%s", want)
	}
	for _, v := range []any{"bad \xff utf8", math.Inf(1), make(chan int)} {
		_, err := DefaultCodec.AppendJSON(nil, v)
		assert.Error(t, err, "%#v", v)
	}
}

// TestEncodingExamples are the examples of issue 12 that the toolkit's own
// encoder got wrong: each is now written as encoding/json v2 writes it, or
// refused as v2 refuses it (the 500 envelope), and never sent as invalid
// JSON. want is pinned where go-json-experiment and the standard library's
// encoding/json/v2 (GOEXPERIMENT=jsonv2) agree; where they do not (the
// string option on a map, a time or an any; encoding/json.Number, which
// only the standard library's v2 knows), agreeing with the v2 in use is
// the test.
func TestEncodingExamples(t *testing.T) {
	one := 1
	cases := []struct {
		name string
		v    any
		want string // "" where the two v2s differ
	}{
		{"a map with the string option", struct {
			M map[string]int `json:"m,string"`
		}{map[string]int{"a": 1}}, ""},
		{"a time with the string option", struct {
			T time.Time `json:"t,string"`
		}{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, ""},
		{"an any holding a string with the string option", struct {
			A any `json:"a,string"`
		}{"x"}, ""},
		{"json.Number", struct {
			N stdjson.Number `json:"n"`
		}{"12.5"}, ""},
		{"the outer field wins", outerWins{ID: "outer", inner: inner{ID: 7, Name: "n"}}, `{"id":"outer","name":"n"}`},
		{"a nil pointer with the string option", struct {
			P *int `json:"p,string"`
		}{}, `{"p":null}`},
		{"a pointer with the string option", struct {
			P *int `json:"p,string"`
		}{&one}, `{"p":"1"}`},
		{"MarshalJSON on the pointer receiver", &struct {
			M ptrMarshaler `json:"m"`
		}{}, `{"m":"by pointer"}`},
		{"a string-kind map key with MarshalText", map[textKey]int{"a": 1}, `{"key:a":1}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			direct, directErr := json.Marshal(c.v, json.Deterministic(true))
			got, err := DefaultCodec.AppendJSON(nil, c.v)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Success(w, r, c.v) })
			w := readEnvelope(t, serve(h, &Options{Logger: slog.New(slog.DiscardHandler)}, post(`{}`)))
			if directErr != nil {
				assert.Error(t, err)
				assert.Equal(t, StatusInternalServerError, w.Status, "refused, it is the 500 envelope")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, string(direct), string(got))
			assert.Equal(t, string(direct), string(w.RawData))
			if c.want != "" {
				assert.Equal(t, c.want, string(got))
			}
		})
	}
}

type addrParams struct {
	Addr netip.Addr `json:"addr"`
}

// TestDecodingExamples are the examples of issue 12 that the toolkit's own
// decoder got wrong.
func TestDecodingExamples(t *testing.T) {
	var umlaut struct {
		U int `json:"ü"`
	}
	require.NoError(t, DefaultCodec.Unmarshal([]byte(`{"\u00fc":3}`), &umlaut, UnmarshalOptions{}))
	assert.Equal(t, 3, umlaut.U, "a name written with an escape matches")

	var withString struct {
		N int `json:"n,string"`
	}
	for _, body := range []string{`{"n":"abc"}`, `{"n":" 12"}`} {
		assert.Error(t, DefaultCodec.Unmarshal([]byte(body), &withString, UnmarshalOptions{}), body)
	}

	p := addrParams{Addr: netip.MustParseAddr("10.0.0.1")}
	want := p
	require.NoError(t, json.Unmarshal([]byte(`{"addr":null}`), &want))
	require.NoError(t, DefaultCodec.Unmarshal([]byte(`{"addr":null}`), &p, UnmarshalOptions{}))
	assert.Equal(t, want, p, "null does to a netip.Addr what encoding/json v2 does")

	var arrays struct {
		A [3]int `json:"a"`
	}
	arrays.A = [3]int{7, 7, 7}
	assert.Error(t, json.Unmarshal([]byte(`{"a":[1]}`), &arrays), "v2 wants an array's exact length")
	arrays.A = [3]int{7, 7, 7}
	assert.Error(t, DefaultCodec.Unmarshal([]byte(`{"a":[1]}`), &arrays, UnmarshalOptions{}))
	require.NoError(t, DefaultCodec.Unmarshal([]byte(`{"a":[1,2,3]}`), &arrays, UnmarshalOptions{}))
	assert.Equal(t, [3]int{1, 2, 3}, arrays.A)
}

type toParams struct {
	To string `json:"to"`
}

// TestNamesAreCaseSensitive: `to` and `TO` are two names (CONTRACT R5), so
// neither can be smuggled past a check that reads the other.
func TestNamesAreCaseSensitive(t *testing.T) {
	var p toParams
	require.NoError(t, DefaultCodec.Unmarshal([]byte(`{"to":"a","TO":"b"}`), &p, UnmarshalOptions{}))
	assert.Equal(t, "a", p.To)

	p = toParams{}
	require.NoError(t, DefaultCodec.Unmarshal([]byte(`{"TO":"b"}`), &p, UnmarshalOptions{}))
	assert.Empty(t, p.To, "TO does not fill to")

	err := DefaultCodec.Unmarshal([]byte(`{"TO":"b"}`), &p, UnmarshalOptions{RejectUnknown: true})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeUnknownParameter, e.Code)
	assert.Equal(t, "TO", e.Field)

	err = DefaultCodec.Unmarshal([]byte(`{"to":"a","to":"b"}`), &p, UnmarshalOptions{})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeDuplicateParameter, e.Code)
}

// brokenCodec writes bytes that are not JSON.
type brokenCodec struct{}

func (brokenCodec) AppendJSON(dst []byte, v any) ([]byte, error) {
	return append(dst, `{"unterminated":`...), nil
}

func (brokenCodec) Unmarshal(data []byte, v any, opts UnmarshalOptions) error {
	return DefaultCodec.Unmarshal(data, v, opts)
}

// TestCodecThatWritesInvalidJSON: whatever the codec, the client never gets
// invalid JSON; it gets the 500 envelope, and the log says why.
func TestCodecThatWritesInvalidJSON(t *testing.T) {
	var log bytes.Buffer
	opts := &Options{Codec: brokenCodec{}, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Success(w, r, map[string]int{"a": 1}) })
	w := readEnvelope(t, serve(ok, opts, post(`{}`)))
	assert.Equal(t, StatusInternalServerError, w.Status)
	assert.Contains(t, log.String(), "codec wrote invalid JSON")
	assert.Contains(t, log.String(), "envelope.brokenCodec")

	flagged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetFlag(r.Context(), "f", 1)
		Success(w, r, nil)
	})
	w = readEnvelope(t, serve(flagged, opts, post(`{}`)))
	assert.Equal(t, StatusInternalServerError, w.Status)
	assert.Empty(t, w.Flags)
}

type panicsWhenEncoded struct{}

func (panicsWhenEncoded) MarshalJSON() ([]byte, error) { panic("boom in MarshalJSON") }

// TestPanicWhileEncoding: a value whose encoding panics is the 500
// envelope, never a dropped connection; the panic's value shows only in
// development mode.
func TestPanicWhileEncoding(t *testing.T) {
	var log bytes.Buffer
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Success(w, r, panicsWhenEncoded{}) })
	for _, dev := range []bool{false, true} {
		log.Reset()
		opts := &Options{Development: dev, Logger: slog.New(slog.NewTextHandler(&log, nil))}
		w := readEnvelope(t, serve(h, opts, post(`{}`)))
		assert.Equal(t, StatusInternalServerError, w.Status)
		assert.Contains(t, log.String(), "boom in MarshalJSON")
		if dev {
			assert.Contains(t, w.object(t)["cause"], "boom in MarshalJSON")
		} else {
			assert.NotContains(t, string(w.RawData), "boom")
		}
	}
}

func TestAbortHandlerWhileEncodingStillAborts(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Success(w, r, abortsWhenEncoded{}) })
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { serve(h, nil, post(`{}`)) })
}

type abortsWhenEncoded struct{}

func (abortsWhenEncoded) MarshalJSON() ([]byte, error) { panic(http.ErrAbortHandler) }

func TestCodecErrorThatIsNotAnEnvelopeError(t *testing.T) {
	c := failingDecoder{err: errors.New("the codec says no")}
	h := ActionWith(ActionOptions{}, func(_ context.Context, p toParams) (string, error) { return p.To, nil })
	w := readEnvelope(t, serve(h, &Options{Codec: c}, post(`{"to":"a"}`)))
	assert.Equal(t, StatusParameterError, w.Status)
	assert.Equal(t, CodeInvalidParameter, w.object(t)["code"])
	assert.Equal(t, "the codec says no", w.object(t)["message"])
}

type failingDecoder struct {
	brokenCodec
	err error
}

func (f failingDecoder) Unmarshal([]byte, any, UnmarshalOptions) error { return f.err }
