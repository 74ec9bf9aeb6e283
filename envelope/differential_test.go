package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/envelope/goccycodec"
	"github.com/apienvelope/apienvelope/envelope/jsonitercodec"
)

// Named types the generator can use where reflect.StructOf cannot make
// one: types with methods, and structs to embed.
type (
	// Upper writes itself with MarshalJSON and reads itself with UnmarshalJSON.
	Upper string
	// Label is text: MarshalText and UnmarshalText.
	Label string
	// Embedded is a struct to embed, with names other fields also use.
	Embedded struct {
		ID   int    `json:"id"`
		Name string `json:"name,omitempty"`
	}
	// Tagged is a struct to embed under a name of its own.
	Tagged struct {
		ID string `json:"id"`
		ü  int
		Ü  int `json:"ü"`
	}
)

func (u Upper) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(strings.ToUpper(string(u))) }
func (u *Upper) UnmarshalJSON(b []byte) error {
	var s string
	if err := jsonv2.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = Upper(strings.ToLower(s))
	return nil
}
func (l Label) MarshalText() ([]byte, error) { return []byte("label:" + string(l)), nil }
func (l *Label) UnmarshalText(b []byte) error {
	*l = Label(strings.TrimPrefix(string(b), "label:"))
	return nil
}

// profile is what the generator makes for one codec: the default codec
// gets everything; an adapter leaves out what its documentation lists as
// a difference from encoding/json v2.
type profile struct {
	name  string
	codec envelope.Codec
	// known lists the adapter's documented differences, each a feature the
	// generator leaves out.
	known map[string]bool
}

var profiles = []profile{
	{name: "default", codec: envelope.DefaultCodec},
	{name: "jsoniter", codec: jsonitercodec.Codec, known: adapterDifferences},
	{name: "goccy", codec: goccycodec.Codec, known: withKnown(adapterDifferences, "case-insensitive names")},
}

// adapterDifferences are the differences both adapters' documentation
// lists: they encode and decode as encoding/json v1 does.
var adapterDifferences = map[string]bool{
	"nil slices and maps":    true, // v1 writes null, v2 [] and {}
	"omitempty and omitzero": true, // v1 omits false, 0 and nil; knows no omitzero
	"string option":          true, // v1 and v2 apply it to other kinds
	"invalid UTF-8 written":  true, // v1 writes U+FFFD, v2 refuses
	"null into values":       true, // v1 leaves a value as it was, v2 zeroes it
	"arrays":                 true, // v1 takes any length, v2 the exact one
	"embedded name clashes":  true, // the libraries resolve some clashes otherwise
	"floats into integers":   true, // json-iterator reads 1.0 into an int
	"marshalers":             true, // MarshalJSON output is not re-checked the same way
	"times":                  true, // parsing of time layouts differs
	"json.Number":            true, // v1 reads it as a number, v2 as a string
	"custom names":           true, // v2 allows names v1 ignores (quotes, spaces)
}

func withKnown(m map[string]bool, more ...string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	for _, k := range more {
		out[k] = true
	}
	return out
}

// TestDifferential decodes random bodies into random struct types through
// Decode, an Action and Success, and compares each result with
// github.com/go-json-experiment/json called directly: the default codec
// must agree on every input, an adapter on every input its profile
// generates. APIENVELOPE_DIFF_TYPES sets how many types (200 by default;
// CI runs 20,000).
func TestDifferential(t *testing.T) {
	types := 200
	if n, err := strconv.Atoi(os.Getenv("APIENVELOPE_DIFF_TYPES")); err == nil && n > 0 {
		types = n
	}
	for _, p := range profiles {
		t.Run(p.name, func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			g := &generator{r: rand.New(rand.NewPCG(seed, 1)), known: p.known}
			for range types {
				typ := g.structType(0)
				for range 5 {
					body := g.object(typ)
					checkDecode(t, p, typ, body)
				}
			}
		})
	}
}

// checkDecode compares, on one body, Decode and the success envelope of
// its result, then the codec's strict decoding (what a strict action
// calls), with encoding/json v2.
func checkDecode(t *testing.T, p profile, typ reflect.Type, body []byte) {
	t.Helper()
	want := reflect.New(typ)
	wantErr := jsonv2.Unmarshal(body, want.Interface())

	got := reflect.New(typ)
	var gotErr error
	h := envelope.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if gotErr = envelope.Decode(r, got.Interface()); gotErr != nil {
			envelope.Fail(w, r, gotErr)
			return
		}
		envelope.Success(w, r, got.Interface())
	}), envelope.Options{Codec: p.codec, Logger: quiet})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, request(body))
	env := rec.Body.Bytes()
	require.True(t, jsontext.Value(env).IsValid(), "%s: invalid JSON sent: %s", p.name, env)

	switch {
	case wantErr != nil:
		require.Error(t, gotErr, "%s: %s accepted %s, which encoding/json v2 refuses: %v", typ, p.name, body, wantErr)
		var e *envelope.Error
		if errors.As(gotErr, &e) {
			require.Equal(t, envelope.StatusParameterError, e.Status, "%s: %s on %s", typ, gotErr, body)
		} else {
			// An error of the Go type itself is the programmer's: a 500.
			require.Equal(t, http.StatusInternalServerError, rec.Code, "%s: %v", typ, gotErr)
		}
	default:
		require.NoError(t, gotErr, "%s: %s refused %s, which encoding/json v2 decodes", typ, p.name, body)
		require.Equal(t, want.Elem().Interface(), got.Elem().Interface(), "%s: %s decoded %s otherwise", typ, p.name, body)
		if p.known == nil || !p.known["nil slices and maps"] {
			checkData(t, p, typ, want.Interface(), rec.Code, env)
		}
	}

	want = reflect.New(typ)
	wantErr = jsonv2.Unmarshal(body, want.Interface(), jsonv2.RejectUnknownMembers(true))
	got = reflect.New(typ)
	gotErr = p.codec.Unmarshal(body, got.Interface(), envelope.UnmarshalOptions{RejectUnknown: true})
	if wantErr != nil {
		require.Error(t, gotErr, "%s: strict %s accepted %s, which encoding/json v2 refuses: %v", typ, p.name, body, wantErr)
		return
	}
	require.NoError(t, gotErr, "%s: strict %s refused %s, which encoding/json v2 decodes", typ, p.name, body)
	require.Equal(t, want.Elem().Interface(), got.Elem().Interface(), "%s: strict %s decoded %s otherwise", typ, p.name, body)
}

// checkData checks that the success envelope env carries as data what
// encoding/json v2 writes for v, or is the 500 envelope where v2 refuses v.
func checkData(t *testing.T, p profile, typ reflect.Type, v any, code int, env []byte) {
	t.Helper()
	wantData, err := jsonv2.Marshal(v, jsonv2.Deterministic(true))
	if err != nil {
		require.Equal(t, http.StatusInternalServerError, code, "%s: %s wrote %s, which v2 refuses: %v", typ, p.name, env, err)
		return
	}
	var got struct {
		Data jsontext.Value `json:"data"`
	}
	require.NoError(t, jsonv2.Unmarshal(env, &got, jsonv2.RejectUnknownMembers(false)))
	require.Equal(t, string(wantData), string(got.Data), "%s: %s wrote the data otherwise", typ, p.name)
}

// actionParams is the parameters type of the action the test calls: an
// action's type is fixed when it is compiled.
type actionParams struct {
	To      []string          `json:"to"`
	Page    int               `json:"page,omitzero"`
	Ratio   float64           `json:"ratio"`
	On      *bool             `json:"on"`
	Meta    map[string]any    `json:"meta"`
	Label   Label             `json:"label"`
	Upper   Upper             `json:"upper"`
	Headers map[string]string `json:"headers,omitempty"`
	Embedded
}

// TestDifferentialAction sends random bodies to a strict action and
// compares what it decodes, and the data it answers, with encoding/json v2.
func TestDifferentialAction(t *testing.T) {
	typ := reflect.TypeFor[actionParams]()
	for _, p := range profiles {
		t.Run(p.name, func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			g := &generator{r: rand.New(rand.NewPCG(seed, 2)), known: p.known}
			for range 500 {
				body := g.object(typ)
				var got actionParams
				ran := false
				h := envelope.Wrap(envelope.ActionWith(envelope.ActionOptions{Strict: true}, func(_ context.Context, params actionParams) (actionParams, error) {
					got, ran = params, true
					return params, nil
				}), envelope.Options{Codec: p.codec, Logger: quiet})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, request(body))

				var want actionParams
				wantErr := jsonv2.Unmarshal(body, &want, jsonv2.RejectUnknownMembers(true))
				if wantErr != nil {
					require.False(t, ran, "%s: the action ran on %s, which encoding/json v2 refuses: %v", p.name, body, wantErr)
					continue
				}
				require.True(t, ran, "%s: the action did not run on %s: %s", p.name, body, rec.Body.Bytes())
				require.Equal(t, want, got, "%s: the action got other values from %s", p.name, body)
				if p.known == nil { // an adapter writes nil slices and omitted fields as v1 does
					checkData(t, p, typ, &want, rec.Code, rec.Body.Bytes())
				}
			}
		})
	}
}

func request(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/x/y", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

var quiet = slog.New(slog.DiscardHandler)
