package envelope

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/apienvelope/apienvelope/internal/statuscode"
)

var errCaptureTooLarge = errors.New("envelope: the wrapped handler's response is larger than Options.MaxCapturedBytes")

// maxMessageBytes bounds an error message taken from a wrapped handler's body.
const maxMessageBytes = 1024

// translate turns what a wrapped handler wrote into an answer (CONTRACT W1).
func (ex *exchange) translate() answer {
	if ex.overflow {
		return answer{err: internalError(errCaptureTooLarge)}
	}
	code, body := ex.code, bytes.TrimSpace(ex.capture)
	isJSON := isJSONBody(contentTypeOf(ex.w.Header()), body)
	if code >= 200 && code < 300 {
		switch {
		case len(body) == 0:
			return answer{data: nil}
		case isJSON:
			return answer{rawData: body}
		default:
			return answer{data: validString(body)}
		}
	}
	e := &Error{Status: statusForCode(code), Code: statuscode.Code(code), Message: messageFrom(body, isJSON)}
	switch {
	case e.Status == StatusInternalServerError:
		e.Err = errors.New("wrapped handler answered " + strconv.Itoa(code) + ": " + e.Message)
	case e.Status == StatusServiceUnavailable:
		if secs, err := strconv.Atoi(ex.w.Header().Get("Retry-After")); err == nil && secs > 0 {
			e.RetryAfter = secondsDuration(secs)
		}
	case e.Status == StatusValidationError && isJSON:
		e.Errors = validationErrorsFrom(body)
	case code >= 300 && code < 400:
		if loc := ex.w.Header().Get("Location"); loc != "" {
			e.Attributes = map[string]any{"location": loc}
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(code)
	}
	if e.Message == "" {
		e.Message = "The handler answered with HTTP status " + strconv.Itoa(code)
	}
	return answer{err: e}
}

func statusForCode(code int) Status {
	switch {
	case code == http.StatusBadRequest:
		return StatusParameterError
	case code == http.StatusUnprocessableEntity:
		return StatusValidationError
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return StatusAccessDenied
	case code == http.StatusNotFound:
		return StatusNotFound
	case code == http.StatusServiceUnavailable:
		return StatusServiceUnavailable
	case code >= 500 || code < 100:
		return StatusInternalServerError
	}
	return StatusError
}

// isJSONBody reports whether a wrapped handler's body is JSON: it says so in
// its Content-Type, or sets none and the body parses. Either way the body must
// be valid JSON and UTF-8 to be embedded as it is.
func isJSONBody(contentType string, body []byte) bool {
	switch contentType {
	case "", "application/json", "application/json; charset=utf-8":
	default:
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return false
		}
	}
	return len(body) > 0 && jsontext.Value(body).IsValid(lenient)
}

// lenient reads what a wrapped handler wrote as encoding/json v1 would
// have written it: a name may come twice. Invalid UTF-8 is still refused.
var lenient = jsontext.AllowDuplicateNames(true)

// messageFrom takes the message of an error body: a JSON object's "message"
// or "error" string, else the text itself.
func messageFrom(body []byte, isJSON bool) string {
	if isJSON {
		var m struct {
			Message any `json:"message"`
			Error   any `json:"error"`
		}
		if json.Unmarshal(body, &m, lenient) == nil {
			for _, v := range []any{m.Message, m.Error} {
				if s, ok := v.(string); ok && s != "" {
					return truncate(s)
				}
			}
		}
	}
	return truncate(validString(body))
}

func validationErrorsFrom(body []byte) map[string][]string {
	var m struct {
		Errors map[string]jsontext.Value `json:"errors"`
	}
	if json.Unmarshal(body, &m, lenient) != nil || m.Errors == nil {
		return nil
	}
	out := make(map[string][]string, len(m.Errors))
	for field, raw := range m.Errors {
		var list []string
		var one string
		switch {
		case json.Unmarshal(raw, &list) == nil:
			out[field] = list
		case json.Unmarshal(raw, &one) == nil:
			out[field] = []string{one}
		}
	}
	return out
}

func validString(b []byte) string {
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func truncate(s string) string {
	if len(s) <= maxMessageBytes {
		return s
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func secondsDuration(secs int) time.Duration { return time.Duration(secs) * time.Second }
