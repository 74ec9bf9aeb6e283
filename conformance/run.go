package conformance

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Options says what the target supports. The zero value runs every case
// that needs nothing but the action itself.
type Options struct {
	// Action is the path the handler serves the action at, in-process
	// runs only; "" means /api/v1/conformance/action. RunURL takes it from
	// its URL.
	Action string
	// Params is a valid parameters body for the action, a JSON object.
	// Without it the cases that need a successful call are skipped.
	Params string
	// Headers are sent with every request, such as an API key.
	Headers http.Header
	// IntField names an integer parameter of the action, to check that a
	// string in it is a parameter-error that names it (R5).
	IntField string
	// RequiredField names a required parameter of the action.
	RequiredField string
	// Strict says the action rejects unknown parameters (R5, strict mode).
	Strict bool
	// PlainHTTP is what the target answers plain HTTP with (R2): "308",
	// "301", "redirect" (either), "reject" (200 error HTTPSRequired), or ""
	// for anything CONTRACT.md allows.
	PlainHTTP string
	// ToolkitCodes also checks the data.code this toolkit uses where
	// CONTRACT.md fixes none, such as MalformedJSON.
	ToolkitCodes bool

	// Maintenance switches the handler's maintenance mode, in-process
	// runs only; nil skips the maintenance cases.
	Maintenance func(on bool)
	// Wrap is the middleware the API puts around its handlers (at least
	// the envelope and panic recovery), in-process runs only. The wrapping
	// cases serve small net/http handlers through it (S7, W1); nil skips them.
	Wrap func(http.Handler) http.Handler
	// RemoteAddr is the peer address of in-process requests; "" means
	// 192.0.2.10:41234, a documentation address no proxy list should trust.
	RemoteAddr string
	// TrustedProxyAddr is a peer address (host:port) the handler trusts as
	// a TLS-terminating proxy, in-process runs only: the cases of a proxy
	// saying "https" come from it. "" skips them.
	TrustedProxyAddr string
	// PanicAction is the path of an action that panics, such as a debug
	// action; "" skips the case that checks the 500 envelope live (S7).
	PanicAction string
	// PanicValue is what PanicAction panics with, or a part of it: outside
	// development mode no 500 may show it (S7). "" checks for a stack
	// trace only.
	PanicValue string
	// Production says the target runs outside development mode: its 500s
	// must show neither a stack trace nor the panic's value (S7).
	Production bool
	// CORSOrigin is an origin the target allows cross-origin calls from,
	// such as https://app.example.com; "" skips the CORS preflight case.
	CORSOrigin string

	// HTTPURL is the target's plain-HTTP address, RunURL only, such as
	// http://localhost:8080. Without it the plain-HTTP cases are skipped.
	// Its path, if any, replaces the action's.
	HTTPURL string
	// InMaintenance says the live target is in maintenance mode now: only
	// the maintenance cases run.
	InMaintenance bool
	// TrustedProxy says the live target trusts this machine's address as a
	// TLS-terminating proxy: the trusted-proxy cases run, and the cases of
	// a forged X-Forwarded-Proto from an untrusted peer cannot.
	TrustedProxy bool
	// Client sends RunURL's requests; nil means a client that uses no
	// proxy, verifies TLS (with RootCAs, unless Insecure) and honours
	// "Expect: 100-continue". RunURL follows no redirect with either.
	Client *http.Client
	// RootCAs verifies the target's certificate instead of the system's
	// roots, such as the demo's self-signed one.
	RootCAs *x509.CertPool
	// Insecure skips TLS verification, for self-signed test certificates.
	Insecure bool
	// HTTP2 makes the default client speak HTTP/2 over TLS, as browsers
	// and most clients do, where the server offers it; the plain-HTTP cases
	// stay HTTP/1.1.
	HTTP2 bool
	// Timeout bounds each request; 0 means 30 seconds.
	Timeout time.Duration

	// Cases replaces the built-in suite (see Load).
	Cases []*Case
	// Progress, when set, is called with each case's result as soon as it
	// is known, for tools that print as they go.
	Progress func(Result)
}

// Outcome is a case's result.
type Outcome string

// The outcomes of a case.
const (
	Pass Outcome = "pass"
	Fail Outcome = "fail"
	Skip Outcome = "skip"
)

// Result is what one case found.
type Result struct {
	// Case is the case's ID, area/name.
	Case string `json:"case"`
	// Rule is the rule of CONTRACT.md the case checks.
	Rule string `json:"rule"`
	// Outcome is pass, fail or skip.
	Outcome Outcome `json:"outcome"`
	// Problems say why a case failed, each starting with the rule it breaks.
	Problems []string `json:"problems,omitempty"`
	// Reason says why a case was skipped.
	Reason string `json:"reason,omitempty"`
	// HTTP is the HTTP status of the (first) answer.
	HTTP int `json:"http,omitempty"`
	// Status is the envelope status of the answer, if it had one.
	Status string `json:"status,omitempty"`
	// Code is the answer's data.code, if it had one.
	Code string `json:"code,omitempty"`
	// Seconds is how long the case took.
	Seconds float64 `json:"seconds"`
}

// String is one line: PASS, FAIL or SKIP, the case, its rule, and why.
func (r Result) String() string {
	s := fmt.Sprintf("%s %s [%s]", strings.ToUpper(string(r.Outcome)), r.Case, r.Rule)
	switch r.Outcome {
	case Fail:
		s += ": " + strings.Join(r.Problems, "; ")
	case Skip:
		s += ": " + r.Reason
	}
	return s
}

// Report is what a run found.
type Report struct {
	// Target is the action's URL (in-process, a made-up https one).
	Target string `json:"target"`
	// Results are the cases' results, in the order they ran.
	Results []Result `json:"results"`
	// Passed, Failed and Skipped count the results by outcome.
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// Summary is "N passed, N failed".
func (r *Report) Summary() string {
	return fmt.Sprintf("%d passed, %d failed", r.Passed, r.Failed)
}

// OK reports whether no case failed.
func (r *Report) OK() bool { return r.Failed == 0 }

func (r *Report) add(res Result) {
	r.Results = append(r.Results, res)
	switch res.Outcome {
	case Pass:
		r.Passed++
	case Fail:
		r.Failed++
	default:
		r.Skipped++
	}
}

// Run runs the suite against h in-process, one subtest per case, named
// area/name: a failing case fails its subtest with the rules it breaks, a
// case the options cannot support is skipped with the reason.
func Run(t *testing.T, h http.Handler, opts Options) *Report {
	t.Helper()
	rn := newHandlerRunner(h, &opts)
	rep := &Report{Target: rn.https.String()}
	for _, c := range rn.cases() {
		t.Run(c.ID(), func(t *testing.T) {
			res := rn.run(t.Context(), c)
			rep.add(res)
			switch res.Outcome {
			case Fail:
				for _, p := range res.Problems {
					t.Error(p)
				}
			case Skip:
				t.Skip(res.Reason)
			}
		})
	}
	return rep
}

// RunHandler runs the suite against h in-process, as Run does, without a
// testing.T. Requests over "https" carry a TLS connection state, those over
// plain HTTP none.
func RunHandler(ctx context.Context, h http.Handler, opts Options) *Report {
	rn := newHandlerRunner(h, &opts)
	return rn.runAll(ctx)
}

// RunURL runs the suite against the live action at target, such as
// https://localhost:8443/api/v1/send/message. Requests go to target's host
// and to Options.HTTPURL's, and nowhere else: no proxy, no redirect.
func RunURL(ctx context.Context, target string, opts Options) (*Report, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("conformance: the target %q is not an absolute http(s) URL", target)
	}
	rn := &runner{opts: &opts, live: true, https: u}
	if opts.HTTPURL != "" {
		p, err := url.Parse(opts.HTTPURL)
		if err != nil {
			return nil, err
		}
		if p.Scheme != "http" || p.Host == "" {
			return nil, fmt.Errorf("conformance: the plain-HTTP address %q is not an absolute http URL", opts.HTTPURL)
		}
		if p.Path == "" || p.Path == "/" {
			p.Path, p.RawPath = u.Path, u.RawPath
		}
		rn.plain = p
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{
			Transport: &http.Transport{
				Proxy:           nil, // never send through a proxy from the environment
				TLSClientConfig: &tls.Config{RootCAs: opts.RootCAs, InsecureSkipVerify: opts.Insecure},
				// Honour "Expect: 100-continue": a server may refuse a
				// large body by its Content-Length before reading it.
				ExpectContinueTimeout: 2 * time.Second,
				// A fresh connection per request keeps one case's broken
				// answer from leaking into the next.
				DisableKeepAlives: true,
				ForceAttemptHTTP2: opts.HTTP2,
			},
		}
	}
	// Never follow a redirect: R2's redirect is the answer under test, and
	// following it would send to an address the user did not give.
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	rn.send = func(ctx context.Context, req *http.Request, _ *Case, _ *Request) (*response, error) {
		if !rn.allowed(req.URL) {
			return nil, fmt.Errorf("refusing to send to %s: not an address the probe was given", req.URL.Host)
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		resp, err := c.Do(req.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := readAll(resp.Body, 64<<20)
		if err != nil {
			return nil, fmt.Errorf("reading the answer: %w", err)
		}
		return &response{
			code:          resp.StatusCode,
			header:        resp.Header,
			body:          body,
			contentLength: resp.ContentLength,
			chunked:       slices.Contains(resp.TransferEncoding, "chunked"),
		}, nil
	}
	return rn.runAll(ctx), nil
}

// runner runs cases against one target.
type runner struct {
	opts *Options
	live bool
	// https is the action's URL; plain its plain-HTTP URL, nil if unknown.
	https, plain *url.URL
	// send sends one request; c is the case it belongs to, spec what
	// the case says of the request.
	send func(ctx context.Context, req *http.Request, c *Case, spec *Request) (*response, error)
}

func (rn *runner) allowed(u *url.URL) bool {
	if u.Host == rn.https.Host && u.Scheme == rn.https.Scheme {
		return true
	}
	return rn.plain != nil && u.Host == rn.plain.Host && u.Scheme == rn.plain.Scheme
}

func (rn *runner) cases() []*Case {
	if rn.opts.Cases != nil {
		return rn.opts.Cases
	}
	return Suite()
}

func (rn *runner) runAll(ctx context.Context) *Report {
	rep := &Report{Target: rn.https.String()}
	for _, c := range rn.cases() {
		res := rn.run(ctx, c)
		rep.add(res)
		if rn.opts.Progress != nil {
			rn.opts.Progress(res)
		}
	}
	return rep
}

const inProcessHost = "api.example.test"

func newHandlerRunner(h http.Handler, opts *Options) *runner {
	action := opts.Action
	if action == "" {
		action = "/api/v1/conformance/action"
	}
	rn := &runner{
		opts:  opts,
		https: &url.URL{Scheme: "https", Host: inProcessHost, Path: action},
		plain: &url.URL{Scheme: "http", Host: inProcessHost, Path: action},
	}
	remote := opts.RemoteAddr
	if remote == "" {
		remote = "192.0.2.10:41234"
	}
	rn.send = func(ctx context.Context, req *http.Request, c *Case, spec *Request) (*response, error) {
		target := h
		if c.Handler != nil {
			target = opts.Wrap(specHandler(c.Handler))
		}
		// Turn the client request into what a server hands its handler:
		// a URL of path and query only, so that no handler can read the
		// scheme from it.
		if req.URL.Scheme == "https" {
			req.TLS = &tls.ConnectionState{Version: tls.VersionTLS13, HandshakeComplete: true, ServerName: inProcessHost}
		}
		req.RequestURI = req.URL.RequestURI()
		serverURL, err := url.ParseRequestURI(req.RequestURI)
		if err != nil {
			return nil, err
		}
		req.URL = serverURL
		req.RemoteAddr = remote
		if spec.Peer == "trusted" {
			req.RemoteAddr = opts.TrustedProxyAddr
		}
		req.Host = inProcessHost
		if req.Body == nil {
			req.Body = http.NoBody
		}
		watched := &watchedBody{ReadCloser: req.Body}
		req.Body = watched
		rec := httptest.NewRecorder()
		resp := serve(target, rec, req)
		resp.bodyRead = watched.read
		resp.code = rec.Code
		resp.header = rec.Header()
		resp.body = rec.Body.Bytes()
		resp.contentLength = -1
		if cl := rec.Header().Get("Content-Length"); cl != "" {
			if n, err := strconv.ParseInt(cl, 10, 64); err == nil {
				resp.contentLength = n
			}
		}
		return resp, nil
	}
	return rn
}

// watchedBody notes whether the handler read the request body: over plain
// HTTP it must not (R2).
type watchedBody struct {
	io.ReadCloser
	read bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.read = true
	}
	return n, err
}

// serve calls the handler, catching the panics that would have reached
// net/http's server.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (resp *response) {
	resp = &response{}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				resp.aborted = true
			} else {
				resp.panicked = v
			}
		}
	}()
	h.ServeHTTP(w, r)
	return resp
}

// specHandler is a plain net/http handler that behaves as spec says. It
// writes the way existing handlers do, which is what the wrapping cases test.
func specHandler(spec *HandlerSpec) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		switch {
		case spec.Abort:
			panic(http.ErrAbortHandler)
		case spec.Panic != "":
			panic(spec.Panic)
		}
		for k, v := range spec.Headers {
			w.Header().Set(k, v)
		}
		if spec.Status != 0 {
			w.WriteHeader(spec.Status) //envelopevet:allow the wrapped handler under test writes its own status on purpose
		}
		if spec.Body != "" {
			_, _ = w.Write([]byte(spec.Body)) //envelopevet:allow the wrapped handler under test writes its own body on purpose
		}
	})
}

// request builds the HTTP request a case describes.
func (rn *runner) request(ctx context.Context, spec *Request) (*http.Request, error) {
	base := rn.https
	if spec.PlainHTTP {
		base = rn.plain
	}
	p := spec.Path
	if strings.HasPrefix(p, "$") {
		p = rn.opts.field(p)
	}
	ref, err := url.Parse(p)
	if err != nil {
		return nil, fmt.Errorf("the case's path %q: %w", spec.Path, err)
	}
	u := base.ResolveReference(ref)
	if spec.Query != "" {
		u.RawQuery = spec.Query
	}
	body, contentType, err := rn.opts.body(spec)
	if err != nil {
		return nil, err
	}
	method := spec.Method
	if method == "" {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range rn.opts.Headers {
		req.Header[http.CanonicalHeaderKey(k)] = slices.Clone(vs)
	}
	if contentType == "" && len(body) > 0 {
		contentType = "application/json"
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range spec.Headers {
		if strings.HasPrefix(v, "$") {
			v = rn.opts.field(v)
		}
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return req, nil
}

func (rn *runner) do(ctx context.Context, c *Case, spec *Request) (*url.URL, *response, error) {
	req, err := rn.request(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	u := *req.URL
	start := time.Now()
	resp, err := rn.send(ctx, req, c, spec)
	if resp != nil {
		resp.elapsed = time.Since(start)
	}
	return &u, resp, err
}

// run runs one case.
func (rn *runner) run(ctx context.Context, c *Case) (res Result) {
	start := time.Now()
	res = Result{Case: c.ID(), Rule: c.Rule, Outcome: Pass}
	defer func() {
		res.Seconds = sinceSeconds(start)
		if res.Outcome == Pass && len(res.Problems) > 0 {
			res.Outcome = Fail
		}
	}()
	if reason := rn.opts.needs(c, rn.live); reason != "" {
		res.Outcome, res.Reason = Skip, reason
		return res
	}
	if c.Maintenance && !rn.live {
		rn.opts.Maintenance(true)
		defer rn.opts.Maintenance(false)
	}
	u, resp, err := rn.do(ctx, c, &c.Request)
	if err != nil {
		res.Problems = []string{c.Rule + ": the request failed: " + err.Error()}
		return res
	}
	res.HTTP = resp.code
	var env *parsed
	res.Problems, env = rn.evaluate(c, u, resp)
	if env != nil {
		res.Status, res.Code = env.status, env.code
	}
	if c.Expect.SameAs != nil {
		_, other, err := rn.do(ctx, c, c.Expect.SameAs)
		if err != nil {
			res.Problems = append(res.Problems, c.Rule+": the second request failed: "+err.Error())
			return res
		}
		p, env2 := checkGeneric(other, false)
		res.Problems = append(res.Problems, p...)
		if env != nil && env2 != nil && (env.status != env2.status || env.code != env2.code) {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %s got status %q code %q, but %s got status %q code %q",
				c.Rule, describeRequest(&c.Request), env.status, env.code, describeRequest(c.Expect.SameAs), env2.status, env2.code))
		}
	}
	return res
}

func describeRequest(r *Request) string {
	switch {
	case r.Generate != nil:
		return "a generated " + r.Generate.Kind + " body"
	case r.Body == "":
		return "an empty body"
	}
	return "the body " + excerpt([]byte(r.Body))
}

// evaluate checks one answer against the generic rules and the case's
// expectations.
func (rn *runner) evaluate(c *Case, u *url.URL, resp *response) ([]string, *parsed) {
	e := &c.Expect
	rule := c.Rule
	fail := func(detail string) string {
		if e.Fail != "" {
			return rule + ": " + e.Fail + ": " + detail
		}
		return rule + ": " + detail
	}
	switch {
	case resp.panicked != nil:
		return []string{fmt.Sprintf("S7: a panic escaped the handler: %v", resp.panicked)}, nil
	case e.Aborted && !resp.aborted:
		return []string{fail("the http.ErrAbortHandler panic was swallowed; it must abort the response")}, nil
	case e.Aborted:
		return nil, nil
	case resp.aborted:
		return []string{"S7: the handler aborted the response"}, nil
	}
	if e.HTTPSRequired {
		// What breaks R2 first, then what a reject-mode envelope breaks of
		// the generic rules.
		var p []string
		if resp.bodyRead {
			p = append(p, fail("the body of a plain-HTTP request was read"))
		}
		r2, generic := checkHTTPSRequired(resp, u, rn.https, rn.opts.PlainHTTP)
		for _, q := range r2 {
			p = append(p, fail(q))
		}
		return append(p, generic...), nil
	}
	var p []string
	var env *parsed
	if !(e.BodyOptional && len(resp.body) == 0) {
		p, env = checkGeneric(resp, c.Request.Method == http.MethodHead)
	}
	if e.HTTP != 0 && resp.code != e.HTTP {
		p = append(p, fail(fmt.Sprintf("got HTTP %d%s, want %d", resp.code, describe(resp), e.HTTP)))
	}
	for k, want := range e.Headers {
		if got := resp.header.Get(k); !slices.Equal(headerTokens(got), headerTokens(want)) {
			p = append(p, fail(fmt.Sprintf("header %s is %q, want %q", k, got, want)))
		}
	}
	for _, k := range e.HeadersPresent {
		if resp.header.Get(k) == "" {
			p = append(p, fail("header "+k+" is missing"))
		}
	}
	for _, k := range e.HeadersAbsent {
		if resp.header.Get(k) != "" {
			p = append(p, fail(fmt.Sprintf("header %s must not be sent, got %q", k, resp.header.Get(k))))
		}
	}
	if env == nil {
		return p, env // the generic checks said why
	}
	if len(e.Status) > 0 && !slices.Contains(e.Status, env.status) {
		p = append(p, fail(fmt.Sprintf("status is %q%s, want %s", env.status, codeNote(env), strings.Join(quoteAll(e.Status), " or "))))
	}
	if e.Code != "" && env.code != e.Code {
		p = append(p, fail(fmt.Sprintf("data.code is %q, want %q", env.code, e.Code)))
	}
	if e.ToolkitCode != "" && rn.opts.ToolkitCodes && env.code != e.ToolkitCode {
		p = append(p, fail(fmt.Sprintf("data.code is %q, want the toolkit's %q", env.code, e.ToolkitCode)))
	}
	if f := rn.opts.field(e.MessageNames); e.MessageNames != "" && !strings.Contains(env.message, f) {
		p = append(p, fail(fmt.Sprintf("data.message %q does not name the field %q", env.message, f)))
	}
	if e.MessageContains != "" && !strings.Contains(env.message, e.MessageContains) {
		p = append(p, fail(fmt.Sprintf("data.message %q does not contain %q", env.message, e.MessageContains)))
	}
	if e.MessageLacks != "" && strings.Contains(string(env.data), e.MessageLacks) {
		p = append(p, fail(fmt.Sprintf("data shows %q: %s", e.MessageLacks, excerpt(env.data))))
	}
	if e.NoPanicDetails {
		if v := rn.opts.PanicValue; v != "" && strings.Contains(string(env.data), v) {
			p = append(p, fail(fmt.Sprintf("data shows the panic's value %q outside development mode: %s", v, excerpt(env.data))))
		}
		if m := stackTrace.Find(env.data); m != nil {
			p = append(p, fail(fmt.Sprintf("data shows a stack trace (%q) outside development mode: %s", m, excerpt(env.data))))
		}
	}
	if e.Data != "" {
		var want, got bytes.Buffer
		if err := json.Compact(&want, []byte(e.Data)); err != nil {
			p = append(p, fmt.Sprintf("the case's expected data is not JSON: %v", err))
		} else if err := json.Compact(&got, env.data); err != nil || !bytes.Equal(want.Bytes(), got.Bytes()) {
			p = append(p, fail(fmt.Sprintf("data is %s, want %s", excerpt(env.data), e.Data)))
		}
	}
	return p, env
}

// stackTrace matches what stack traces show: a Go goroutine header, a
// Python traceback's, or a source file with its line number.
var stackTrace = regexp.MustCompile(`goroutine \d+ \[|\.(go|py|rb|java|js|ts|php|cs):\d+|Traceback \(most recent call last\)`)

func codeNote(env *parsed) string {
	if env.code == "" {
		return ""
	}
	return fmt.Sprintf(" (code %q)", env.code)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}
