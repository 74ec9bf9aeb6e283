package demo_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/client"
	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
	"github.com/apienvelope/apienvelope/envelope"
)

const clientTestKey = "client-test-key"

// newClientServer serves the demo over TLS, as a client sees it: only
// through its public API.
func newClientServer(t *testing.T, cfg demo.Config) (*demo.Server, *httptest.Server) {
	t.Helper()
	if cfg.APIKey == "" {
		cfg.APIKey = clientTestKey
	}
	d := demo.New(cfg)
	srv := httptest.NewUnstartedServer(d)
	// TestClientProtocolError's refused handshake is the point, not news.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return d, srv
}

// The demo's API as a Go program calls it with the client package, over
// TLS. The types are the client's own: it does not share the server's.

type clientSendParams struct {
	To        []string `json:"to,omitempty"`
	CC        []string `json:"cc,omitempty"`
	From      string   `json:"from"`
	Subject   string   `json:"subject"`
	PlainBody string   `json:"plain_body"`
}

type clientSendResult struct {
	MessageID string `json:"message_id"`
	Messages  map[string]struct {
		ID    int    `json:"id"`
		Token string `json:"token"`
	} `json:"messages"`
}

type clientListParams struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page,omitempty"`
}

type clientListItem struct {
	ID     int    `json:"id"`
	RcptTo string `json:"rcpt_to"`
}

func newDemoClient(t *testing.T, s *httptest.Server, key string) *client.Client {
	t.Helper()
	return &client.Client{
		BaseURL:    s.URL + "/api/v1",
		HTTPClient: s.Client(),
		Header:     http.Header{"X-Server-API-Key": {key}},
	}
}

func TestClient(t *testing.T) {
	_, s := newClientServer(t, demo.Config{})
	c := newDemoClient(t, s, clientTestKey)
	ctx := context.Background()

	t.Run("typed success", func(t *testing.T) {
		res, meta, err := client.Call[clientSendParams, clientSendResult](ctx, c, "send/message", clientSendParams{
			To: []string{"Ann <ann@example.com>"}, From: "demo@example.com", Subject: "Hello", PlainBody: "Hi",
		})
		require.NoError(t, err)
		assert.Regexp(t, `^[0-9a-f-]{36}@demoapi\.localhost$`, res.MessageID)
		require.Contains(t, res.Messages, "ann@example.com")
		assert.Positive(t, res.Messages["ann@example.com"].ID)
		assert.Len(t, res.Messages["ann@example.com"].Token, 12)
		assert.Positive(t, meta.Time, "Postal's 3 decimals, never 0")
		assert.Empty(t, meta.Flags)
		assert.NotEmpty(t, meta.Header.Get("X-Content-Type-Options"))
	})

	t.Run("errors.Is on NoRecipients", func(t *testing.T) {
		_, _, err := client.Call[clientSendParams, clientSendResult](ctx, c, "send/message", clientSendParams{
			From: "demo@example.com", PlainBody: "Hi",
		})
		// The server's own declarations match on the client.
		require.ErrorIs(t, err, demo.ErrNoRecipients)
		assert.NotErrorIs(t, err, demo.ErrNoContent)
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "There are no recipients defined to receive this message", e.Message)
	})

	t.Run("MessageNotFound carries its id", func(t *testing.T) {
		for _, id := range []any{999, "999"} {
			_, _, err := client.Call[map[string]any, map[string]any](ctx, c, "messages/message", map[string]any{"id": id})
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, demo.ErrMessageNotFound)
			assert.Equal(t, envelope.StatusError, e.Status)
			assert.Equal(t, "MessageNotFound", e.Code)
			want := any(float64(999)) // numbers decode as encoding/json decodes them into an any
			if s, ok := id.(string); ok {
				want = s
			}
			assert.Equal(t, map[string]any{"id": want}, e.Attributes)
		}
	})

	t.Run("parameter error", func(t *testing.T) {
		_, _, err := client.Call[map[string]any, clientSendResult](ctx, c, "send/message", map[string]any{"to": "ann@example.com"})
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, envelope.ErrParameter)
		assert.Equal(t, "to", e.Field)
	})

	t.Run("authenticator's errors", func(t *testing.T) {
		_, _, err := client.Call[clientListParams, []clientListItem](ctx, newDemoClient(t, s, "wrong"), "messages/list", clientListParams{})
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, demo.ErrInvalidServerAPIKey)
		assert.Equal(t, map[string]any{"token": "wrong"}, e.Attributes)

		noKey := newDemoClient(t, s, "")
		noKey.Header = nil
		_, _, err = client.Call[clientListParams, []clientListItem](ctx, noKey, "messages/list", clientListParams{})
		assert.ErrorIs(t, err, demo.ErrAccessDenied)
	})

	t.Run("wrapped handler's not-found", func(t *testing.T) {
		_, _, err := client.Call[map[string]int, []map[string]any](ctx, c, "messages/deliveries", map[string]int{"id": 999})
		assert.ErrorIs(t, err, envelope.ErrNotFound)
		assert.ErrorIs(t, err, demo.ErrDeliveriesNotFound)
	})
}

func TestClientPagination(t *testing.T) {
	_, s := newClientServer(t, demo.Config{})
	c := newDemoClient(t, s, clientTestKey)
	ctx := context.Background()

	// 65 messages: 50 To and 15 CC recipients, one message each.
	var to, cc []string
	for i := range 65 {
		addr := fmt.Sprintf("r%02d@example.com", i)
		if i < 50 {
			to = append(to, addr)
		} else {
			cc = append(cc, addr)
		}
	}
	_, _, err := client.Call[clientSendParams, clientSendResult](ctx, c, "send/message",
		clientSendParams{To: to, CC: cc, From: "demo@example.com", PlainBody: "Hi"})
	require.NoError(t, err)

	items, meta, err := client.Call[clientListParams, []clientListItem](ctx, c, "messages/list", clientListParams{Page: 2})
	require.NoError(t, err)
	require.NotNil(t, meta.Page)
	assert.Equal(t, envelope.Page{Page: 2, PerPage: 30, TotalPages: 3, TotalRecords: 65}, *meta.Page)
	require.Len(t, items, 30)
	assert.Equal(t, 31, items[0].ID)
	next, ok := meta.NextPage()
	assert.True(t, ok)
	assert.Equal(t, 3, next)

	var asked []int
	var all []clientListItem
	for it, err := range client.Pages[clientListParams, clientListItem](ctx, c, "messages/list", func(page int) clientListParams {
		asked = append(asked, page)
		return clientListParams{Page: page, PerPage: 25}
	}) {
		require.NoError(t, err)
		all = append(all, it)
	}
	assert.Equal(t, []int{1, 2, 3}, asked)
	require.Len(t, all, 65)
	for i, it := range all {
		assert.Equal(t, i+1, it.ID)
	}
	assert.Equal(t, "r64@example.com", all[64].RcptTo)
}

func TestClientMaintenance(t *testing.T) {
	d, s := newClientServer(t, demo.Config{})
	d.SetMaintenance(true)
	c := newDemoClient(t, s, clientTestKey)
	_, meta, err := client.Call[clientListParams, []clientListItem](context.Background(), c, "messages/list", clientListParams{})
	require.ErrorIs(t, err, envelope.ErrUnavailable)
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, envelope.CodeServiceUnavailable, e.Code)
	assert.Equal(t, "The demo is in maintenance mode", e.Message)
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Positive(t, meta.Time)
}

// TestClientProtocolError calls the demo's TLS port in plain HTTP: Go's
// server answers that itself, before any handler, with a text 400, which
// is not an envelope.
func TestClientProtocolError(t *testing.T) {
	_, srv := newClientServer(t, demo.Config{})
	c := &client.Client{
		BaseURL:    "http://" + srv.Listener.Addr().String() + "/api/v1",
		HTTPClient: &http.Client{},
		Header:     http.Header{"X-Server-API-Key": {clientTestKey}},
	}
	_, _, err := client.Call[clientListParams, []clientListItem](context.Background(), c, "messages/list", clientListParams{})
	var pe *client.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.NotErrorAs(t, err, new(*envelope.Error))
	assert.Equal(t, http.StatusBadRequest, pe.StatusCode)
	assert.Equal(t, "messages/list", pe.Action)
	assert.Empty(t, pe.ContentType)
	assert.Equal(t, "Client sent an HTTP request to an HTTPS server.\n", string(pe.Body))
	assert.EqualError(t, err, `client: messages/list: the reply is not an envelope: HTTP 400 is not a status an envelope is sent with; `+
		`HTTP 400, Content-Type "", body "Client sent an HTTP request to an HTTPS server.\n"`)
}

// Example_client calls the demo over TLS with the Go client: a message
// sent, the server's declared errors matched with errors.Is, an error's
// attributes, pagination and the 503's Retry-After.
func Example_client() {
	d := demo.New(demo.Config{APIKey: "demo-key"})
	srv := httptest.NewTLSServer(d)
	defer srv.Close()
	c := &client.Client{
		BaseURL:    srv.URL + "/api/v1",
		HTTPClient: srv.Client(),
		Header:     http.Header{"X-Server-API-Key": {"demo-key"}},
	}
	ctx := context.Background()

	type SendParams struct {
		To        []string `json:"to"`
		From      string   `json:"from"`
		PlainBody string   `json:"plain_body"`
	}
	type SendResult struct {
		MessageID string                    `json:"message_id"`
		Messages  map[string]map[string]any `json:"messages"`
	}
	res, meta, err := client.Call[SendParams, SendResult](ctx, c, "send/message",
		SendParams{To: []string{"ann@example.com"}, From: "demo@example.com", PlainBody: "Hi"})
	fmt.Println(err, res.Messages["ann@example.com"]["id"], meta.Time > 0)

	_, _, err = client.Call[SendParams, SendResult](ctx, c, "send/message", SendParams{From: "demo@example.com"})
	fmt.Println(errors.Is(err, demo.ErrNoRecipients), err)

	_, _, err = client.Call[map[string]int, any](ctx, c, "messages/message", map[string]int{"id": 42})
	var e *envelope.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Attributes["id"])
	}

	items, meta, _ := client.Call[map[string]int, []map[string]any](ctx, c, "messages/list", map[string]int{"page": 1})
	fmt.Println(len(items), *meta.Page)

	d.SetMaintenance(true)
	_, _, err = client.Call[map[string]int, []map[string]any](ctx, c, "messages/list", nil)
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.RetryAfter)
	}
	// Output:
	// <nil> 1 true
	// true error: NoRecipients: There are no recipients defined to receive this message
	// MessageNotFound 42
	// 1 {1 30 1 1}
	// service-unavailable 30s
}
