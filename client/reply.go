package client

import (
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/apienvelope/apienvelope/envelope"
)

// Meta is the rest of an envelope: what came with the data.
type Meta struct {
	// Time is what the server says it spent on the request (the
	// envelope's "time", in seconds on the wire).
	Time time.Duration
	// Flags are the envelope's flags, each as the JSON it arrived as.
	Flags map[string]jsontext.Value
	// Page is the "paginated" flag, nil when the envelope has none.
	Page *envelope.Page
	// Sort is the "sorted" flag, nil when the envelope has none.
	Sort *envelope.Sort
	// Header is the reply's HTTP header, X-Request-Id among others.
	Header http.Header
}

// Flag decodes the flag called name into v, a pointer, and reports whether
// the envelope has it.
func (m Meta) Flag(name string, v any) (bool, error) {
	raw, ok := m.Flags[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("client: flag %q: %w", name, err)
	}
	return true, nil
}

// NextPage returns the number of the page after this one, and false when
// this is the last page or the envelope is not paginated.
func (m Meta) NextPage() (int, bool) {
	if m.Page == nil || m.Page.Page < 1 || m.Page.Page >= m.Page.TotalPages {
		return 0, false
	}
	return m.Page.Page + 1, true
}

// wireEnvelope is an envelope as it arrives, its data left undecoded until
// the status says what it holds.
type wireEnvelope struct {
	Status envelope.Status           `json:"status"`
	Time   float64                   `json:"time"`
	Flags  map[string]jsontext.Value `json:"flags"`
	Data   jsontext.Value            `json:"data"`
}

// decodeReply reads raw, the whole body of resp, as an envelope: its data
// goes into result on success, any other status is returned as an
// *envelope.Error.
func decodeReply(action string, resp *http.Response, raw []byte, result any) (Meta, error) {
	meta := Meta{Header: resp.Header}
	fail := func(reason string, err error) (Meta, error) {
		return meta, newProtocolError(action, resp, raw, reason, err)
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusInternalServerError, http.StatusServiceUnavailable:
	default:
		return fail(fmt.Sprintf("HTTP %d is not a status an envelope is sent with", resp.StatusCode), nil)
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		return fail("the content type is not JSON", nil)
	}
	var w wireEnvelope
	if err := json.Unmarshal(raw, &w); err != nil {
		return fail("the body is not an envelope", err)
	}
	if w.Status == "" {
		return fail("the envelope has no status", nil)
	}
	// A time too large for a Duration is as wrong as a negative one.
	if w.Time < 0 || w.Time*float64(time.Second) >= math.MaxInt64 {
		return fail("the envelope's time is not a number of seconds", nil)
	}
	meta.Time = time.Duration(math.Round(w.Time * float64(time.Second)))
	meta.Flags = w.Flags
	if _, err := meta.Flag("paginated", &meta.Page); err != nil {
		return fail("the paginated flag is not a page", err)
	}
	if _, err := meta.Flag("sorted", &meta.Sort); err != nil {
		return fail("the sorted flag is not a sort", err)
	}

	if w.Status == envelope.StatusSuccess {
		if result == nil || len(w.Data) == 0 {
			return meta, nil
		}
		if err := json.Unmarshal(w.Data, result); err != nil {
			return meta, fmt.Errorf("client: %s: decoding the data: %w", action, err)
		}
		return meta, nil
	}
	e, reason, err := decodeError(w.Status, w.Data)
	if e == nil {
		return fail(reason, err)
	}
	if e.Status == envelope.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(resp.Header, time.Now())
	}
	return meta, e
}

// decodeError reads the data of an envelope whose status is not success:
// an object with code and message, maybe field and errors, and the error's
// own attributes. Attribute values are decoded as into an any: numbers
// become float64, objects map[string]any. When data is not such an object,
// e is nil and reason says why.
func decodeError(status envelope.Status, data jsontext.Value) (e *envelope.Error, reason string, err error) {
	var members map[string]jsontext.Value
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, fmt.Sprintf("the data of a %s envelope is not an object", status), err
	}
	e = &envelope.Error{Status: status}
	for name, value := range members {
		var dst any
		switch name {
		case "code":
			dst = &e.Code
		case "message":
			dst = &e.Message
		case "field":
			dst = &e.Field
		case "errors":
			dst = &e.Errors
		default:
			var v any
			if err := json.Unmarshal(value, &v); err != nil {
				return nil, fmt.Sprintf("the attribute %q of a %s envelope is not JSON", name, status), err
			}
			if e.Attributes == nil {
				e.Attributes = make(map[string]any, len(members))
			}
			e.Attributes[name] = v
			continue
		}
		if err := json.Unmarshal(value, dst); err != nil {
			return nil, fmt.Sprintf("the %q of a %s envelope is malformed", name, status), err
		}
	}
	if e.Code == "" {
		return nil, fmt.Sprintf("the data of a %s envelope has no code", status), nil
	}
	return e, "", nil
}

// isJSON reports whether contentType is application/json or a +json type.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// retryAfter reads the Retry-After header, in seconds or as an HTTP date
// (RFC 9110, section 10.2.3); 0 when there is none or it cannot be read.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		// A huge value is capped rather than left to overflow.
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, int64(math.MaxInt64/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
