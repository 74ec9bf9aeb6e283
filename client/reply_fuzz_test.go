package client

import (
	"errors"
	"net/http"
	"testing"

	"github.com/apienvelope/apienvelope/envelope"
)

// FuzzDecodeReply feeds decodeReply whatever a server could send: it must
// not panic, and every reply is a success, an *envelope.Error with a code,
// or a *ProtocolError.
func FuzzDecodeReply(f *testing.F) {
	f.Add(200, "application/json; charset=utf-8", []byte(`{"status":"success","time":0.001,"flags":{"paginated":{"page":1,"per_page":30,"total_pages":4,"total_records":97}},"data":{"id":1}}`))
	f.Add(200, "application/json", []byte(`{"status":"error","time":0.1,"flags":{},"data":{"code":"MessageNotFound","message":"No message","id":42}}`))
	f.Add(200, "application/json", []byte(`{"status":"validation-error","time":0.1,"flags":{},"data":{"code":"ValidationFailed","errors":{"to":["bad"]}}}`))
	f.Add(503, "application/json", []byte(`{"status":"service-unavailable","time":0,"flags":{},"data":{"code":"ServiceUnavailable"}}`))
	f.Add(502, "text/html", []byte(`<html>Bad Gateway</html>`))
	f.Add(200, "application/problem+json", []byte(`{"status":"success","time":1e9,"flags":{"sorted":{"by":"x"}},"data":[]}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{
			"Content-Type": {contentType},
			"Retry-After":  {string(body[:min(len(body), 8)])},
		}}
		var result any
		meta, err := decodeReply("a/b", resp, body, &result)
		var e *envelope.Error
		var pe *ProtocolError
		switch {
		case err == nil:
			if meta.Time < 0 {
				t.Fatalf("negative time %v", meta.Time)
			}
		case errors.As(err, &e):
			if e.Code == "" || e.Status == envelope.StatusSuccess || e.RetryAfter < 0 {
				t.Fatalf("bad error %#v", e)
			}
		case errors.As(err, &pe):
			if len(pe.Body) > maxBodyPrefix || pe.Error() == "" {
				t.Fatalf("bad protocol error %#v", pe)
			}
		default:
			t.Fatalf("unexpected error %T: %v", err, err)
		}
	})
}
