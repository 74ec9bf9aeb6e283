package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
)

var genKinds = []string{"params", "form", "multipart", "large", "nested", "invalid_utf8"}

// unknownField is a parameter name no action is expected to have.
const unknownField = "zz_conformance_unknown_field"

// field resolves the "$int_field" style placeholders; "" means the option
// the placeholder stands for was not given.
func (o *Options) field(name string) string {
	switch name {
	case "$int_field":
		return o.IntField
	case "$int_field_upper":
		// Another name only where upper case changes it.
		if upper := strings.ToUpper(o.IntField); upper != o.IntField {
			return upper
		}
		return ""
	case "$required_field":
		return o.RequiredField
	case "$unknown_field":
		return unknownField
	case "$panic_action":
		return o.PanicAction
	case "$cors_origin":
		return o.CORSOrigin
	}
	return name
}

// needs returns why the case cannot run with these options, or "".
func (o *Options) needs(c *Case, live bool) string {
	switch {
	case c.Handler != nil && live:
		return "runs only in-process: conformance.Run with Options.Wrap"
	case c.Handler != nil && o.Wrap == nil:
		return "needs Options.Wrap"
	case c.Handler != nil:
		return ""
	case c.Maintenance && !o.maintenanceOn(live):
		if live {
			return "needs -maintenance: a server in maintenance mode"
		}
		return "needs Options.Maintenance"
	case !c.Maintenance && live && o.InMaintenance:
		return "the server is in maintenance mode"
	case c.Production && !o.Production && live:
		return "needs -production: a server outside development mode"
	case c.Production && !o.Production:
		return "needs Options.Production"
	case c.Strict != nil && *c.Strict && !o.Strict:
		return "needs -strict: the action rejects unknown fields"
	case c.Strict != nil && !*c.Strict && o.Strict:
		return "the action is strict (-strict)"
	}
	reqs := []Request{c.Request}
	if c.Expect.SameAs != nil {
		reqs = append(reqs, *c.Expect.SameAs)
	}
	for _, r := range reqs {
		if r.PlainHTTP && live && o.HTTPURL == "" {
			return "needs -http-url: the server's plain-HTTP address"
		}
		switch {
		case r.Peer == "trusted" && live && !o.TrustedProxy:
			return "needs -trusted-proxy: a target that trusts this machine as a proxy"
		case r.Peer == "trusted" && !live && o.TrustedProxyAddr == "":
			return "needs Options.TrustedProxyAddr"
		case r.Peer == "untrusted" && live && o.TrustedProxy:
			return "the target trusts this machine as a proxy"
		}
		if strings.HasPrefix(r.Path, "$") && o.field(r.Path) == "" {
			return "needs " + flagFor(r.Path)
		}
		for _, v := range r.Headers {
			if strings.HasPrefix(v, "$") && o.field(v) == "" {
				return "needs " + flagFor(v)
			}
		}
		if g := r.Generate; g != nil {
			if (g.Kind == "params" || (g.Kind == "form" || g.Kind == "multipart") && g.Raw == "") && o.Params == "" {
				return "needs -params: a valid parameters body for the action"
			}
			for k := range g.Set {
				if o.field(k) == "" {
					return "needs " + flagFor(k)
				}
				if k == "$unknown_field" && !o.Strict {
					return "needs -strict: the action rejects unknown fields"
				}
			}
			for _, k := range slices.Concat(g.Delete, g.Repeat) {
				if o.field(k) == "" {
					return "needs " + flagFor(k)
				}
			}
		}
	}
	if m := c.Expect.MessageNames; m != "" && o.field(m) == "" {
		return "needs " + flagFor(m)
	}
	return ""
}

func flagFor(placeholder string) string {
	switch placeholder {
	case "$int_field":
		return "-int-field: an integer parameter of the action"
	case "$int_field_upper":
		return "-int-field: an integer parameter whose name has a lower-case letter"
	case "$required_field":
		return "-required-field: a required parameter of the action"
	case "$panic_action":
		return "-panic-action: the path of an action that panics"
	case "$cors_origin":
		return "-cors-origin: an origin the target allows"
	}
	return placeholder
}

func (o *Options) maintenanceOn(live bool) bool {
	if live {
		return o.InMaintenance
	}
	return o.Maintenance != nil
}

// body returns the request's body and the Content-Type it implies.
func (o *Options) body(r *Request) (body []byte, contentType string, err error) {
	g := r.Generate
	if g == nil {
		return []byte(r.Body), "", nil
	}
	switch g.Kind {
	case "params":
		b, err := o.editParams(g)
		return b, "", err
	case "form":
		v := url.Values{"params": {o.rawOrParams(g)}}
		return []byte(v.Encode()), "application/x-www-form-urlencoded", nil
	case "multipart":
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if err := mw.WriteField("params", o.rawOrParams(g)); err != nil {
			return nil, "", err
		}
		if err := mw.Close(); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), mw.FormDataContentType(), nil
	case "large":
		const head, tail = `{"padding":"`, `"}`
		n := max(g.Bytes-len(head)-len(tail), 0)
		return []byte(head + strings.Repeat("x", n) + tail), "", nil
	case "nested":
		d := max(g.Depth, 1)
		var b bytes.Buffer
		b.Grow(2*d + 8)
		b.WriteString(`{"a":`)
		b.WriteString(strings.Repeat("[", d))
		b.WriteString(strings.Repeat("]", d))
		b.WriteString("}")
		return b.Bytes(), "", nil
	case "invalid_utf8":
		return []byte("{\"name\":\"caf\xe9 \xff\xfe\"}"), "", nil
	}
	return nil, "", fmt.Errorf("unknown generate kind %q", g.Kind)
}

func (o *Options) rawOrParams(g *BodyGen) string {
	if g.Raw != "" {
		return g.Raw
	}
	return o.Params
}

// editParams applies Set and Delete to the valid parameters, keeping the
// rest as the user wrote it.
func (o *Options) editParams(g *BodyGen) ([]byte, error) {
	if len(g.Set) == 0 && len(g.Delete) == 0 && len(g.Repeat) == 0 {
		return []byte(o.Params), nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(o.Params), &m); err != nil {
		return nil, fmt.Errorf("the valid parameters are not a JSON object: %w", err)
	}
	for k, v := range g.Set {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		m[o.field(k)] = b
	}
	for _, k := range g.Delete {
		delete(m, o.field(k))
	}
	b, err := json.Marshal(m)
	if err != nil || len(g.Repeat) == 0 {
		return b, err
	}
	// A map cannot hold a name twice: the repeats are written after the
	// last field, by hand.
	b = b[:len(b)-1]
	for _, k := range g.Repeat {
		name := o.field(k)
		v, ok := m[name]
		if !ok {
			return nil, fmt.Errorf("the valid parameters have no field %q to repeat", name)
		}
		key, _ := json.Marshal(name)
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(append(b, key...), ':'), v...)
	}
	return append(b, '}'), nil
}
