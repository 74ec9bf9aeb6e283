// Package codectest holds what the tests of the codec adapters share: values
// that encoders write as invalid JSON unless they check, and a check that an
// envelope made with a codec is whole.
package codectest

import (
	stdjson "encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
)

// halfObject writes half an object from MarshalJSON.
type halfObject struct{}

func (halfObject) MarshalJSON() ([]byte, error) { return []byte(`{"a":`), nil }

// badText writes invalid UTF-8 from MarshalText.
type badText struct{}

func (badText) MarshalText() ([]byte, error) { return []byte("\xff"), nil }

// InvalidValues are values that an encoder writes as invalid JSON, or in
// invalid UTF-8, unless it checks.
var InvalidValues = map[string]any{
	"MarshalJSON writes half an object": halfObject{},
	"the same, deeper":                  map[string]any{"x": []any{halfObject{}}},
	"a raw message that is not JSON":    stdjson.RawMessage(`{"a":`),
	"invalid UTF-8 in a string":         "\xff\xfe",
	"invalid UTF-8 from MarshalText":    badText{},
	"invalid UTF-8 in a map key":        map[string]string{"\xff": "x"},
}

// CheckEnvelopes sends each invalid value as the data of a success answer
// written with codec: whatever the codec makes of it, the client gets a
// whole envelope, in valid JSON and UTF-8, either a success or the 500
// envelope.
func CheckEnvelopes(t *testing.T, codec envelope.Codec) {
	for name, v := range InvalidValues {
		t.Run(name, func(t *testing.T) {
			h := envelope.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				envelope.Success(w, r, v)
			}), envelope.Options{Codec: codec, Logger: slog.New(slog.DiscardHandler)})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/x/y", strings.NewReader(`{}`)))
			body := rec.Body.Bytes()
			require.True(t, jsontext.Value(body).IsValid(), "invalid JSON sent: %q", body)
			var env struct {
				Status envelope.Status `json:"status"`
			}
			require.NoError(t, stdjson.Unmarshal(body, &env))
			assert.Contains(t, []envelope.Status{envelope.StatusSuccess, envelope.StatusInternalServerError}, env.Status)
		})
	}
}
