package benchmarks

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVariantsAnswerTheSameEnvelope checks, once, that every variant of every
// payload answers a correct envelope with the same flags and data (the bare
// variants the data alone), so that the benchmark cannot silently measure a
// broken path.
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

// TestFiberAnswersTheSameEnvelope is TestVariantsAnswerTheSameEnvelope for
// the fiber peer, served on loopback as cmd/loadgen serves it.
func TestFiberAnswersTheSameEnvelope(t *testing.T) {
	for _, c := range Cases() {
		t.Run(c.Payload, func(t *testing.T) {
			app := c.Fiber()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			served := make(chan error, 1)
			go func() { served <- app.Listener(ln) }()
			t.Cleanup(func() {
				assert.NoError(t, app.Shutdown())
				assert.NoError(t, <-served)
			})
			url := "http://" + ln.Addr().String() + Path
			for range 3 {
				resp, err := http.Post(url, "application/json", bytes.NewReader(c.Request))
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				w := NewWriter()
				w.Keep = true
				for k, v := range resp.Header {
					w.Header()[k] = v
				}
				w.WriteHeader(resp.StatusCode)
				w.Write(body)
				checkEnvelope(t, c, "fiber", w)
			}
		})
	}
}

// TestVariantGroups checks that the groups the table's targets are made of
// name variants that exist.
func TestVariantGroups(t *testing.T) {
	for _, name := range Peers {
		assert.Contains(t, VariantNames, name)
	}
	require.NotEmpty(t, Adapters)
	for action, bare := range Adapters {
		assert.Contains(t, VariantNames, action)
		assert.Contains(t, VariantNames, bare)
	}
	assert.Equal(t, len(VariantNames), len(slices.Compact(slices.Sorted(slices.Values(VariantNames)))), "a variant named twice")
}

func checkEnvelope(t *testing.T, c Case, name string, w *Writer) {
	t.Helper()
	require.Equal(t, 200, w.Code)
	assert.True(t, strings.HasPrefix(w.Header().Get("Content-Type"), "application/json"), w.Header().Get("Content-Type"))
	assert.Equal(t, len(w.Body), w.N)
	got := bytes.TrimSuffix(w.Body, []byte("\n"))
	if strings.HasPrefix(name, "bare") { // the data alone, no envelope
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
