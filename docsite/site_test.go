package docsite_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
	"github.com/apienvelope/apienvelope/docsite"
)

// The APIs every site check runs on: the fixture, which uses every
// feature, and the demo.
func sites() map[string]func() (*apidoc.API, http.Handler) {
	return map[string]func() (*apidoc.API, http.Handler){
		"fixture": func() (*apidoc.API, http.Handler) { r := fixtureRouter(); return r.Describe(), r },
		"demo": func() (*apidoc.API, http.Handler) {
			d := demo.New(demo.Config{APIKey: "test-key"})
			return d.Describe(), d
		},
	}
}

// staticFiles renders every file of the site as WriteDir writes it.
func staticFiles(t *testing.T, api *apidoc.API) (*docsite.Site, map[string][]byte) {
	t.Helper()
	site, err := docsite.New(api, docsite.Options{Host: "https://api.example.com"})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, site.WriteDir(dir))
	files := map[string][]byte{}
	for _, p := range site.Paths() {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		require.NoError(t, err, p)
		files[p] = b
	}
	return site, files
}

// liveFiles gets every file of the site from the router that serves it,
// over TLS.
func liveFiles(t *testing.T, site *docsite.Site, h http.Handler) map[string][]byte {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	files := map[string][]byte{}
	for _, p := range site.Paths() {
		resp, err := srv.Client().Get(srv.URL + "/api/docs/v1/" + p)
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", p, b)
		files[p] = b
	}
	return files
}

// checkSite checks that every page parses as HTML and that every link
// inside the site resolves, to a file and to an id in it for a fragment.
// Links outside the site may only be the API's own actions (the "try it"
// forms) and the contact address.
func checkSite(t *testing.T, api *apidoc.API, files map[string][]byte) {
	t.Helper()
	pages := map[string]*checkedPage{}
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page, err := checkHTML(b)
		require.NoError(t, err, "%s does not parse", p)
		pages[p] = page
	}
	require.NotEmpty(t, pages)
	actionPaths := map[string]bool{}
	for _, a := range api.Actions {
		actionPaths[a.Path] = true
	}
	links := 0
	for p, page := range pages {
		internal, external, err := internalLinks(p, page.links)
		require.NoError(t, err, p)
		for _, l := range internal {
			target, fragment := l[0], l[1]
			_, ok := files[target]
			require.True(t, ok, "%s links to %s, which the site does not have", p, target)
			if fragment != "" {
				require.Contains(t, pages, target, "%s links to #%s of a file that is not a page", p, fragment)
				assert.True(t, pages[target].ids[fragment], "%s links to %s#%s, which has no such id", p, target, fragment)
			}
			links++
		}
		for _, l := range external {
			assert.True(t, actionPaths[l] || strings.HasPrefix(l, "mailto:"), "%s links outside the site: %s", p, l)
		}
	}
	assert.Greater(t, links, 10*len(pages), "every page has its menu")
}

func TestSitePages(t *testing.T) {
	for name, make := range sites() {
		t.Run(name, func(t *testing.T) {
			api, h := make()
			site, static := staticFiles(t, api)
			t.Run("written", func(t *testing.T) { checkSite(t, api, static) })
			live := liveFiles(t, site, h)
			t.Run("served", func(t *testing.T) { checkSite(t, api, live) })

			// One page per controller, per action and per authenticator.
			for _, a := range api.Actions {
				assert.Contains(t, static, "controllers/"+a.Controller+".html")
				assert.Contains(t, static, "controllers/"+a.Controller+"/"+a.Name+".html")
			}
			for _, a := range api.Authenticators {
				assert.Contains(t, static, "authenticators/"+a.Name+".html")
			}
			for _, p := range []string{"index.html", "assets/style.css", "assets/try.js", "openapi.json", "openapi-3.0.json"} {
				assert.Contains(t, static, p)
			}
			var doc map[string]any
			require.NoError(t, json.Unmarshal(static["openapi.json"], &doc))
			assert.Equal(t, "3.1.0", doc["openapi"])
		})
	}
}

// TestWelcomePage checks that the welcome page says what the seed says,
// under the seed's headings, in the seed's order. The seed is cut off in
// the middle of its last paragraph, which the page completes.
func TestWelcomePage(t *testing.T) {
	seed, err := os.ReadFile("testdata/seed.txt")
	require.NoError(t, err)
	_, files := staticFiles(t, fixtureAPI())
	page, err := checkHTML(files["index.html"])
	require.NoError(t, err)

	var headings, paragraphs []string
	for _, block := range strings.Split(string(seed), "\n\n") {
		text := strings.Join(strings.Fields(block), " ")
		switch {
		case text == "":
		case !strings.ContainsAny(text, ".:") && !strings.HasPrefix(text, "{"):
			headings = append(headings, text)
		default:
			paragraphs = append(paragraphs, text)
		}
	}
	require.Equal(t, []string{"Welcome to our API documentation", "Making requests", "Receiving responses", "A note about HTTP status code"}, headings)
	last := paragraphs[len(paragraphs)-1]
	cut := strings.Index(last, "There are two supported statuses")
	require.Positive(t, cut, "the seed ends where it is cut")
	paragraphs[len(paragraphs)-1] = strings.TrimSpace(last[:cut])

	var order []int
	for _, h := range headings {
		i := slices.Index(page.heads, h)
		require.GreaterOrEqual(t, i, 0, "heading %q", h)
		order = append(order, i)
	}
	assert.True(t, slices.IsSorted(order), "the seed's headings in its order: %v", page.heads)
	pos := 0
	for _, p := range paragraphs {
		i := strings.Index(page.text[pos:], p)
		require.GreaterOrEqual(t, i, 0, "the page lacks, or has out of order, the seed's %q", p)
		pos += i + len(p)
	}

	// Completed: every status of CONTRACT.md's table with its HTTP status, the
	// API's host and prefix, and the toolkit's error codes.
	for _, row := range []string{
		"success 200", "parameter-error 200", "validation-error 200", "access-denied 200", "not-found 200",
		"error 200", "internal-server-error 500", "service-unavailable 503",
	} {
		assert.Contains(t, page.text, row)
	}
	assert.Contains(t, page.text, "https://api.example.com/api/v1/<controller>/<action>")
	assert.Contains(t, page.text, "The host is https://api.example.com and the prefix /api/v1.")
	assert.Contains(t, page.text, "redirected to HTTPS with 308 Permanent Redirect")
	for _, code := range []string{"MalformedJSON", "InvalidParameterType", "HTTPSRequired", "MethodNotAllowed", "UnknownAction"} {
		assert.Contains(t, page.ids, "error-"+code)
	}
	assert.Contains(t, page.text, "Send e-mail & read what was sent.", "the API's own description")
}

func TestActionPage(t *testing.T) {
	_, files := staticFiles(t, fixtureAPI())
	page, err := checkHTML(files["controllers/send/message.html"])
	require.NoError(t, err)
	for _, want := range []string{
		"Send a message",
		"POST https://api.example.com/api/v1/send/message",
		"Authenticated by ServerAPIKey: send your credential in the X-Server-API-Key header.",
		// Parameters: name, required, type, description, enum, default, example.
		"to required array of string or null The <To> addresses. Example [\"ann@example.com\"]",
		"kind string How the body is written. One of \"plain\", \"html\" Default \"plain\"",
		"attachments[].name string The file name. Example \"report.pdf\"",
		"attachments[].data string (base64) or null The content.",
		"Parameters not listed here are ignored.",
		// Errors: code, status, HTTP, description, attributes; the
		// authenticator's with it.
		"NoRecipients error HTTP 200 There are no recipients defined to receive this message none",
		"InvalidServerAPIKey from ServerAPIKey access-denied HTTP 200 The API key {token} is not valid. token",
		// The result and its structure.
		"On success, data is SendResult.",
		"messages object of MessageRef or null Per recipient, the message stored for it.",
		// curl, with the credential's header and the example parameters.
		"curl 'https://api.example.com/api/v1/send/message' \\ -H 'Content-Type: application/json' \\ -H 'X-Server-API-Key: YOUR-KEY' \\ -d '{\"to\":[\"ann@example.com\"],\"subject\":\"Hello\"}'",
		// An example envelope for success and for each error.
		`Success success HTTP 200 { "status": "success", "time": 0.004, "flags": {}, "data": { "message_id": "string", "messages": { "key": { "id": 1, "token": "string" } } } }`,
		`InvalidServerAPIKey access-denied HTTP 200 { "status": "access-denied", "time": 0.004, "flags": {}, "data": { "code": "InvalidServerAPIKey", "message": "The API key {token} is not valid.", "token": null } }`,
		`Service unavailable service-unavailable HTTP 503, with Retry-After when the wait is known`,
	} {
		assert.Contains(t, page.text, want)
	}
	for _, id := range []string{"example-success", "example-NoRecipients", "example-AccessDenied", "example-InvalidServerAPIKey", "error-NoRecipients"} {
		assert.Contains(t, page.ids, id)
	}
	assert.NotContains(t, page.text, "Try it", "no form in the written site: it has no API to call")

	other := func(p string) *checkedPage {
		page, err := checkHTML(files[p])
		require.NoError(t, err)
		return page
	}
	assert.Contains(t, other("controllers/messages/list.html").text, "Parameters not listed here are refused with UnknownParameter.")
	assert.Contains(t, other("controllers/messages/list.html").text, "On success, data is array of Message or null.")
	assert.Contains(t, other("controllers/messages/list.html").text, "subject optional string")
	assert.Contains(t, other("controllers/messages/message.html").text, "MessageNotFound not-found HTTP 200 No message found matching ID {id} id")
	assert.Contains(t, other("controllers/status/ping.html").text, "This action takes no parameters.")
	assert.Contains(t, other("controllers/status/ping.html").text, "Anyone may call this action")
	assert.Contains(t, other("controllers/status/ping.html").text, "On success, data is string.")
	assert.Contains(t, other("controllers/legacy/dump.html").text, "This action does not describe its parameters.")
	assert.Contains(t, other("controllers/legacy/dump.html").text, "This action does not describe its result.")
	assert.Contains(t, other("authenticators/ServerAPIKey.html").text, "X-Server-API-Key: YOUR-KEY")
	assert.Contains(t, other("authenticators/ServerAPIKey.html").text, "messages/message Get a message")
	assert.Contains(t, other("structures/MessageRef.html").text, "id integer The message's id.")
	assert.Contains(t, other("controllers/messages.html").text, "Get a message POST /api/v1/messages/message ServerAPIKey")
}

func TestServed(t *testing.T) {
	srv := httptest.NewTLSServer(fixtureRouter())
	defer srv.Close()
	get := func(t *testing.T, method, p string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+p, nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}

	t.Run("welcome page at the docs path", func(t *testing.T) {
		resp, body := get(t, http.MethodGet, "/api/docs/v1/", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
		u := strings.TrimPrefix(srv.URL, "https://")
		assert.Contains(t, body, "The host is <code>https://"+u+"</code>", "the host the page was asked of")
		resp, _ = get(t, http.MethodHead, "/api/docs/v1/index.html", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})

	t.Run("Range and conditional requests get the whole page", func(t *testing.T) {
		for _, p := range []string{"/api/docs/v1/index.html", "/api/docs/v1/openapi.json"} {
			for _, h := range []http.Header{
				{"Range": {"bytes=0-9"}},
				{"Range": {"bytes=999999-"}},
				{"If-None-Match": {"*"}},
				{"If-Modified-Since": {time.Now().UTC().Format(http.TimeFormat)}},
			} {
				resp, body := get(t, http.MethodGet, p, h)
				assert.Equal(t, http.StatusOK, resp.StatusCode, "%s %v", p, h)
				assert.Equal(t, resp.Header.Get("Content-Length"), strconv.Itoa(len(body)))
				assert.Greater(t, len(body), 1000)
			}
		}
	})

	t.Run("action page has the try it form", func(t *testing.T) {
		_, body := get(t, http.MethodGet, "/api/docs/v1/controllers/send/message.html", nil)
		page, err := checkHTML([]byte(body))
		require.NoError(t, err)
		assert.Contains(t, page.links, "/api/v1/send/message")
		assert.Contains(t, page.links, "../../assets/try.js")
		assert.Contains(t, body, `data-auth-header="X-Server-API-Key"`)
		assert.Contains(t, body, `<textarea name="params"`)
	})

	t.Run("a Host header that is not a host name is not shown", func(t *testing.T) {
		_, body := get(t, http.MethodGet, "/api/docs/v1/", http.Header{"Host": {"evil.example\"><script>"}})
		assert.NotContains(t, body, "evil")
	})

	t.Run("what is not a page gets an envelope", func(t *testing.T) {
		for _, tt := range []struct{ method, path, code string }{
			{http.MethodGet, "/api/docs/v1/nothing.html", "MethodNotAllowed"},
			{http.MethodGet, "/api/docs/v1/controllers/", "MethodNotAllowed"},
			{http.MethodGet, "/api/docs/v1/assets/../index.html", "MethodNotAllowed"},
			{http.MethodPost, "/api/docs/v1/index.html", "UnknownAction"},
		} {
			resp, body := get(t, tt.method, tt.path, nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode, tt.path)
			assert.Contains(t, body, `"code":"`+tt.code+`"`, tt.path)
		}
	})

	t.Run("plain HTTP is redirected like the API", func(t *testing.T) {
		rec := httptest.NewRecorder()
		fixtureRouter().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://api.example.com/api/docs/v1/", nil))
		assert.Equal(t, http.StatusPermanentRedirect, rec.Code)
		assert.Equal(t, "https://api.example.com/api/docs/v1/", rec.Header().Get("Location"))
	})
}

// TestSiteHandler serves a Site on its own, mounted with StripPrefix.
func TestSiteHandler(t *testing.T) {
	site, err := docsite.New(fixtureAPI(), docsite.Options{Host: "https://api.example.com/"})
	require.NoError(t, err)
	h := http.StripPrefix("/docs", site)
	for _, tt := range []struct {
		method, path string
		status       int
		contains     string
	}{
		{http.MethodGet, "/docs/", 200, "<h1>Welcome to our API documentation</h1>"},
		{http.MethodGet, "/docs/controllers/send/message.html", 200, "https://api.example.com/api/v1/send/message"},
		{http.MethodGet, "/docs/assets/style.css", 200, ":root"},
		{http.MethodGet, "/docs/openapi.json", 200, `"openapi": "3.1.0"`},
		{http.MethodGet, "/docs/nothing.html", 200, `"code":"UnknownAction"`},
		{http.MethodGet, "/docs/assets/", 200, `"code":"UnknownAction"`},
		{http.MethodGet, "/docs//index.html", 200, `"code":"UnknownAction"`},
		{http.MethodPut, "/docs/index.html", 200, `"code":"MethodNotAllowed"`},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, "https://docs.example.com"+tt.path, nil))
		assert.Equal(t, tt.status, rec.Code, tt.path)
		assert.Contains(t, rec.Body.String(), tt.contains, tt.path)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "https://docs.example.com/docs/index.html", nil))
	assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
}

func TestOptions(t *testing.T) {
	for _, tt := range []struct {
		opts docsite.Options
		err  string
	}{
		{docsite.Options{}, ""},
		{docsite.Options{Host: "https://api.example.com", Contact: "mailto:api@example.com"}, ""},
		{docsite.Options{Host: "http://localhost:8080/", Contact: "https://example.com/support"}, ""},
		{docsite.Options{Host: "api.example.com"}, `Host "api.example.com" is not a URL`},
		{docsite.Options{Host: "https://api.example.com/api"}, "is not a URL"},
		{docsite.Options{Host: "https://user@api.example.com"}, "is not a URL"},
		{docsite.Options{Host: "ftp://api.example.com"}, "is not a URL"},
		{docsite.Options{Contact: "javascript:alert(1)"}, `Contact "javascript:alert(1)" is not`},
	} {
		_, err := docsite.New(fixtureAPI(), tt.opts)
		if tt.err == "" {
			assert.NoError(t, err, "%+v", tt.opts)
		} else {
			assert.ErrorContains(t, err, tt.err)
		}
	}
}

func TestContact(t *testing.T) {
	site, err := docsite.New(fixtureAPI(), docsite.Options{Contact: "mailto:api@example.com"})
	require.NoError(t, err)
	b, ok, err := site.File("index.html")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Contains(t, string(b), `<a href="mailto:api@example.com">contact our team</a>`)
	assert.Contains(t, string(b), "https://localhost/api/v1", "no Host: localhost")
	_, ok, err = site.File("nothing.html")
	assert.False(t, ok)
	assert.NoError(t, err)
}
