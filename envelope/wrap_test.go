package envelope

import (
	"github.com/apienvelope/apienvelope/internal/statuscode"

	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrappedHandlers(t *testing.T) {
	writeJSON := func(code int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			fmt.Fprint(w, body)
		}
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		code    int
		status  Status
		data    string // the data, byte for byte, when set
		errCode string
		message string
		header  [2]string
	}{
		{name: "json 200 is embedded as it is", handler: writeJSON(200, `{"id": 1, "tags": ["a"]}`+"\n"), code: 200, status: StatusSuccess, data: `{"id": 1, "tags": ["a"]}`},
		{name: "json 201", handler: writeJSON(201, `[1,2]`), code: 200, status: StatusSuccess, data: `[1,2]`},
		{name: "json without a content type", handler: func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"a":1}`)) }, code: 200, status: StatusSuccess, data: `{"a":1}`},
		{name: "text 200 becomes a string", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("hello <world>\n"))
		}, code: 200, status: StatusSuccess, data: `"hello <world>"`},
		{name: "text that looks like JSON stays text", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("123"))
		}, code: 200, status: StatusSuccess, data: `"123"`},
		{name: "invalid JSON claimed as JSON becomes a string", handler: writeJSON(200, `{"a":`), code: 200, status: StatusSuccess, data: `"{\"a\":"`},
		{name: "invalid UTF-8 is replaced", handler: func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("a\xffb")) }, code: 200, status: StatusSuccess, data: "\"a\uFFFDb\""},
		{name: "204 is null", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }, code: 200, status: StatusSuccess, data: `null`},
		{name: "only headers is null", handler: func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Custom", "kept") }, code: 200, status: StatusSuccess, data: `null`, header: [2]string{"X-Custom", "kept"}},
		{name: "400 is parameter-error", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad page", 400) }, code: 200, status: StatusParameterError, errCode: "BadRequest", message: "bad page"},
		{name: "422 is validation-error with errors", handler: writeJSON(422, `{"message":"invalid","errors":{"email":["is taken"],"name":"is short"}}`), code: 200, status: StatusValidationError, errCode: "UnprocessableEntity", message: "invalid"},
		{name: "401 is access-denied", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "who are you", 401) }, code: 200, status: StatusAccessDenied, errCode: "Unauthorized", message: "who are you"},
		{name: "403 is access-denied", handler: writeJSON(403, `{"error":"forbidden here"}`), code: 200, status: StatusAccessDenied, errCode: "Forbidden", message: "forbidden here"},
		{name: "404 is not-found", handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, code: 200, status: StatusNotFound, errCode: "NotFound", message: "404 page not found"},
		{name: "405 is error", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(405) }, code: 200, status: StatusError, errCode: "MethodNotAllowed", message: "Method Not Allowed"},
		{name: "418 code from the status text", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(418) }, code: 200, status: StatusError, errCode: "ImATeapot"},
		{name: "unnamed 4xx", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(499) }, code: 200, status: StatusError, errCode: "Status499"},
		{name: "redirect is error with its location", handler: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", 302) }, code: 200, status: StatusError, errCode: "Found"},
		{name: "500 hides its body", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "stack: secret.go:12", 500) }, code: 500, status: StatusInternalServerError, errCode: CodeInternalServerError, message: "An internal error occurred"},
		{name: "502 is 500", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }, code: 500, status: StatusInternalServerError, errCode: CodeInternalServerError},
		{name: "503 keeps Retry-After", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			http.Error(w, "maintenance", 503)
		}, code: 503, status: StatusServiceUnavailable, errCode: "ServiceUnavailable", message: "maintenance", header: [2]string{"Retry-After", "120"}},
		{name: "owned headers are replaced, others kept", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("X-Trace", "t1")
			w.Write([]byte("x"))
		}, code: 200, status: StatusSuccess, header: [2]string{"X-Trace", "t1"}},
		{name: "envelope answer wins over raw output", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "raw", 404)
			Success(w, r, "answered")
		}, code: 200, status: StatusSuccess, data: `"answered"`},
		{name: "only the first status counts", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(404)
			w.WriteHeader(200)
		}, code: 200, status: StatusNotFound},
		{name: "invalid status code is a 500", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(42) }, code: 500, status: StatusInternalServerError},
		{name: "too much output is a 500", handler: func(w http.ResponseWriter, r *http.Request) {
			_, err := w.Write([]byte(strings.Repeat("x", 2000)))
			if err == nil {
				panic("the write over the limit must fail")
			}
		}, code: 500, status: StatusInternalServerError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := &Options{MaxCapturedBytes: 1024, Logger: slog.New(slog.DiscardHandler)}
			w := readEnvelope(t, serve(c.handler, opts, post("")))
			assert.Equal(t, c.code, w.Code)
			assert.Equal(t, c.status, w.Status)
			if c.data != "" {
				assert.Equal(t, c.data, string(w.RawData))
			}
			if c.errCode != "" {
				data := w.object(t)
				assert.Equal(t, c.errCode, data["code"])
				assert.Contains(t, data["message"], c.message)
			}
			if c.header[0] != "" {
				assert.Equal(t, c.header[1], w.Header.Get(c.header[0]))
			}
			assert.Empty(t, w.Header.Get("Content-Encoding"))
		})
	}
}

func TestWrappedValidationErrors(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		w.Write([]byte(`{"message":"invalid","errors":{"email":["is taken"],"name":"is short"}}`))
	})
	w := readEnvelope(t, serve(h, nil, post("")))
	assert.Equal(t, map[string]any{"email": []any{"is taken"}, "name": []any{"is short"}}, w.object(t)["errors"])
}

func TestWrappedRedirectKeepsItsLocation(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", 302) })
	w := readEnvelope(t, serve(h, nil, post("")))
	assert.Equal(t, "/elsewhere", w.object(t)["location"])
}

func TestCodeFromStatus(t *testing.T) {
	for code, want := range map[int]string{404: "NotFound", 418: "ImATeapot", 413: "RequestEntityTooLarge", 505: "HTTPVersionNotSupported", 299: "Status299"} {
		assert.Equal(t, want, statuscode.Code(code))
	}
}

func TestLongMessagesAreCut(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, strings.Repeat("é", 2000), 400) })
	w := readEnvelope(t, serve(h, nil, post("")))
	msg := w.object(t)["message"].(string)
	assert.LessOrEqual(t, len(msg), maxMessageBytes+len("…"))
	assert.True(t, strings.HasSuffix(msg, "…"))
}

// FuzzWrappedHandler checks the translation of whatever a wrapped handler
// writes: exactly one well-formed envelope with an allowed HTTP status, and
// a JSON success body sent byte for byte, with the flag set beside it, of
// whatever length.
func FuzzWrappedHandler(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"a":1}`), false, "")
	f.Add(404, "text/plain", []byte("not here"), false, "")
	f.Add(422, "application/json", []byte(`{"errors":{"a":["b"]},"message":1}`), true, "")
	f.Add(503, "", []byte("\xff\xfe"), false, "")
	f.Add(0, "application/problem+json", []byte(`{"error":"x"}`), true, "")
	f.Add(201, "application/json", []byte(" [1, \"two\"]\n"), false, "a flag")
	f.Add(200, "", []byte(`{"a":[true,null]}`), false, strings.Repeat("long flag ", 30))
	f.Fuzz(func(t *testing.T, code int, contentType string, body []byte, writeTwice bool, flag string) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if flag != "" {
				SetFlag(r.Context(), "f", flag)
			}
			w.Header().Set("Content-Type", contentType)
			if code != 0 {
				w.WriteHeader(code)
			}
			w.Write(body)
			if writeTwice {
				w.Write(body)
			}
		})
		opts := &Options{MaxCapturedBytes: 1 << 16, Logger: slog.New(slog.DiscardHandler)}
		rec := serve(h, opts, post(""))
		require.Contains(t, []int{200, 500, 503}, rec.Code)
		var env struct {
			Status Status          `json:"status"`
			Time   float64         `json:"time"`
			Flags  map[string]any  `json:"flags"`
			Data   json.RawMessage `json:"data"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), "%q", rec.Body.Bytes())
		require.True(t, knownStatus(env.Status))
		require.Equal(t, env.Status.HTTPStatus(), rec.Code)
		require.NotNil(t, env.Flags)
		if flag != "" && utf8.ValidString(flag) {
			assert.Equal(t, flag, env.Flags["f"])
		}
		written := body
		if writeTwice {
			written = append(slices.Clip(body), body...)
		}
		if env.Status == StatusSuccess && isJSONBody(contentType, bytes.TrimSpace(written)) {
			assert.Equal(t, string(bytes.TrimSpace(written)), string(env.Data))
		}
		if env.Status != StatusSuccess {
			var data struct{ Code, Message string }
			require.NoError(t, json.Unmarshal(env.Data, &data))
			require.NotEmpty(t, data.Code)
			require.NotEmpty(t, data.Message)
		}
	})
}

// Every header the envelope owns is the envelope's, whatever a wrapped
// handler set: Content-Type and Content-Length describe the envelope, the
// others are gone.
func TestWrappedHandlersLoseOwnedHeaders(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range map[string]string{
			"Content-Type": "application/json", "Content-Length": "999", "Content-Encoding": "gzip",
			"Content-Range": "bytes 0-6/7", "Transfer-Encoding": "chunked", "Trailer": "X-Sum", "Retry-After": "30",
			"X-Trace": "t1",
		} {
			w.Header().Set(k, v)
		}
		w.Write([]byte(`{"a":1}`))
	})
	rec := serve(h, nil, post(""))
	w := readEnvelope(t, rec)
	require.Equal(t, StatusSuccess, w.Status)
	assert.Equal(t, []string{"application/json; charset=utf-8"}, rec.Header().Values("Content-Type"))
	assert.Equal(t, []string{strconv.Itoa(rec.Body.Len())}, rec.Header().Values("Content-Length"))
	for _, k := range []string{"Content-Encoding", "Content-Range", "Transfer-Encoding", "Trailer", "Retry-After"} {
		assert.Empty(t, rec.Header().Values(k), k)
	}
	assert.Equal(t, "t1", rec.Header().Get("X-Trace"))
}
