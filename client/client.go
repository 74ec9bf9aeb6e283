package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
)

// DefaultMaxReplyBytes is the largest reply body a Client reads when its
// MaxReplyBytes is 0.
const DefaultMaxReplyBytes = 32 << 20

// userAgent is sent unless Client.Header names another.
const userAgent = "apienvelope-client"

// Client calls the actions of one API. Its zero value is not usable: set
// BaseURL. A Client is safe for concurrent use once set up; change its
// fields only before the first call.
type Client struct {
	// BaseURL is what action names are appended to, such as
	// "https://mail.example.com/api/v1": action "send/message" is then
	// POSTed to https://mail.example.com/api/v1/send/message.
	BaseURL string
	// HTTPClient sends the requests; nil means http.DefaultClient. Unless
	// it has its own CheckRedirect, redirects are followed only to the
	// same host name (the 308 from http to https), so that Header never
	// goes to another host; any other redirect is a ProtocolError.
	HTTPClient *http.Client
	// Header is sent with every request: an API key such as
	// X-Server-API-Key, a User-Agent. Content-Type and Accept are always
	// application/json.
	Header http.Header
	// MaxReplyBytes bounds the reply body the client reads; a longer reply
	// is a ProtocolError. 0 means DefaultMaxReplyBytes.
	MaxReplyBytes int64
}

// Call calls action ("controller/action") with params, which must encode
// as a JSON object (a nil pointer or map sends {}), and decodes the data of
// a success envelope into an R.
//
// On any other status the error is the server's [*envelope.Error], and
// Meta still holds the envelope's time, flags and headers. A reply that is
// not an envelope is a [*ProtocolError]. A success whose data does not fit
// R is an error that wraps the JSON decoder's. Other errors come from
// encoding params or from the HTTP client, wrapped. On any error the
// result is R's zero value.
func Call[P, R any](ctx context.Context, c *Client, action string, params P) (R, Meta, error) {
	var result R
	meta, err := c.Do(ctx, action, params, &result)
	if err != nil {
		var zero R
		return zero, meta, err
	}
	return result, meta, nil
}

// Do is Call without type parameters: it decodes the data of a success
// envelope into result, a pointer, or throws the data away when result is
// nil.
func (c *Client) Do(ctx context.Context, action string, params, result any) (Meta, error) {
	body, err := encodeParams(params)
	if err != nil {
		return Meta{}, fmt.Errorf("client: %s: %w", action, err)
	}
	u, err := c.actionURL(action)
	if err != nil {
		return Meta{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return Meta{}, fmt.Errorf("client: %s: %w", action, err)
	}
	for k, v := range c.Header {
		req.Header[k] = slices.Clone(v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", userAgent)
	}

	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	if hc.CheckRedirect == nil {
		sameHost := *hc
		sameHost.CheckRedirect = checkRedirect
		hc = &sameHost
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Meta{}, fmt.Errorf("client: %s: %w", action, err)
	}
	defer resp.Body.Close()
	limit := c.MaxReplyBytes
	if limit <= 0 {
		limit = DefaultMaxReplyBytes
	}
	// Read what arrives, never what Content-Length announces: no memory is
	// set aside for bytes the server has not sent.
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return Meta{Header: resp.Header}, fmt.Errorf("client: %s: reading the reply: %w", action, err)
	}
	if int64(len(raw)) > limit {
		return Meta{Header: resp.Header}, newProtocolError(action, resp, raw, fmt.Sprintf("the body is over %d bytes", limit), nil)
	}
	return decodeReply(action, resp, raw, result)
}

// encodeParams encodes params as the JSON object the action reads.
func encodeParams(params any) ([]byte, error) {
	body, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("encoding the parameters: %w", err)
	}
	if string(body) == "null" {
		return []byte("{}"), nil
	}
	// The server would answer ParametersNotObject; saying so here saves
	// the round trip and names the Go type.
	if body[0] != '{' {
		return nil, fmt.Errorf("the parameters must encode as a JSON object; %T does not", params)
	}
	return body, nil
}

// actionURL is BaseURL with the action's segments appended.
func (c *Client) actionURL(action string) (string, error) {
	base, err := url.Parse(c.BaseURL)
	if err != nil {
		return "", fmt.Errorf("client: BaseURL: %w", err)
	}
	if base.Scheme != "https" && base.Scheme != "http" || base.Host == "" {
		return "", fmt.Errorf("client: BaseURL %q is not an http or https URL", c.BaseURL)
	}
	segments := strings.Split(action, "/")
	for _, s := range segments {
		// "." and ".." would climb out of BaseURL once the path is cleaned.
		if s == "" || s == "." || s == ".." {
			return "", fmt.Errorf("client: action %q is not a name such as \"send/message\"", action)
		}
	}
	return base.JoinPath(segments...).String(), nil
}

// checkRedirect follows a redirect to the host name of the first request,
// as net/http would (10 at most), and stops at any other: net/http sends
// the request's headers, the API key among them, wherever it is sent.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 || req.URL.Hostname() != via[0].URL.Hostname() {
		return http.ErrUseLastResponse
	}
	return nil
}
