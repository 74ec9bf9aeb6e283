package envelope_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
)

// readAs sends params as the body of a request with contentType and returns
// what ReadParams makes of it: the parameters, or the code of its
// parameter-error.
func readAs(t *testing.T, contentType string, body []byte) ([]byte, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/api/v1/x/y?params=%7B%22query%22%3A1%7D", bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	params, err := envelope.ReadParams(r, envelope.ParamsOptions{MaxBytes: 1 << 20, MaxDepth: 8})
	if err != nil {
		var e *envelope.Error
		require.True(t, errors.As(err, &e), "%v is not an *envelope.Error", err)
		require.Equal(t, envelope.StatusParameterError, e.Status)
		require.NotEmpty(t, e.Code)
		require.NotEmpty(t, e.Message)
		return nil, e.Code
	}
	return params, ""
}

// FuzzFormParamsAgreeWithJSON checks the form path of the parameter
// reader (CONTRACT R4) against its JSON path: the same parameters sent as a
// JSON body, as the "params" field of a urlencoded form and as the "params"
// field of a multipart form, beside another field, are accepted alike, as
// the same bytes, or refused alike, with the same code. The query string
// never carries parameters.
func FuzzFormParamsAgreeWithJSON(f *testing.F) {
	for _, seed := range []struct{ params, other string }{
		{`{"to":["a@example.com"],"page":1}`, "x"},
		{``, ""},
		{`   `, "y"},
		{`{"a":1,"a":2}`, ""},
		{`{"a":"\ud800"}`, ""},
		{"{\"a\":\"\xff\"}", ""},
		{`[1]`, ""},
		{`{"a":[[[[[[[[[[1]]]]]]]]]]}`, ""},
		{`{"a":1} {}`, ""},
		{`{"a":1e400,"b":-0.0000e-99999}`, "&params=x"},
		{"{\"a\":\"--\r\n\"}", "\r\n--"},
	} {
		f.Add([]byte(seed.params), seed.other)
	}
	f.Fuzz(func(t *testing.T, params []byte, other string) {
		fromJSON, jsonCode := readAs(t, "application/json", params)

		form := url.Values{"params": {string(params)}, "other": {other}}
		fromForm, formCode := readAs(t, "application/x-www-form-urlencoded", []byte(form.Encode()))
		require.Equal(t, jsonCode, formCode, "urlencoded form and JSON body disagree on %q", params)
		require.Equal(t, string(fromJSON), string(fromForm), "urlencoded form and JSON body disagree on %q", params)

		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		require.NoError(t, mw.WriteField("other", other))
		require.NoError(t, mw.WriteField("params", string(params)))
		require.NoError(t, mw.Close())
		if bytes.Contains(params, []byte(mw.Boundary())) || bytes.Contains([]byte(other), []byte(mw.Boundary())) {
			return // a part that holds its boundary ends there: not the same parameters
		}
		fromMultipart, multipartCode := readAs(t, mw.FormDataContentType(), body.Bytes())
		require.Equal(t, jsonCode, multipartCode, "multipart form and JSON body disagree on %q", params)
		require.Equal(t, string(fromJSON), string(fromMultipart), "multipart form and JSON body disagree on %q", params)
	})
}
