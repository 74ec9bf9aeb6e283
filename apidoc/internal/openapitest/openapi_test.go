package openapitest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/envelope"
)

const testKey = "test-key"

var versions = []string{"3.1", "3.0"}

// load returns the demo's published document (no development mode), as
// kin-openapi reads it.
func load(t *testing.T, version string) *openapi3.T {
	t.Helper()
	b, err := demo.New(demo.Config{APIKey: testKey}).Describe().OpenAPI(apidoc.OpenAPIOptions{Version: version})
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(b)
	require.NoError(t, err)
	return doc
}

// admitNull makes kin-openapi read a schema with no type as JSON Schema
// (and OpenAPI 3.0.3) does: any value, null included. kin-openapi v0.153.0
// reads it as refusing null in both versions, where the document, to be
// read rightly by generators and linters, says {}. Only the validator's
// copy changes.
func admitNull(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Type == nil && s.Not == nil && len(s.Enum) == 0 && len(s.Properties) == 0 &&
			len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0 {
			if doc.IsOpenAPI31OrLater() {
				s.Type = &openapi3.Types{"null", "boolean", "number", "string", "array", "object"}
			} else {
				s.Nullable = true
			}
			return
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, list := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
			for _, alt := range list {
				walk(alt)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
}

// TestDocumentsAreValid has kin-openapi validate both renderings.
func TestDocumentsAreValid(t *testing.T) {
	for _, v := range versions {
		t.Run(v, func(t *testing.T) {
			doc := load(t, v)
			require.NoError(t, doc.Validate(context.Background()))
			assert.Equal(t, v == "3.1", doc.IsOpenAPI31OrLater())
			assert.Len(t, doc.Paths.Map(), 5, "one path per action of the demo")
		})
	}
}

// exchange is one request the demo answered, as a client saw it.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// recorder serves the demo and keeps every exchange.
type recorder struct {
	h  http.Handler
	mu sync.Mutex
	ex []exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &tee{ResponseWriter: w}
	clone := r.Clone(context.Background())
	defer func() {
		// A handler that aborts (http.ErrAbortHandler) sends nothing to
		// check; its panic goes on to the caller.
		if v := recover(); v != nil {
			panic(v)
		}
		rec.mu.Lock()
		rec.ex = append(rec.ex, exchange{req: clone, status: tw.code, header: w.Header().Clone(), body: tw.body.Bytes()})
		rec.mu.Unlock()
	}()
	rec.h.ServeHTTP(tw, r)
}

// tee passes what the handler writes on, and keeps a copy.
type tee struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (t *tee) WriteHeader(code int) {
	if t.code == 0 {
		t.code = code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tee) Write(b []byte) (int, error) {
	if t.code == 0 {
		t.code = http.StatusOK
	}
	t.body.Write(b)
	return t.ResponseWriter.Write(b)
}

func (t *tee) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// TestAnswersMatchTheDocument drives every action of the demo to each of
// its outcomes, then runs the conformance suite against it, and checks
// every answer against the document: an answer to an operation with
// kin-openapi's openapi3filter.ValidateResponse (so its data.code is one
// the operation declares), any other answer against the toolkit's routing
// errors. It also checks that every error the demo declares was seen.
func TestAnswersMatchTheDocument(t *testing.T) {
	rec := &recorder{}
	drive(t, rec)
	runConformance(t, rec)
	require.NotEmpty(t, rec.ex)
	t.Logf("%d answers", len(rec.ex))

	for _, v := range versions {
		t.Run(v, func(t *testing.T) {
			doc := load(t, v)
			admitNull(doc)
			seen := map[string]bool{} // path + " " + code
			for _, ex := range rec.ex {
				check(t, doc, ex, seen)
			}
			for _, a := range demo.New(demo.Config{}).Describe().Actions {
				for _, e := range a.Errors {
					assert.True(t, seen[a.Path+" "+e.Code], "%s declares %s; no test produced it", a.Path, e.Code)
				}
			}
		})
	}
}

func check(t *testing.T, doc *openapi3.T, ex exchange, seen map[string]bool) {
	t.Helper()
	name := ex.req.Method + " " + ex.req.URL.Path
	var item *openapi3.PathItem
	if doc.Paths != nil {
		item = doc.Paths.Value(ex.req.URL.Path)
	}
	var op *openapi3.Operation
	if item != nil {
		op = item.GetOperation(ex.req.Method)
	}
	var data struct {
		Code string `json:"code"`
	}
	var env struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	if ex.status != http.StatusPermanentRedirect && ex.status != http.StatusMovedPermanently {
		if !assert.NoError(t, json.Unmarshal(ex.body, &env), "%s: %s", name, ex.body) {
			return
		}
		_ = json.Unmarshal(env.Data, &data)
	}
	if op == nil {
		checkUnrouted(t, doc, ex, name, env.Status, data.Code)
		return
	}
	seen[ex.req.URL.Path+" "+data.Code] = true
	if ex.status == http.StatusPermanentRedirect {
		// openapi3filter does not check redirects: the document must
		// list it, and the answer must say where to go.
		assert.NotNil(t, op.Responses.Status(ex.status), "%s: 308 is not documented", name)
		assert.True(t, strings.HasPrefix(ex.header.Get("Location"), "https://"), "%s: Location %q", name, ex.header.Get("Location"))
		return
	}
	route := &routers.Route{Spec: doc, Path: ex.req.URL.Path, PathItem: item, Method: ex.req.Method, Operation: op}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: ex.req, Route: route},
		Status:                 ex.status,
		Header:                 ex.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(ex.body)
	assert.NoError(t, openapi3filter.ValidateResponse(context.Background(), in), "%s answered %d %s", name, ex.status, ex.body)
}

// checkUnrouted checks an answer to a request that is no operation of the
// document: another method, a path no action has, or the development-only
// debug/panic action.
func checkUnrouted(t *testing.T, doc *openapi3.T, ex exchange, name, status, code string) {
	t.Helper()
	switch ex.status {
	case http.StatusPermanentRedirect:
		assert.True(t, strings.HasPrefix(ex.header.Get("Location"), "https://"), "%s: Location %q", name, ex.header.Get("Location"))
		return
	case http.StatusInternalServerError, http.StatusServiceUnavailable:
		component := "InternalServerErrorEnvelope"
		if ex.status == http.StatusServiceUnavailable {
			component = "ServiceUnavailableEnvelope"
		}
		var v any
		require.NoError(t, json.Unmarshal(ex.body, &v))
		var opts []openapi3.SchemaValidationOption
		if doc.IsOpenAPI31OrLater() {
			opts = append(opts, openapi3.EnableJSONSchema2020())
		}
		assert.NoError(t, doc.Components.Schemas[component].Value.VisitJSON(v, opts...), "%s answered %d %s", name, ex.status, ex.body)
		return
	}
	var codes []string
	for _, e := range apidoc.RoutingErrors() {
		codes = append(codes, e.Code)
	}
	codes = append(codes, envelope.CodeHTTPSRequired)
	// A CORS preflight, where CORS is on, is a success with null data.
	if status == string(envelope.StatusSuccess) && ex.req.Method == http.MethodOptions {
		return
	}
	assert.Equal(t, string(envelope.StatusError), status, "%s: %s", name, ex.body)
	assert.Contains(t, codes, code, "%s: a code the toolkit does not document for requests outside the operations: %s", name, ex.body)
}

// drive calls every action of the demo, to each of its outcomes.
func drive(t *testing.T, rec *recorder) {
	api := demo.New(demo.Config{APIKey: testKey, HTTPSPort: 443})
	rec.h = api
	srv := httptest.NewUnstartedServer(rec)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	plain := httptest.NewServer(rec)
	t.Cleanup(plain.Close)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	call := func(base, method, action, body string, header map[string]string) string {
		t.Helper()
		req, err := http.NewRequest(method, base+"/api/v1/"+action, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}
	key := map[string]string{"X-Server-API-Key": testKey}
	post := func(action, body string) string { return call(srv.URL, http.MethodPost, action, body, key) }

	addresses := func(n int) string {
		list := make([]string, n)
		for i := range list {
			list[i] = fmt.Sprintf("%q", fmt.Sprintf("r%d@example.com", i))
		}
		return "[" + strings.Join(list, ",") + "]"
	}
	b64 := base64.StdEncoding.EncodeToString
	sent := post("send/message", `{"to":["Ann <ann@example.com>"],"cc":["bob@example.com"],"from":"me@example.com","subject":"Hi","tag":"t","plain_body":"Hello","html_body":"<p>Hello</p>","headers":{"X-A":"1"},"attachments":[{"name":"a.txt","data":"`+b64([]byte("hi"))+`"}]}`)
	require.Contains(t, sent, `"status":"success"`)
	for _, body := range []string{
		`{}`,
		`{"to":` + addresses(51) + `,"from":"me@example.com","plain_body":"x"}`,
		`{"to":["a@example.com"],"cc":` + addresses(51) + `,"from":"me@example.com","plain_body":"x"}`,
		`{"to":["a@example.com"],"bcc":` + addresses(51) + `,"from":"me@example.com","plain_body":"x"}`,
		`{"to":["a@example.com"],"from":"me@example.com"}`,
		`{"to":["a@example.com"],"plain_body":"x"}`,
		`{"to":["a@example.com"],"from":"me@example.com","plain_body":"x","attachments":[{"data":"eA=="}]}`,
		`{"to":["a@example.com"],"from":"me@example.com","plain_body":"x","attachments":[{"name":"a"}]}`,
		`{"to":["a@example.com"],"from":"me@example.com","plain_body":"x","attachments":[{"name":"a","data":"%%%"}]}`,
		`{"to":"a@example.com"}`,
		`{"to":`,
	} {
		post("send/message", body)
	}

	raw := b64([]byte("Subject: hi\r\nMessage-Id: <x@example.com>\r\n\r\nhi"))
	post("send/raw", `{"rcpt_to":["ann@example.com"],"mail_from":"me@example.com","data":"`+raw+`"}`)
	post("send/raw", `{"rcpt_to":[],"mail_from":"me@example.com","data":"`+b64([]byte("hi"))+`"}`)
	post("send/raw", `{"mail_from":"me@example.com","data":"eA=="}`)
	post("send/raw", `{"rcpt_to":["a@example.com"],"mail_from":" ","data":"eA=="}`)
	post("send/raw", `{"rcpt_to":["a@example.com"],"mail_from":"me@example.com","data":"%%%"}`)

	for _, body := range []string{
		`{"id":1}`, `{"id":"1","_expansions":true}`, `{"id":1,"_expansions":["status","details","headers"]}`,
		`{"id":2,"_expansions":["plain_body","html_body","attachments","raw_message"]}`,
		`{"id":999}`, `{"id":"abc"}`, `{"id":true}`, `{"id":1,"_expansions":3}`, `{}`, `{"id":""}`,
	} {
		post("messages/message", body)
	}
	for _, body := range []string{`{"id":1}`, `{}`, `{"id":true}`, `{"id":999}`, `{"id":`} {
		post("messages/deliveries", body)
	}
	for _, body := range []string{`{}`, `{"page":2,"per_page":1}`, `{"page":"x"}`} {
		post("messages/list", body)
	}

	for _, action := range []string{"send/message", "send/raw", "messages/message", "messages/deliveries", "messages/list"} {
		call(srv.URL, http.MethodPost, action, `{}`, nil)
		call(srv.URL, http.MethodPost, action, `{}`, map[string]string{"X-Server-API-Key": "wrong"})
		call(srv.URL, http.MethodGet, action, ``, key)
		call(plain.URL, http.MethodPost, action, `{}`, key)
	}
	call(srv.URL, http.MethodPost, "send/fax", `{}`, key)

	api.SetMaintenance(true)
	post("messages/list", `{}`)
	api.SetMaintenance(false)
}

// runConformance runs the conformance suite against the demo, as the
// demo's own conformance test does, with every answer recorded.
func runConformance(t *testing.T, rec *recorder) {
	headers := http.Header{"X-Server-API-Key": {testKey}}
	t.Run("conformance messages/list", func(t *testing.T) {
		api := demo.New(demo.Config{
			APIKey:         testKey,
			HTTPSPort:      443,
			Dev:            true,
			TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")},
		})
		rec.h = api
		conformance.Run(t, rec, conformance.Options{
			Action:           "/api/v1/messages/list",
			Params:           `{"page":1,"per_page":5}`,
			Headers:          headers,
			IntField:         "page",
			PlainHTTP:        "308",
			ToolkitCodes:     true,
			Maintenance:      api.SetMaintenance,
			TrustedProxyAddr: "10.0.0.1:40000",
			PanicAction:      "/api/v1/debug/panic",
		})
	})
	t.Run("conformance send/raw", func(t *testing.T) {
		rec.h = demo.New(demo.Config{APIKey: testKey, HTTPSPort: 443})
		conformance.Run(t, rec, conformance.Options{
			Action:        "/api/v1/send/raw",
			Params:        `{"rcpt_to":["ann@example.com"],"mail_from":"me@example.com","data":"U3ViamVjdDogaGkNCg0KaGk="}`,
			Headers:       headers,
			RequiredField: "rcpt_to",
			PlainHTTP:     "308",
			ToolkitCodes:  true,
		})
	})
	require.True(t, slices.ContainsFunc(rec.ex, func(ex exchange) bool { return ex.status == http.StatusInternalServerError }), "the suite's panic case ran")
}
