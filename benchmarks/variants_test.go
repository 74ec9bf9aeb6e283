package benchmarks

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVariantsAnswerTheSameEnvelope checks, once, that every variant of every
// payload answers a correct envelope with the same flags and data, so that
// the benchmark cannot silently measure a broken path.
func TestVariantsAnswerTheSameEnvelope(t *testing.T) {
	for _, c := range Cases() {
		require.Len(t, c.Variants, len(VariantNames))
		for i, v := range c.Variants {
			require.Equal(t, VariantNames[i], v.Name)
			t.Run(v.Name+"/"+c.Payload, func(t *testing.T) {
				req, w := NewRequest(c.Request), NewWriter()
				w.Keep = true
				for range 3 { // the pooled paths too
					req.Reset()
					w.Reset()
					v.Handler.ServeHTTP(w, req.R)
					checkEnvelope(t, c, v.Name, w)
				}
			})
		}
	}
}

func checkEnvelope(t *testing.T, c Case, name string, w *Writer) {
	t.Helper()
	require.Equal(t, 200, w.Code)
	assert.True(t, strings.HasPrefix(w.Header().Get("Content-Type"), "application/json"), w.Header().Get("Content-Type"))
	assert.Equal(t, len(w.Body), w.N)
	got := bytes.TrimSuffix(w.Body, []byte("\n"))
	if name == "bare" { // the data alone, no envelope
		assert.True(t, bytes.Equal(c.Data, got), "data differs:\n got %.300s\nwant %.300s", got, c.Data)
		return
	}
	var env struct {
		Status string          `json:"status"`
		Time   *float64        `json:"time"`
		Flags  json.RawMessage `json:"flags"`
		Data   json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(got))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&env), "%.300s", got)
	assert.Equal(t, "success", env.Status)
	require.NotNil(t, env.Time)
	assert.GreaterOrEqual(t, *env.Time, 0.0)
	assert.Equal(t, string(c.Flags), string(env.Flags))
	// The same bytes as encoding/json writes, not merely the same values.
	assert.True(t, bytes.Equal(c.Data, env.Data), "data differs:\n got %.300s\nwant %.300s", env.Data, c.Data)
	// Keys in the order of the contract.
	assert.True(t, bytes.HasPrefix(got, []byte(`{"status":"success","time":`)), "%.80s", got)
	assert.Contains(t, string(got), `,"flags":`+string(c.Flags)+`,"data":`)
}

func TestPayloadSizes(t *testing.T) {
	for _, c := range Cases() {
		t.Logf("%s: request %d bytes, data %d bytes, envelope %d bytes", c.Payload, len(c.Request), len(c.Data), len(c.Limit))
	}
}
