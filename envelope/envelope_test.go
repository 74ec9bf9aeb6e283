package envelope

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wire is one decoded envelope, with its keys in the order they came.
type wire struct {
	Code    int
	Header  http.Header
	Keys    []string
	Status  Status
	Time    float64
	Flags   map[string]any
	Data    any
	RawData json.RawMessage
}

// readEnvelope checks what every envelope must be (CONTRACT S1) and decodes it.
func readEnvelope(t *testing.T, rec *httptest.ResponseRecorder) wire {
	t.Helper()
	body := rec.Body.Bytes()
	require.True(t, json.Valid(body), "body is not JSON: %q", body)
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, strconv.Itoa(len(body)), rec.Header().Get("Content-Length"))
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &raw))
	w := wire{Code: rec.Code, Header: rec.Header(), Keys: objectKeys(t, body)}
	require.Equal(t, []string{"status", "time", "flags", "data"}, w.Keys, "keys of %s", body)
	require.NoError(t, json.Unmarshal(raw["status"], &w.Status))
	require.NoError(t, json.Unmarshal(raw["time"], &w.Time))
	require.NoError(t, json.Unmarshal(raw["flags"], &w.Flags), "flags must be an object")
	require.NotNil(t, w.Flags, "flags must be an object")
	require.NoError(t, json.Unmarshal(raw["data"], &w.Data))
	w.RawData = raw["data"]
	assert.Greater(t, w.Time, 0.0)
	assert.Equal(t, w.Status.HTTPStatus(), rec.Code)
	return w
}

func objectKeys(t *testing.T, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

// data returns the envelope's data as an object.
func (w wire) object(t *testing.T) map[string]any {
	t.Helper()
	m, ok := w.Data.(map[string]any)
	require.True(t, ok, "data is not an object: %s", w.RawData)
	return m
}

// serve runs h inside Wrap, as the Envelope middleware does.
func serve(h http.Handler, opts *Options, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	if opts == nil {
		opts = &Options{}
	}
	Wrap(h, *opts).ServeHTTP(rec, r)
	return rec
}

func post(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/test/action", bytes.NewBufferString(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
