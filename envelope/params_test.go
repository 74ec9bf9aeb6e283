package envelope

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func multipartBody(t *testing.T, fields ...[2]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		require.NoError(t, mw.WriteField(f[0], f[1]))
	}
	require.NoError(t, mw.Close())
	return b.String(), mw.FormDataContentType()
}

func TestReadParams(t *testing.T) {
	mpBody, mpType := multipartBody(t, [2]string{"params", `{"to":["a"]}`}, [2]string{"other", "x"})
	mpTwice, mpTwiceType := multipartBody(t, [2]string{"params", `{}`}, [2]string{"params", `{}`})
	mpNone, mpNoneType := multipartBody(t, [2]string{"other", "x"})
	cases := []struct {
		name        string
		contentType string
		body        string
		opts        ParamsOptions
		want        string // the parameters, when accepted
		code        string // the parameter-error code, when refused
		message     string // part of its message
	}{
		{name: "object", contentType: "application/json", body: `{"a":1}`, want: `{"a":1}`},
		{name: "charset utf-8", contentType: "application/json; charset=UTF-8", body: `{"a":1}`, want: `{"a":1}`},
		{name: "no content type", body: `{"a":1}`, want: `{"a":1}`},
		{name: "empty body", contentType: "application/json", body: ``, want: `{}`},
		{name: "blank body", contentType: "application/json", body: " \n\t", want: `{}`},
		{name: "spaces around", contentType: "application/json", body: " {\"a\" : [1, 2]}\n", want: " {\"a\" : [1, 2]}\n"},
		{name: "unicode", contentType: "application/json", body: `{"a":"é\u00e9\ud83d\ude00"}`, want: `{"a":"é\u00e9\ud83d\ude00"}`},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: `params=%7B%22a%22%3A1%7D`, want: `{"a":1}`},
		{name: "empty form", contentType: "application/x-www-form-urlencoded", body: ``, want: `{}`},
		{name: "multipart", contentType: mpType, body: mpBody, want: `{"to":["a"]}`},
		{name: "malformed", contentType: "application/json", body: `{"a":}`, code: CodeMalformedJSON, message: "byte 5"},
		{name: "unterminated", contentType: "application/json", body: `{"a":"x`, code: CodeMalformedJSON, message: "end before the object does"},
		{name: "single quotes", contentType: "application/json", body: `{'a':1}`, code: CodeMalformedJSON, message: "byte 1"},
		{name: "leading zero", contentType: "application/json", body: `{"a":01}`, code: CodeMalformedJSON},
		{name: "raw control character", contentType: "application/json", body: "{\"a\":\"\x01\"}", code: CodeMalformedJSON, message: "control character"},
		{name: "array", contentType: "application/json", body: `[1,2]`, code: CodeParametersNotObject, message: "not an array"},
		{name: "string", contentType: "application/json", body: `"x"`, code: CodeParametersNotObject, message: "not a string"},
		{name: "null", contentType: "application/json", body: `null`, code: CodeParametersNotObject, message: "not null"},
		{name: "number", contentType: "application/json", body: `12`, code: CodeParametersNotObject, message: "not a number"},
		{name: "trailing object", contentType: "application/json", body: `{"a":1}{"b":2}`, code: CodeTrailingData, message: "byte 7"},
		{name: "trailing garbage", contentType: "application/json", body: `{"a":1} x`, code: CodeTrailingData},
		{name: "too large", contentType: "application/json", body: `{"a":"` + strings.Repeat("x", 100) + `"}`, opts: ParamsOptions{MaxBytes: 64}, code: CodeBodyTooLarge, message: "64 bytes"},
		{name: "at the limit", contentType: "application/json", body: `{"a":"` + strings.Repeat("x", 56) + `"}`, opts: ParamsOptions{MaxBytes: 64}, want: `{"a":"` + strings.Repeat("x", 56) + `"}`},
		{name: "text/plain", contentType: "text/plain", body: `{"a":1}`, code: CodeUnsupportedContentType, message: `"text/plain"`},
		{name: "bad media type", contentType: "application/json; charset", body: `{}`, code: CodeUnsupportedContentType},
		{name: "latin-1", contentType: "application/json; charset=iso-8859-1", body: `{}`, code: CodeUnsupportedContentType, message: "utf-8"},
		{name: "invalid utf-8", contentType: "application/json", body: "{\"a\":\"\xc3\x28\"}", code: CodeInvalidUTF8, message: "byte 6"},
		{name: "invalid utf-8 in a key", contentType: "application/json", body: "{\"\xff\":1}", code: CodeInvalidUTF8},
		{name: "lone high surrogate", contentType: "application/json", body: `{"a":"\ud800x"}`, code: CodeInvalidUTF8, message: "surrogate"},
		{name: "lone low surrogate", contentType: "application/json", body: `{"a":"\udc00"}`, code: CodeInvalidUTF8, message: "surrogate"},
		{name: "reversed surrogates", contentType: "application/json", body: `{"a":"\udc00\ud800"}`, code: CodeInvalidUTF8},
		{name: "too deep", contentType: "application/json", body: `{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, code: CodeNestingTooDeep, message: "32 levels"},
		{name: "deep within the limit", contentType: "application/json", body: `{"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`, want: `{"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`},
		{name: "custom depth", contentType: "application/json", body: `{"a":{"b":{}}}`, opts: ParamsOptions{MaxDepth: 2}, code: CodeNestingTooDeep},
		{name: "duplicate key", contentType: "application/json", body: `{"to":1,"to":2}`, code: CodeDuplicateParameter, message: "`to`"},
		{name: "duplicate key spelled with an escape", contentType: "application/json", body: `{"to":1,"t\u006f":2}`, code: CodeDuplicateParameter},
		{name: "duplicate key in a nested object", contentType: "application/json", body: `{"a":{"x":1,"x":1}}`, code: CodeDuplicateParameter},
		{name: "same key in two objects", contentType: "application/json", body: `{"a":{"x":1},"b":{"x":1}}`, want: `{"a":{"x":1},"b":{"x":1}}`},
		{name: "huge number", contentType: "application/json", body: `{"a":1e999999}`, want: `{"a":1e999999}`},
		{name: "form without params", contentType: "application/x-www-form-urlencoded", body: `to=a`, code: CodeMalformedForm, message: "`params`"},
		{name: "form with params twice", contentType: "application/x-www-form-urlencoded", body: `params=%7B%7D&params=%7B%7D`, code: CodeDuplicateParameter},
		{name: "form with bad JSON", contentType: "application/x-www-form-urlencoded", body: `params=%5B%5D`, code: CodeParametersNotObject},
		{name: "bad form", contentType: "application/x-www-form-urlencoded", body: `params=%zz`, code: CodeMalformedForm},
		{name: "multipart twice", contentType: mpTwiceType, body: mpTwice, code: CodeDuplicateParameter},
		{name: "multipart without params", contentType: mpNoneType, body: mpNone, code: CodeMalformedForm},
		{name: "multipart without boundary", contentType: "multipart/form-data", body: mpBody, code: CodeUnsupportedContentType},
		{name: "broken multipart", contentType: mpType, body: mpBody[:20], code: CodeMalformedForm},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
			if c.contentType != "" {
				r.Header.Set("Content-Type", c.contentType)
			}
			got, err := ReadParams(r, c.opts)
			if c.code == "" {
				require.NoError(t, err)
				assert.Equal(t, c.want, string(got))
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, StatusParameterError, e.Status)
			assert.Equal(t, c.code, e.Code)
			assert.Contains(t, e.Message, c.message)
		})
	}
}

func TestReadParamsRefusesALargeContentLengthUnread(t *testing.T) {
	body := &countingReader{r: strings.NewReader(`{}`)}
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.ContentLength = 2 << 20
	_, err := ReadParams(r, ParamsOptions{})
	assert.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeBodyTooLarge})
	assert.Zero(t, body.n, "nothing may be read")
}

func TestReadParamsChunkedOverTheLimit(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(`{"a":"`), strings.NewReader(strings.Repeat("x", 2<<20))))
	r.ContentLength = -1
	_, err := ReadParams(r, ParamsOptions{})
	assert.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeBodyTooLarge})
}

func TestReadParamsBodyThatBreaks(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(`{"a":`), errReader{io.ErrUnexpectedEOF}))
	_, err := ReadParams(r, ParamsOptions{})
	assert.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeIncompleteBody})
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestReadParamsMaxBytesReader(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"a":"xxxxxxxxxxxxxxxx"}`))
	r.Body = http.MaxBytesReader(nil, r.Body, 8)
	r.ContentLength = -1
	_, err := ReadParams(r, ParamsOptions{})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeBodyTooLarge, e.Code)
	assert.Contains(t, e.Message, "8 bytes")
}

// TestReadParamsPutsTheBodyBack: a handler after ReadParams reads the
// parameters as a JSON body, even from a form, and Decode takes them.
func TestReadParamsPutsTheBodyBack(t *testing.T) {
	body := `params=%7B%22a%22%3A1%7D`
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	params, err := ReadParams(r, ParamsOptions{})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(params))
	again, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(again))
	assert.Equal(t, int64(len(`{"a":1}`)), r.ContentLength)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))

	var p struct {
		A int `json:"a"`
	}
	require.NoError(t, Decode(r, &p), "Decode after the body was read again")
	assert.Equal(t, 1, p.A)
	params, err = ReadParams(r, ParamsOptions{})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(params), "a second ReadParams reads nothing")
}

// TestReadParamsExtremeLimits: every size option is safe at its extremes.
func TestReadParamsExtremeLimits(t *testing.T) {
	for _, limit := range []int64{math.MaxInt64, math.MinInt64, -1, 0} {
		params, err := ReadParams(post(`{"a":1}`), ParamsOptions{MaxBytes: limit, MaxDepth: math.MaxInt})
		require.NoError(t, err, "MaxBytes %d", limit)
		assert.Equal(t, `{"a":1}`, string(params), "MaxBytes %d", limit)
	}
	_, err := ReadParams(post(`{"a":1}`), ParamsOptions{MaxBytes: 1})
	assert.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeBodyTooLarge})
	_, err = ReadParams(post(`{"a":[]}`), ParamsOptions{MaxDepth: 1})
	assert.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeNestingTooDeep})
}

// slowBody declares a large body and has sent only its first bytes.
type slowBody struct{ sent []byte }

func (b *slowBody) Read(p []byte) (int, error) {
	if len(b.sent) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, b.sent)
	b.sent = b.sent[n:]
	return n, nil
}

// TestBodyMemoryGrowsWithWhatArrives: a client that declares 1 MiB and
// sends a few bytes gets no 1 MiB buffer.
func TestBodyMemoryGrowsWithWhatArrives(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 50
	for range n {
		r := httptest.NewRequest(http.MethodPost, "/", &slowBody{sent: []byte(`{"a":`)})
		r.ContentLength = 1 << 20
		_, err := ReadParams(r, ParamsOptions{})
		require.ErrorIs(t, err, &Error{Status: StatusParameterError, Code: CodeIncompleteBody})
	}
	runtime.ReadMemStats(&after)
	perRequest := (after.TotalAlloc - before.TotalAlloc) / n
	assert.Less(t, perRequest, uint64(64<<10), "bytes allocated per request for a 5-byte body declared as 1 MiB")
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// FuzzReadParams checks the parameter reader on any body and content type:
// it never panics, refuses with a parameter-error only, and what it accepts
// is one JSON object, valid UTF-8, that encoding/json decodes.
func FuzzReadParams(f *testing.F) {
	for _, seed := range []struct{ ct, body string }{
		{"application/json", `{"to":["a@example.com"],"subject":"hi","page":1}`},
		{"application/json", `{"a":{"b":[1,2.5e3,-0,true,false,null,"\u00e9\ud83d\ude00\n"]}}`},
		{"application/json", `{"a":1,"a":2}`},
		{"application/json", `{"a":"\ud800"}`},
		{"application/json", "{\"a\":\"\xff\"}"},
		{"application/json", `[` + strings.Repeat("[", 50)},
		{"application/json", `{"a":1} {}`},
		{"", ``},
		{"application/x-www-form-urlencoded", `params=%7B%22a%22%3A1%7D`},
		{"multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{}\r\n--X--\r\n"},
		{"text/plain", `{}`},
	} {
		f.Add(seed.ct, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		params, err := ReadParams(r, ParamsOptions{MaxBytes: 4096, MaxDepth: 8})
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "%v is not an *Error", err)
			require.Equal(t, StatusParameterError, e.Status)
			require.NotEmpty(t, e.Code)
			require.NotEmpty(t, e.Message)
			return
		}
		require.True(t, utf8.Valid(params))
		var obj map[string]any
		require.NoError(t, json.Unmarshal(params, &obj), "accepted %q", params)
		require.NotNil(t, obj)
	})
}

// FuzzCheckParamsAgreesWithEncodingJSON checks ReadParams' check against
// encoding/json on syntax: parameters it accepts are valid JSON, and what it
// calls malformed is not.
func FuzzCheckParamsAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":null}]}`, `{"a":-0.5e+3}`, `{"a":"\"\\\/\b\f\n\r\t\u0041"}`, `{"a" 1}`, `{"a":1,}`, `{"a":[1,]}`, `{"a":tru}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := checkParams(data, 1000)
		valid := json.Valid(data)
		if err == nil {
			require.True(t, valid, "accepted invalid JSON %q", data)
			return
		}
		if err.Code == CodeMalformedJSON || err.Code == CodeTrailingData {
			require.False(t, valid, "refused valid JSON as malformed %q: %v", data, err)
		}
	})
}
