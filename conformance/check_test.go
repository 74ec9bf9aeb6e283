package conformance

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonResponse(code int, body string) *response {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return &response{code: code, header: h, body: []byte(body), contentLength: int64(len(body))}
}

const okBody = `{"status":"success","time":0.000123,"flags":{},"data":{"id":1}}`

func TestCheckGeneric(t *testing.T) {
	tests := []struct {
		name string
		resp func() *response
		want string // the one problem expected; "" for none
	}{
		{"success", func() *response { return jsonResponse(200, okBody) }, ""},
		{"error", func() *response {
			return jsonResponse(200, `{"status":"error","time":1,"flags":{"x":1},"data":{"code":"NoRecipients","message":"No recipients"}}`)
		}, ""},
		{"validation-error", func() *response {
			return jsonResponse(200, `{"status":"validation-error","time":0,"flags":{},"data":{"code":"ValidationFailed","message":"m","errors":{"to":["is bad"]}}}`)
		}, ""},
		{"503 with Retry-After", func() *response {
			r := jsonResponse(503, `{"status":"service-unavailable","time":0,"flags":{},"data":{"code":"ServiceUnavailable","message":"m"}}`)
			r.header.Set("Retry-After", "30")
			return r
		}, ""},
		{"404", func() *response { return jsonResponse(404, okBody) }, "S6: HTTP 404 is not an allowed status"},
		{"400", func() *response { return jsonResponse(400, okBody) }, "S6: HTTP 400 is not an allowed status"},
		{"text/html", func() *response {
			r := jsonResponse(200, okBody)
			r.header.Set("Content-Type", "text/html")
			return r
		}, `S1: Content-Type is "text/html"`},
		{"no charset", func() *response {
			r := jsonResponse(200, okBody)
			r.header.Set("Content-Type", "application/json")
			return r
		}, "S1: Content-Type is"},
		{"no Content-Length", func() *response { r := jsonResponse(200, okBody); r.contentLength = -1; return r }, "S1: Content-Length is not set"},
		{"chunked", func() *response { r := jsonResponse(200, okBody); r.chunked = true; return r }, "S1: Content-Length is not set"},
		{"wrong Content-Length", func() *response { r := jsonResponse(200, okBody); r.contentLength = 3; return r }, "S1: Content-Length is 3 but the body has"},
		{"empty", func() *response { return jsonResponse(200, "") }, "S1: the body is empty"},
		{"two objects", func() *response { return jsonResponse(200, okBody+okBody) }, "S1: the body holds 2 JSON values, want one"},
		{"two values", func() *response { return jsonResponse(200, okBody+"\n"+`"more"`) }, "S1: the body holds 2 JSON values, want one"},
		{"an object and garbage", func() *response { return jsonResponse(200, okBody+"garbage") }, "S1: the body is not one valid JSON value"},
		{"array", func() *response { return jsonResponse(200, "["+okBody+"]") }, "S1: the body is not a JSON object"},
		{"key order", func() *response {
			return jsonResponse(200, `{"status":"success","flags":{},"time":0.1,"data":null}`)
		}, "S1: keys are in the order status, flags, time, data"},
		{"extra key", func() *response {
			return jsonResponse(200, `{"status":"success","time":0.1,"flags":{},"data":null,"extra":1}`)
		}, `S1: unexpected key "extra"`},
		{"duplicate key", func() *response {
			return jsonResponse(200, `{"status":"success","time":0.1,"flags":{},"data":null,"data":1}`)
		}, `S1: key "data" appears twice`},
		{"no status", func() *response { return jsonResponse(200, `{"time":0.1,"flags":{},"data":null}`) }, `S2: "status" is missing`},
		{"unknown status", func() *response {
			return jsonResponse(200, `{"status":"ok","time":0.1,"flags":{},"data":null}`)
		}, `S2: status "ok" is not one of the contract's statuses`},
		{"status and HTTP disagree", func() *response {
			return jsonResponse(500, `{"status":"error","time":0.1,"flags":{},"data":{"code":"X","message":"m"}}`)
		}, `S2: status "error" must come with HTTP 200, not 500`},
		{"no time", func() *response { return jsonResponse(200, `{"status":"success","flags":{},"data":null}`) }, `S3: "time" is missing`},
		{"time string", func() *response {
			return jsonResponse(200, `{"status":"success","time":"0.1","flags":{},"data":null}`)
		}, "S3: time is not a number"},
		{"negative time", func() *response {
			return jsonResponse(200, `{"status":"success","time":-0.5,"flags":{},"data":null}`)
		}, "S3: time is negative"},
		{"no flags", func() *response { return jsonResponse(200, `{"status":"success","time":0.1,"data":null}`) }, `S4: "flags" is missing`},
		{"flags array", func() *response {
			return jsonResponse(200, `{"status":"success","time":0.1,"flags":[],"data":null}`)
		}, "S4: flags is not an object"},
		{"no data", func() *response { return jsonResponse(200, `{"status":"success","time":0.1,"flags":{}}`) }, `S5: "data" is missing`},
		{"error data not object", func() *response {
			return jsonResponse(200, `{"status":"error","time":0.1,"flags":{},"data":"oops"}`)
		}, `S5: data of a "error" envelope is not an object`},
		{"no code", func() *response {
			return jsonResponse(200, `{"status":"not-found","time":0.1,"flags":{},"data":{"message":"m"}}`)
		}, `S5: data.code is missing from a "not-found" envelope`},
		{"snake code", func() *response {
			return jsonResponse(200, `{"status":"error","time":0.1,"flags":{},"data":{"code":"no_recipients","message":"m"}}`)
		}, `S5: data.code "no_recipients" is not CamelCase`},
		{"no message", func() *response {
			return jsonResponse(200, `{"status":"error","time":0.1,"flags":{},"data":{"code":"X"}}`)
		}, `S5: data.message is missing`},
		{"empty message", func() *response {
			return jsonResponse(200, `{"status":"error","time":0.1,"flags":{},"data":{"code":"X","message":""}}`)
		}, `S5: data.message is not a non-empty string`},
		{"validation-error without errors", func() *response {
			return jsonResponse(200, `{"status":"validation-error","time":0,"flags":{},"data":{"code":"ValidationFailed","message":"m"}}`)
		}, `S5: data.errors of a validation-error`},
		{"bad Retry-After", func() *response {
			r := jsonResponse(200, okBody)
			r.header.Set("Retry-After", "soon")
			return r
		}, `S5: Retry-After "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := checkGeneric(tt.resp(), false)
			if tt.want == "" {
				assert.Empty(t, p)
				return
			}
			require.Len(t, p, 1, "%q", p)
			assert.True(t, strings.HasPrefix(p[0], tt.want), "got %q, want it to start with %q", p[0], tt.want)
		})
	}
}

func TestCheckHTTPSRequired(t *testing.T) {
	sent, err := url.Parse("http://api.example.test:8080/api/v1/a/b?x=1")
	require.NoError(t, err)
	target, err := url.Parse("https://api.example.test:8443/api/v1/a/b")
	require.NoError(t, err)
	redirect := func(code int, loc, body string) *response {
		return &response{code: code, header: http.Header{"Location": {loc}}, body: []byte(body), contentLength: int64(len(body))}
	}
	reject := jsonResponse(200, `{"status":"error","time":0,"flags":{},"data":{"code":"HTTPSRequired","message":"Use HTTPS"}}`)
	tests := []struct {
		name   string
		resp   *response
		mode   string
		target *url.URL
		want   string
	}{
		{"308", redirect(308, "https://api.example.test:8443/api/v1/a/b?x=1", ""), "", target, ""},
		{"301", redirect(301, "https://api.example.test:8443/api/v1/a/b?x=1", ""), "", target, ""},
		{"308 to the default port", redirect(308, "https://api.example.test/api/v1/a/b?x=1", ""), "", &url.URL{Scheme: "https", Host: "api.example.test"}, ""},
		{"443 spelt out", redirect(308, "https://api.example.test:443/api/v1/a/b?x=1", ""), "", &url.URL{Scheme: "https", Host: "api.example.test"}, ""},
		{"reject", reject, "", target, ""},
		{"reject when 308 wanted", reject, "308", target, "got HTTP 200"},
		{"301 when 308 wanted", redirect(301, "https://api.example.test:8443/api/v1/a/b?x=1", ""), "308", target, "got HTTP 301"},
		{"302", redirect(302, "https://api.example.test:8443/api/v1/a/b?x=1", ""), "", target, "got HTTP 302"},
		{"to http", redirect(308, "http://api.example.test/api/v1/a/b?x=1", ""), "", target, "the redirect goes to \"http://"},
		{"other host", redirect(308, "https://evil.example.test/api/v1/a/b?x=1", ""), "", target, `the redirect goes to host "evil.example.test"`},
		{"back to the plain port", redirect(308, "https://api.example.test:8080/api/v1/a/b?x=1", ""), "", target,
			"the redirect goes to port 8080, the plain-HTTP port the request came in on, want the HTTPS port 8443"},
		{"to the default port", redirect(308, "https://api.example.test/api/v1/a/b?x=1", ""), "", target, "the redirect goes to port 443, want the HTTPS port 8443"},
		{"query dropped", redirect(308, "https://api.example.test:8443/api/v1/a/b", ""), "", target, "want the same path and query"},
		{"no Location", redirect(308, "", ""), "", target, "the redirect has no usable Location"},
		{"with body", redirect(308, "https://api.example.test:8443/api/v1/a/b?x=1", "<a href>moved</a>"), "", target, "the redirect has a body"},
		{"handler ran", jsonResponse(200, okBody), "", target, `got HTTP 200 with status "success", want 308 to https or 301 to https or 200 error HTTPSRequired`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, generic := checkHTTPSRequired(tt.resp, sent, tt.target, tt.mode)
			assert.Empty(t, generic)
			if tt.want == "" {
				assert.Empty(t, p)
				return
			}
			require.NotEmpty(t, p)
			assert.Contains(t, p[0], tt.want)
		})
	}
}

// A failed redirect check names R2 first, then what the answer breaks of
// the generic rules.
func TestHTTPSRequiredNamesR2First(t *testing.T) {
	opts := &Options{}
	rn := &runner{opts: opts, https: &url.URL{Scheme: "https", Host: "h"}, plain: &url.URL{Scheme: "http", Host: "h"}}
	c := &Case{Rule: "R2", Expect: Expect{HTTPSRequired: true}}
	ran := jsonResponse(200, `{"status":"success","time":0.1,"flags":[],"data":null}`)
	p, _ := rn.evaluate(c, &url.URL{Scheme: "http", Host: "h", Path: "/a"}, ran)
	require.Len(t, p, 2, "%q", p)
	assert.Equal(t, `R2: got HTTP 200 with status "success", want 308 to https or 301 to https or 200 error HTTPSRequired`, p[0])
	assert.True(t, strings.HasPrefix(p[1], "S4: flags is not an object"), p[1])
}

func TestGeneratedBodies(t *testing.T) {
	o := &Options{Params: `{"page":1,"to":["a"]}`, IntField: "page", RequiredField: "to"}
	body := func(g BodyGen) string {
		b, _, err := o.body(&Request{Generate: &g})
		require.NoError(t, err)
		return string(b)
	}
	assert.Len(t, body(BodyGen{Kind: "large", Bytes: 2 << 20}), 2<<20)
	nested := body(BodyGen{Kind: "nested", Depth: 100000})
	assert.Equal(t, 100000, strings.Count(nested, "["))
	assert.Equal(t, `{"page":"x","to":["a"]}`, body(BodyGen{Kind: "params", Set: map[string]any{"$int_field": "x"}}))
	assert.Equal(t, `{"page":1}`, body(BodyGen{Kind: "params", Delete: []string{"$required_field"}}))
	assert.Equal(t, `{"page":1,"to":["a"],"page":1}`, body(BodyGen{Kind: "params", Repeat: []string{"$int_field"}}))
	assert.Equal(t, `{"PAGE":"x","page":1,"to":["a"]}`, body(BodyGen{Kind: "params", Set: map[string]any{"$int_field_upper": "x"}}))
	assert.Equal(t, "params=%7B%22page%22%3A1%2C%22to%22%3A%5B%22a%22%5D%7D", body(BodyGen{Kind: "form"}))
	_, ct, err := o.body(&Request{Generate: &BodyGen{Kind: "multipart"}})
	require.NoError(t, err)
	assert.Contains(t, ct, "multipart/form-data; boundary=")
}

// No answer, however broken, makes the checks panic: the probe faces
// servers it does not trust.
func FuzzCheckGeneric(f *testing.F) {
	f.Add(200, okBody)
	f.Add(200, `{"status":"validation-error","time":0,"flags":{"paginated":{"page":1},"sorted":[]},"data":{"code":"X","message":"m","errors":{"a":[1]}}}`)
	f.Add(503, `{"status":"error","time":"1","flags":null,"data":[],"data":{}}`)
	f.Add(308, "")
	f.Fuzz(func(t *testing.T, code int, body string) {
		resp := jsonResponse(code, body)
		resp.elapsed = 1
		checkGeneric(resp, false)
		u, _ := url.Parse("http://h/p?q")
		resp.header.Set("Location", body)
		checkHTTPSRequired(resp, u, &url.URL{Scheme: "https", Host: "h"}, "")
	})
}
