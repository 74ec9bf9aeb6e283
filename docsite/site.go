package docsite

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
)

//go:embed templates/*.html assets/*
var files embed.FS

// Options configures a Site. The zero value is ready to use.
type Options struct {
	// Title heads every page; empty means the description's title, or
	// "API documentation".
	Title string
	// Host is the scheme and host the action URLs start with, such as
	// "https://api.example.com". Empty means "https://localhost" for
	// File and WriteDir, and, served live, the host the request was sent
	// to.
	Host string
	// Contact is where the welcome page's "contact our team" links to: an
	// https, http or mailto URL. Empty leaves the words unlinked.
	Contact string
}

// Site is the documentation of one API: a welcome page, a page per
// controller, action, authenticator and shared structure, the API's
// OpenAPI documents, and the stylesheet and script the pages use. Links
// are relative, so it works wherever it is served from, and as files.
type Site struct {
	api   *apidoc.API
	opts  Options
	pages map[string]page // by path: index.html, controllers/send.html, ...
}

// page is what a path shows: a template, and which controller, action,
// authenticator or structure it is about.
type page struct {
	template string
	name     string
}

// openAPIFiles are the OpenAPI documents the site carries, by version.
var openAPIFiles = map[string]string{"openapi.json": "3.1", "openapi-3.0.json": "3.0"}

// Check returns an error if Host or Contact is not a URL a page can link
// to.
func (opts Options) Check() error {
	if opts.Host != "" {
		u, err := url.Parse(opts.Host)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("docsite: Host %q is not a URL such as https://api.example.com", opts.Host)
		}
	}
	if opts.Contact != "" {
		u, err := url.Parse(opts.Contact)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "mailto") {
			return fmt.Errorf("docsite: Contact %q is not an http, https or mailto URL", opts.Contact)
		}
	}
	return nil
}

// New returns the site of api. It returns opts.Check's error.
func New(api *apidoc.API, opts Options) (*Site, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	opts.Host = strings.TrimSuffix(opts.Host, "/")
	s := &Site{api: api, opts: opts, pages: map[string]page{"index.html": {template: "index"}}}
	v := newSiteView(api, opts)
	for _, c := range v.Controllers {
		s.pages[c.Path] = page{"controller", c.Name}
		for _, a := range c.Actions {
			s.pages[a.Path] = page{"action", c.Name + "/" + a.Name}
		}
	}
	for _, a := range v.Authenticators {
		s.pages[a.Path] = page{"authenticator", a.Name}
	}
	for _, st := range v.Structures {
		s.pages[st.Path] = page{"structure", st.Name}
	}
	return s, nil
}

// Paths lists the site's files, sorted: pages, OpenAPI documents and
// assets.
func (s *Site) Paths() []string {
	paths := slices.Collect(maps.Keys(s.pages))
	paths = slices.AppendSeq(paths, maps.Keys(openAPIFiles))
	assets, _ := fs.Glob(files, "assets/*")
	return slices.Sorted(slices.Values(append(paths, assets...)))
}

// File returns the content of the file at path (one of Paths), with action
// URLs on Options.Host; false when the site has no such file.
func (s *Site) File(path string) ([]byte, bool, error) {
	return s.file(path, s.host(""), false)
}

// host is the scheme and host of the action URLs: Options.Host, else the
// host a request came to, else localhost.
func (s *Site) host(requestHost string) string {
	switch {
	case s.opts.Host != "":
		return s.opts.Host
	case requestHost != "":
		return "https://" + requestHost
	}
	return "https://localhost"
}

// file renders the file at p. tryIt adds the form that calls an action,
// for pages served by the API itself.
func (s *Site) file(p, host string, tryIt bool) ([]byte, bool, error) {
	if strings.HasPrefix(p, "assets/") {
		b, err := files.ReadFile(p)
		return b, err == nil, nil
	}
	if version, ok := openAPIFiles[p]; ok {
		server := ""
		if s.opts.Host != "" {
			server = s.opts.Host
		}
		b, err := s.api.OpenAPI(apidoc.OpenAPIOptions{Version: version, ServerURL: server})
		return b, err == nil, err
	}
	pg, ok := s.pages[p]
	if !ok {
		return nil, false, nil
	}
	v := newSiteView(s.api, Options{Title: s.opts.Title, Host: host, Contact: s.opts.Contact})
	data := &pageData{Site: v, Root: strings.Repeat("../", strings.Count(p, "/")), Path: p, TryIt: tryIt}
	switch pg.template {
	case "index":
		data.Title, data.Active = "Welcome", "index.html"
	case "controller":
		data.Controller = find(v.Controllers, func(c *controllerView) bool { return c.Name == pg.name })
		data.Title, data.Active = data.Controller.Name, p
	case "action":
		c, a, _ := strings.Cut(pg.name, "/")
		data.Controller = find(v.Controllers, func(cv *controllerView) bool { return cv.Name == c })
		data.Action = find(data.Controller.Actions, func(av *actionView) bool { return av.Name == a })
		data.Title, data.Active = data.Action.Title, p
	case "authenticator":
		data.Auth = find(v.Authenticators, func(a *authView) bool { return a.Name == pg.name })
		data.Title, data.Active = data.Auth.Name, p
	case "structure":
		data.Structure = find(v.Structures, func(st *structView) bool { return st.Name == pg.name })
		data.Title, data.Active = data.Structure.Name, p
	}
	var buf bytes.Buffer
	if err := templates()[pg.template].Execute(&buf, data); err != nil {
		return nil, false, fmt.Errorf("docsite: %s: %w", p, err)
	}
	return buf.Bytes(), true, nil
}

// find returns the element of list that matches. The views and the pages
// are made from the same description, so there always is one.
func find[T any](list []T, match func(T) bool) T {
	return list[slices.IndexFunc(list, match)]
}

// pageData is what every page's template gets.
type pageData struct {
	Site       *siteView
	Root       string // "../" per folder below the site's root
	Path       string
	Title      string
	Active     string // the path of the menu entry to highlight
	TryIt      bool   // served live: action pages have a form that calls the action
	Controller *controllerView
	Action     *actionView
	Auth       *authView
	Structure  *structView
}

// templates parses the page templates once, on first use: each page kind
// is the layout with its own "content".
var templates = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		// table and typeData hand a part its rows, or its type, with the
		// page's way back to the site's root, for links.
		"table": func(root string, rows any, output bool) map[string]any {
			return map[string]any{"Root": root, "Rows": rows, "Output": output}
		},
		"typeData": func(root string, t typeText) map[string]any { return map[string]any{"Root": root, "Type": t} },
	}
	out := map[string]*template.Template{}
	for _, kind := range []string{"index", "controller", "action", "authenticator", "structure"} {
		out[kind] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files,
			"templates/layout.html", "templates/parts.html", "templates/"+kind+".html"))
	}
	return out
})

// WriteDir writes every file of the site under dir, creating the folders
// it needs; files already there with the same names are replaced, others
// are left alone.
func (s *Site) WriteDir(dir string) error {
	for _, p := range s.Paths() {
		b, _, err := s.File(p)
		if err != nil {
			return err
		}
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("docsite: %w", err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return fmt.Errorf("docsite: %w", err)
		}
	}
	return nil
}

// Has reports whether the site has a file at p, a path below its root
// such as "controllers/send.html"; "" is the welcome page.
func (s *Site) Has(p string) bool {
	if p == "" {
		return true
	}
	if _, ok := s.pages[p]; ok {
		return true
	}
	if _, ok := openAPIFiles[p]; ok {
		return true
	}
	if !strings.HasPrefix(p, "assets/") {
		return false
	}
	_, err := fs.Stat(files, p)
	return err == nil
}

// contentSecurityPolicy lets pages use their own stylesheet and script and
// call the API they document, and nothing else.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP serves the site as its root: mount it with http.StripPrefix,
// as middleware.Router does at /api/docs/v1/. "/" is the welcome page.
// Action pages carry a "try it" form that calls the action on the host the
// page came from. Only GET and HEAD of the site's files are served; any
// other request gets the envelope an API path would give it (error, with
// UnknownAction or MethodNotAllowed), so that what is not a page answers
// as the API does.
//
//envelopevet:allow documentation pages are HTML files, served with GET outside the actions' prefix (CONTRACT D2)
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if !s.Has(p) || path.Clean("/"+p) != "/"+p && p != "" {
		envelope.Fail(w, r, envelope.NewError(envelope.CodeUnknownAction, "There is no documentation page at "+strconv.Quote(r.URL.Path)))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		envelope.Fail(w, r, envelope.NewError(envelope.CodeMethodNotAllowed, "Documentation pages are read with GET, not "+r.Method))
		return
	}
	if p == "" {
		p = "index.html"
	}
	host := ""
	if validHost(r.Host) {
		host = r.Host
	}
	b, _, err := s.file(p, s.host(host), true)
	if err != nil {
		envelope.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(p))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	// Written whole, not with http.ServeContent: its answers to Range and
	// conditional requests (206, 304, 416) are statuses the API never
	// sends. net/http leaves the body out for HEAD.
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// validHost accepts a Host header that is a plain host name or address,
// with an optional port, so that a page never shows a URL made of
// something else.
func validHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-:[]", c) >= 0) {
			return false
		}
	}
	u, err := url.Parse("https://" + host)
	return err == nil && u.Host == host && u.Hostname() != ""
}
