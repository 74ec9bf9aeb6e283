package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// response is what came back, whichever way it was sent.
type response struct {
	code   int
	header http.Header
	body   []byte
	// contentLength is the announced length, -1 when none was.
	contentLength int64
	// chunked is true when the body came with Transfer-Encoding: chunked.
	chunked bool
	// aborted is true when the handler's ErrAbortHandler panic went through.
	aborted bool
	// panicked holds another panic that escaped the handler in-process.
	panicked any
	// elapsed is how long the request took, seen from the client.
	elapsed time.Duration
	// bodyRead is true when the handler read the request body, known
	// in-process only.
	bodyRead bool
}

// parsed is an envelope's fields, as sent.
type parsed struct {
	keys    []string
	status  string
	time    json.RawMessage
	flags   json.RawMessage
	data    json.RawMessage
	code    string
	message string
}

// statusHTTP maps every envelope status to the HTTP status that carries it
// (CONTRACT.md's table).
var statusHTTP = map[string]int{
	"success":               200,
	"parameter-error":       200,
	"validation-error":      200,
	"access-denied":         200,
	"not-found":             200,
	"error":                 200,
	"internal-server-error": 500,
	"service-unavailable":   503,
}

var camelCase = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// checkGeneric checks what CONTRACT.md demands of every envelope (S1–S6). It
// returns the problems, each starting with the rule it breaks, and the
// envelope when one could be read.
func checkGeneric(resp *response, head bool) ([]string, *parsed) {
	var p []string
	allowed := resp.code == 200 || resp.code == 500 || resp.code == 503
	if !allowed {
		p = append(p, fmt.Sprintf("S6: HTTP %d is not an allowed status", resp.code))
	}
	ct := resp.header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" || !strings.EqualFold(params["charset"], "utf-8") {
		p = append(p, fmt.Sprintf("S1: Content-Type is %q, want \"application/json; charset=utf-8\"", ct))
	}
	switch {
	case resp.chunked || resp.contentLength < 0:
		p = append(p, "S1: Content-Length is not set")
	case !head && resp.contentLength != int64(len(resp.body)):
		p = append(p, fmt.Sprintf("S1: Content-Length is %d but the body has %d bytes", resp.contentLength, len(resp.body)))
	}
	if ra := resp.header.Get("Retry-After"); ra != "" && !validRetryAfter(ra) {
		p = append(p, fmt.Sprintf("S5: Retry-After %q is neither seconds nor an HTTP date", ra))
	}
	if head {
		return p, nil
	}
	env, problems := parseEnvelope(resp.body)
	p = append(p, problems...)
	if env == nil {
		return p, nil
	}
	if want, ok := statusHTTP[env.status]; ok && allowed && want != resp.code {
		p = append(p, fmt.Sprintf("S2: status %q must come with HTTP %d, not %d", env.status, want, resp.code))
	}
	if q := checkTime(env.time, resp.elapsed); q != "" {
		p = append(p, q)
	}
	return p, env
}

func validRetryAfter(v string) bool {
	if n, err := strconv.Atoi(v); err == nil {
		return n >= 0
	}
	_, err := http.ParseTime(v)
	return err == nil
}

var envelopeKeys = []string{"status", "time", "flags", "data"}

// parseEnvelope reads the body as one JSON object with the envelope's keys in
// their order. It reads the keys by hand because encoding/json's maps forget
// the order and its structs forgive missing and duplicate keys.
func parseEnvelope(body []byte) (*parsed, []string) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, []string{"S1: the body is empty, want one JSON object"}
	}
	if !json.Valid(body) {
		if n := jsonValues(body); n > 1 {
			return nil, []string{fmt.Sprintf("S1: the body holds %d JSON values, want one: %s", n, excerpt(body))}
		}
		return nil, []string{"S1: the body is not one valid JSON value: " + excerpt(body)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return nil, []string{"S1: the body is not a JSON object: " + excerpt(body)}
	}
	env := &parsed{}
	fields := map[string]json.RawMessage{}
	var p []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, []string{"S1: the body cannot be read: " + err.Error()}
		}
		key := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, []string{"S1: the body cannot be read: " + err.Error()}
		}
		if _, dup := fields[key]; dup {
			p = append(p, fmt.Sprintf("S1: key %q appears twice", key))
		}
		fields[key] = v
		env.keys = append(env.keys, key)
	}
	for i, k := range envelopeKeys {
		if _, ok := fields[k]; !ok {
			p = append(p, fmt.Sprintf("%s: %q is missing", []string{"S2", "S3", "S4", "S5"}[i], k))
		}
	}
	for _, k := range env.keys {
		if !slices.Contains(envelopeKeys, k) {
			p = append(p, fmt.Sprintf("S1: unexpected key %q, the envelope has exactly status, time, flags, data", k))
		}
	}
	if len(p) == 0 && !slices.Equal(env.keys, envelopeKeys) {
		p = append(p, fmt.Sprintf("S1: keys are in the order %s, want status, time, flags, data", strings.Join(env.keys, ", ")))
	}
	env.time, env.flags, env.data = fields["time"], fields["flags"], fields["data"]
	if raw, ok := fields["status"]; ok {
		if err := json.Unmarshal(raw, &env.status); err != nil {
			p = append(p, "S2: status is not a string: "+string(raw))
		} else if _, known := statusHTTP[env.status]; !known {
			p = append(p, fmt.Sprintf("S2: status %q is not one of the contract's statuses", env.status))
		}
	}
	if raw, ok := fields["time"]; ok {
		var t json.Number
		// json.Number also takes a quoted number, which is no number.
		if err := json.Unmarshal(raw, &t); err != nil || bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
			p = append(p, "S3: time is not a number: "+string(raw))
		} else if f, err := t.Float64(); err != nil || f < 0 {
			p = append(p, "S3: time is negative: "+string(raw))
		}
	}
	if raw, ok := fields["flags"]; ok && !isObject(raw) {
		p = append(p, "S4: flags is not an object: "+excerpt(raw))
	} else if ok {
		p = append(p, checkFlags(raw)...)
	}
	if raw, ok := fields["data"]; ok && env.status != "success" && statusHTTP[env.status] != 0 {
		p = append(p, checkErrorData(env, raw)...)
	}
	return env, p
}

// jsonValues is the number of JSON values body holds one after the other,
// such as two envelopes written to one answer; 0 when it is not a sequence
// of valid JSON values.
func jsonValues(body []byte) int {
	dec := json.NewDecoder(bytes.NewReader(body))
	n := 0
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			return 0
		}
		n++
	}
}

// checkErrorData checks S5 for every status but success.
func checkErrorData(env *parsed, raw json.RawMessage) []string {
	if !isObject(raw) {
		return []string{fmt.Sprintf("S5: data of a %q envelope is not an object: %s", env.status, excerpt(raw))}
	}
	var d struct {
		Code    any `json:"code"`
		Message any `json:"message"`
		Errors  any `json:"errors"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return []string{"S5: data cannot be read: " + err.Error()}
	}
	var p []string
	code, ok := d.Code.(string)
	switch {
	case d.Code == nil:
		p = append(p, fmt.Sprintf("S5: data.code is missing from a %q envelope", env.status))
	case !ok:
		p = append(p, "S5: data.code is not a string")
	case !camelCase.MatchString(code):
		p = append(p, fmt.Sprintf("S5: data.code %q is not CamelCase", code))
	}
	env.code = code
	msg, ok := d.Message.(string)
	switch {
	case d.Message == nil:
		p = append(p, fmt.Sprintf("S5: data.message is missing from a %q envelope", env.status))
	case !ok || msg == "":
		p = append(p, "S5: data.message is not a non-empty string")
	}
	env.message = msg
	if env.status == "validation-error" && !validationErrors(d.Errors) {
		p = append(p, `S5: data.errors of a validation-error is not {"field": ["message", ...]}`)
	}
	return p
}

func validationErrors(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, list := range m {
		l, ok := list.([]any)
		if !ok {
			return false
		}
		for _, s := range l {
			if _, ok := s.(string); !ok {
				return false
			}
		}
	}
	return true
}

func isObject(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '{'
}

func excerpt(b []byte) string {
	const max = 120
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}

// checkHTTPSRequired checks the R2 answer to a plain-HTTP request sent to
// sent: a bodyless 308 or 301 to the same host, path and query on https at
// the port of target, the HTTPS address (never the plain port the request
// came in on), or 200 error HTTPSRequired in reject mode, as mode allows.
// It returns what breaks R2, and apart what a reject-mode envelope breaks
// of the generic rules, each with its rule.
func checkHTTPSRequired(resp *response, sent, target *url.URL, mode string) (r2, generic []string) {
	allowed := map[string][]int{"": {308, 301, 200}, "308": {308}, "301": {301}, "redirect": {308, 301}, "reject": {200}}[mode]
	if !slices.Contains(allowed, resp.code) {
		return []string{fmt.Sprintf("got HTTP %d%s, want %s", resp.code, describe(resp), plainAnswers(allowed))}, nil
	}
	if resp.code == 200 {
		generic, env := checkGeneric(resp, false)
		if env != nil && (env.status != "error" || env.code != "HTTPSRequired") {
			r2 = append(r2, fmt.Sprintf("got HTTP 200%s, want %s", describe(resp), plainAnswers(allowed)))
		}
		return r2, generic
	}
	loc, err := sent.Parse(resp.header.Get("Location"))
	switch {
	case resp.header.Get("Location") == "" || err != nil:
		r2 = append(r2, fmt.Sprintf("the redirect has no usable Location (%q)", resp.header.Get("Location")))
	case loc.Scheme != "https":
		r2 = append(r2, fmt.Sprintf("the redirect goes to %q, not to https", loc))
	case loc.Hostname() != sent.Hostname():
		r2 = append(r2, fmt.Sprintf("the redirect goes to host %q, not %q", loc.Hostname(), sent.Hostname()))
	case portOf(loc) != portOf(target):
		came := ""
		if portOf(loc) == portOf(sent) {
			came = ", the plain-HTTP port the request came in on"
		}
		r2 = append(r2, fmt.Sprintf("the redirect goes to port %s%s, want the HTTPS port %s", portOf(loc), came, portOf(target)))
	case loc.EscapedPath() != sent.EscapedPath() || loc.RawQuery != sent.RawQuery:
		r2 = append(r2, fmt.Sprintf("the redirect goes to %q, want the same path and query %q", loc.RequestURI(), sent.RequestURI()))
	}
	if len(resp.body) > 0 {
		r2 = append(r2, fmt.Sprintf("the redirect has a body (%d bytes), want none", len(resp.body)))
	}
	return r2, nil
}

// portOf is u's port, or its scheme's default.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

func plainAnswers(codes []int) string {
	var s []string
	for _, c := range codes {
		if c == 200 {
			s = append(s, "200 error HTTPSRequired")
		} else {
			s = append(s, strconv.Itoa(c)+" to https")
		}
	}
	return strings.Join(s, " or ")
}

// describe summarises an answer for a failure message.
func describe(resp *response) string {
	env, _ := parseEnvelope(resp.body)
	if env == nil || env.status == "" {
		return ""
	}
	var code string
	if isObject(env.data) {
		var d struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(env.data, &d)
		code = d.Code
	}
	if code != "" {
		return fmt.Sprintf(" with status %q code %q", env.status, code)
	}
	return fmt.Sprintf(" with status %q", env.status)
}

// headerTokens compares list headers such as Allow as sets of tokens.
func headerTokens(v string) []string {
	var out []string
	for t := range strings.SplitSeq(v, ",") {
		if t = strings.ToUpper(strings.TrimSpace(t)); t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// readAll reads at most limit bytes of a live answer, so that a broken
// server cannot make the probe hold an endless body.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = errors.New("the answer is larger than " + strconv.FormatInt(limit, 10) + " bytes")
	}
	return b, err
}

// sinceSeconds is for reports.
func sinceSeconds(start time.Time) float64 {
	return time.Since(start).Seconds()
}

// timeSlack covers the coarsest rounding CONTRACT.md mentions (2
// decimals), which may round a fast request up to 0.01.
const timeSlack = 0.011

// checkTime checks that "time" is seconds (S3): no more than the whole
// request took as the client saw it, which catches milliseconds.
func checkTime(raw json.RawMessage, elapsed time.Duration) string {
	var t float64
	if elapsed <= 0 || json.Unmarshal(raw, &t) != nil {
		return ""
	}
	if t > elapsed.Seconds()+timeSlack {
		return fmt.Sprintf("S3: time is %s seconds, more than the %.6f seconds the whole request took: not seconds?", raw, elapsed.Seconds())
	}
	return ""
}

// checkFlags checks the shapes CONTRACT.md gives the pagination and sorting
// flags (S4), where they are present.
func checkFlags(raw json.RawMessage) []string {
	var flags map[string]json.RawMessage
	if json.Unmarshal(raw, &flags) != nil {
		return nil
	}
	var p []string
	if pg, ok := flags["paginated"]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(pg, &m) != nil {
			p = append(p, "S4: flags.paginated is not an object: "+excerpt(pg))
		} else {
			for _, k := range []string{"page", "per_page", "total_pages", "total_records"} {
				var n uint64
				if err := json.Unmarshal(m[k], &n); err != nil {
					p = append(p, fmt.Sprintf("S4: flags.paginated.%s is not a non-negative integer: %s", k, excerpt(m[k])))
				}
			}
		}
	}
	if st, ok := flags["sorted"]; ok {
		var sorted struct {
			By    *string `json:"by"`
			Order string  `json:"order"`
		}
		if err := json.Unmarshal(st, &sorted); err != nil || sorted.By == nil || (sorted.Order != "asc" && sorted.Order != "desc") {
			p = append(p, `S4: flags.sorted is not {"by": "<field>", "order": "asc" or "desc"}: `+excerpt(st))
		}
	}
	return p
}
