package middleware_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
)

// whole is one envelope read off the wire, checked against SPEC S1, S2,
// S5 and S6 by parseWhole.
type whole struct {
	Code    int
	Header  http.Header
	Status  envelope.Status
	Flags   map[string]any
	Data    json.RawMessage
	ErrCode string // data.code, for statuses other than success
	ErrMsg  string // data.message
}

// parseWhole checks that body is exactly one envelope, whole: the right
// Content-Type and Content-Length, one JSON object with the keys status,
// time, flags and data in that order and nothing after it, a known status
// carried by its HTTP status, and on every status but success data with a
// code and a message.
func parseWhole(t testing.TB, code int, header http.Header, body []byte) whole {
	t.Helper()
	w := whole{Code: code, Header: header}
	require.Contains(t, []int{http.StatusOK, http.StatusInternalServerError, http.StatusServiceUnavailable}, code, "HTTP status; body %q", body)
	require.Equal(t, "application/json; charset=utf-8", header.Get("Content-Type"), "body %q", body)
	require.Equal(t, strconv.Itoa(len(body)), header.Get("Content-Length"), "Content-Length of %q", body)
	require.True(t, json.Valid(body), "not one JSON value: %q", body)

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok, "body %q", body)
	var keys []string
	var time json.Number
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		key := tok.(string)
		keys = append(keys, key)
		switch key {
		case "status":
			require.NoError(t, dec.Decode(&w.Status))
		case "time":
			require.NoError(t, dec.Decode(&time), "time in %q", body)
		case "flags":
			require.NoError(t, dec.Decode(&w.Flags), "flags in %q", body)
		default:
			var raw json.RawMessage
			require.NoError(t, dec.Decode(&raw))
			if key == "data" {
				w.Data = raw
			}
		}
	}
	require.Equal(t, []string{"status", "time", "flags", "data"}, keys, "keys of %q", body)
	secs, err := time.Float64()
	require.NoError(t, err, "time %q", time)
	require.Greater(t, secs, 0.0, "time")
	require.NotNil(t, w.Flags, "flags must be an object: %q", body)
	require.Equal(t, w.Status.HTTPStatus(), code, "HTTP status of %q", w.Status)
	switch w.Status {
	case envelope.StatusSuccess:
	case envelope.StatusParameterError, envelope.StatusValidationError, envelope.StatusAccessDenied,
		envelope.StatusNotFound, envelope.StatusError, envelope.StatusInternalServerError, envelope.StatusServiceUnavailable:
		var data struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(w.Data, &data), "data of %q", body)
		require.NotNil(t, data.Code, "data.code of %q", body)
		require.NotNil(t, data.Message, "data.message of %q", body)
		require.NotEmpty(t, *data.Code, "data.code of %q", body)
		require.NotEmpty(t, *data.Message, "data.message of %q", body)
		w.ErrCode, w.ErrMsg = *data.Code, *data.Message
	default:
		require.Failf(t, "unknown status", "%q in %q", w.Status, body)
	}
	return w
}
