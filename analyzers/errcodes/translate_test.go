package errcodes

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
)

// TestTranslate checks translate against what the Envelope middleware
// makes of each HTTP status a wrapped handler writes.
func TestTranslate(t *testing.T) {
	for status := 200; status < 600; status++ {
		h := envelope.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
		}), envelope.Options{})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/x/y", nil))
		var answer struct {
			Status string `json:"status"`
			Data   struct {
				Code string `json:"code"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &answer), rec.Body.String())

		c, ok := translate(status)
		if !ok {
			assert.Equal(t, "success", answer.Status, strconv.Itoa(status))
			continue
		}
		assert.Equal(t, Code{answer.Status, answer.Data.Code}, c, strconv.Itoa(status))
	}
}
