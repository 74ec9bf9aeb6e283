package client

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxBodyPrefix is how much of a reply that is not an envelope a
// ProtocolError keeps: enough to recognise a proxy's error page.
const maxBodyPrefix = 512

// ProtocolError is a reply that is not an envelope: a proxy's HTML error
// page, a 404 from a wrong BaseURL, JSON of another shape. It says what
// arrived.
type ProtocolError struct {
	// Action is the action that was called.
	Action string
	// StatusCode is the reply's HTTP status.
	StatusCode int
	// ContentType is the reply's Content-Type header.
	ContentType string
	// Body is the start of the reply's body, at most 512 bytes.
	Body []byte
	// RetryAfter is the reply's Retry-After header, when it has one: a
	// load balancer's 503 page may carry it.
	RetryAfter time.Duration
	// Reason says what is wrong with the reply.
	Reason string
	// Err is the JSON decoder's error, when there is one.
	Err error
}

func newProtocolError(action string, resp *http.Response, body []byte, reason string, err error) *ProtocolError {
	return &ProtocolError{
		Action:      action,
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Body:        bytes.Clone(body[:min(len(body), maxBodyPrefix)]), // not pinning the whole reply
		RetryAfter:  retryAfter(resp.Header, time.Now()),
		Reason:      reason,
		Err:         err,
	}
}

// Error says what arrived: the status, the content type and the first
// bytes of the body.
func (e *ProtocolError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "client: %s: the reply is not an envelope: %s", e.Action, e.Reason)
	if e.Err != nil {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	fmt.Fprintf(&b, "; HTTP %d, Content-Type %q, ", e.StatusCode, e.ContentType)
	const shown = 120
	switch {
	case len(e.Body) == 0:
		b.WriteString("empty body")
	case len(e.Body) > shown:
		fmt.Fprintf(&b, "body %q...", e.Body[:shown])
	default:
		fmt.Fprintf(&b, "body %q", e.Body)
	}
	return b.String()
}

// Unwrap returns the JSON decoder's error, if any.
func (e *ProtocolError) Unwrap() error { return e.Err }
