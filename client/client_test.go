package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/client"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// The test API: a small mail API on the toolkit's router, served over TLS.

var errNoRecipients = envelope.NewError("NoRecipients", "There are no recipients defined to receive this message")

type sendParams struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
}

type sendResult struct {
	MessageID string `json:"message_id"`
	Count     int    `json:"count"`
}

type item struct {
	ID int `json:"id"`
}

type testAPI struct {
	*httptest.Server
	maintenance atomic.Bool
	// header is the last request's header, as the action saw it.
	header atomic.Pointer[http.Header]
}

func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	api := &testAPI{}
	logger := slog.New(slog.DiscardHandler)
	router := middleware.NewRouter(middleware.RouterOptions{
		Envelope: middleware.EnvelopeOptions{Logger: logger},
		Recover:  middleware.RecoverOptions{Logger: logger},
		Middleware: []middleware.Middleware{middleware.Maintenance(middleware.MaintenanceOptions{
			On: &api.maintenance, RetryAfter: 90 * time.Second,
		})},
	})
	params := middleware.NewChain(middleware.Params(middleware.ParamsOptions{}), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := r.Header.Clone()
			api.header.Store(&h)
			next.ServeHTTP(w, r)
		})
	})
	router.Action("send", "message", params.Then(envelope.Action(func(ctx context.Context, p sendParams) (sendResult, error) {
		if len(p.To) == 0 {
			return sendResult{}, errNoRecipients
		}
		envelope.SetFlag(ctx, "queued", true)
		return sendResult{MessageID: "m-" + p.Subject, Count: len(p.To)}, nil
	})))
	router.Action("messages", "message", params.Then(envelope.Action(func(_ context.Context, p struct {
		ID int `json:"id"`
	}) (item, error) {
		e := envelope.NewError("MessageNotFound", "No message found matching provided ID")
		e.Attributes = map[string]any{"id": p.ID, "hint": map[string]any{"max": 10}}
		return item{}, e
	})))
	router.Action("messages", "validate", params.Then(envelope.Action(func(_ context.Context, _ struct{}) (any, error) {
		return nil, envelope.ValidationError("", map[string][]string{"to": {"is not an address"}})
	})))
	// messages/list has 7 items, 3 a page, sorted by id.
	router.Action("messages", "list", params.Then(envelope.Action(func(ctx context.Context, p struct {
		Page  int  `json:"page"`
		Stuck bool `json:"stuck"` // always answers page 1
	}) ([]item, error) {
		if p.Stuck {
			p.Page = 1
		}
		pg := envelope.Pagination{DefaultPerPage: 3}.Page(p.Page, 0, 7)
		envelope.SetPage(ctx, pg)
		envelope.SetSort(ctx, envelope.Sort{By: "id", Order: "asc"})
		var items []item
		for id := pg.Offset() + 1; id <= min(pg.Offset()+pg.PerPage, 7); id++ {
			items = append(items, item{ID: id})
		}
		return items, nil
	})))
	router.Action("debug", "panic", params.Then(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})))
	api.Server = httptest.NewUnstartedServer(router)
	// TestTransportError's refused handshakes are expected, not news.
	api.Config.ErrorLog = log.New(io.Discard, "", 0)
	api.StartTLS()
	t.Cleanup(api.Close)
	return api
}

func (api *testAPI) client() *client.Client {
	return &client.Client{
		BaseURL:    api.URL + "/api/v1",
		HTTPClient: api.Server.Client(),
		Header:     http.Header{"X-Server-Api-Key": {"secret"}},
	}
}

func TestCallSuccess(t *testing.T) {
	api := newTestAPI(t)
	res, meta, err := client.Call[sendParams, sendResult](context.Background(), api.client(), "send/message",
		sendParams{To: []string{"a@example.com", "b@example.com"}, Subject: "hi"})
	require.NoError(t, err)
	assert.Equal(t, sendResult{MessageID: "m-hi", Count: 2}, res)
	assert.Positive(t, meta.Time, "the server's time")
	var queued bool
	found, err := meta.Flag("queued", &queued)
	require.NoError(t, err)
	assert.True(t, found)
	assert.True(t, queued)
	found, err = meta.Flag("absent", &queued)
	assert.NoError(t, err)
	assert.False(t, found)
	assert.Nil(t, meta.Page)
	assert.Nil(t, meta.Sort)
	assert.Equal(t, "application/json; charset=utf-8", meta.Header.Get("Content-Type"))

	sent := *api.header.Load()
	assert.Equal(t, "secret", sent.Get("X-Server-API-Key"))
	assert.Equal(t, "application/json", sent.Get("Content-Type"))
	assert.Equal(t, "apienvelope-client", sent.Get("User-Agent"))
}

func TestCallParams(t *testing.T) {
	api := newTestAPI(t)
	c := api.client()
	ctx := context.Background()

	// A nil pointer sends {}: the action sees no recipients.
	_, _, err := client.Call[*sendParams, sendResult](ctx, c, "send/message", nil)
	assert.ErrorIs(t, err, errNoRecipients)

	// Parameters that are not an object never leave the client.
	api.header.Store(nil)
	_, _, err = client.Call[[]string, sendResult](ctx, c, "send/message", []string{"a@example.com"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must encode as a JSON object; []string does not")
	assert.Nil(t, api.header.Load(), "no request was sent")

	// Do without a result throws the data away.
	meta, err := c.Do(ctx, "send/message", sendParams{To: []string{"a@example.com"}}, nil)
	require.NoError(t, err)
	assert.Positive(t, meta.Time)
}

func TestCallErrors(t *testing.T) {
	api := newTestAPI(t)
	c := api.client()
	ctx := context.Background()

	t.Run("declared code", func(t *testing.T) {
		res, meta, err := client.Call[sendParams, sendResult](ctx, c, "send/message", sendParams{})
		assert.Zero(t, res)
		require.ErrorIs(t, err, errNoRecipients)
		assert.NotErrorIs(t, err, envelope.NewError("NoContent", ""))
		assert.NotErrorIs(t, err, envelope.ErrNotFound)
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, envelope.StatusError, e.Status)
		assert.Equal(t, "NoRecipients", e.Code)
		assert.Equal(t, "There are no recipients defined to receive this message", e.Message)
		assert.Nil(t, e.Attributes)
		assert.Equal(t, "error: NoRecipients: There are no recipients defined to receive this message", err.Error())
		assert.Positive(t, meta.Time, "an error envelope still has its time")
	})

	t.Run("attributes", func(t *testing.T) {
		_, _, err := client.Call[map[string]int, item](ctx, c, "messages/message", map[string]int{"id": 42})
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "MessageNotFound", e.Code)
		assert.Equal(t, map[string]any{"id": float64(42), "hint": map[string]any{"max": float64(10)}}, e.Attributes)
	})

	t.Run("parameter error names the field", func(t *testing.T) {
		_, _, err := client.Call[map[string]string, item](ctx, c, "messages/message", map[string]string{"id": "x"})
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, envelope.ErrParameter)
		assert.Equal(t, envelope.CodeInvalidParameterType, e.Code)
		assert.Equal(t, "id", e.Field)
		assert.Nil(t, e.Attributes, "field is not an attribute")
	})

	t.Run("validation errors", func(t *testing.T) {
		_, _, err := client.Call[struct{}, any](ctx, c, "messages/validate", struct{}{})
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, envelope.ErrValidation)
		assert.Equal(t, map[string][]string{"to": {"is not an address"}}, e.Errors)
	})

	t.Run("toolkit code", func(t *testing.T) {
		_, _, err := client.Call[struct{}, any](ctx, c, "send/letter", struct{}{})
		assert.ErrorIs(t, err, envelope.NewError(envelope.CodeUnknownAction, ""))
	})

	t.Run("panic is a 500 envelope", func(t *testing.T) {
		_, _, err := client.Call[struct{}, any](ctx, c, "debug/panic", struct{}{})
		require.ErrorIs(t, err, envelope.ErrInternal)
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, envelope.CodeInternalServerError, e.Code)
	})

	t.Run("maintenance is a 503 with Retry-After", func(t *testing.T) {
		api.maintenance.Store(true)
		defer api.maintenance.Store(false)
		_, _, err := client.Call[sendParams, sendResult](ctx, c, "send/message", sendParams{})
		require.ErrorIs(t, err, envelope.ErrUnavailable)
		var e *envelope.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, envelope.CodeServiceUnavailable, e.Code)
		assert.Equal(t, 90*time.Second, e.RetryAfter)
	})

	t.Run("data that does not fit the result", func(t *testing.T) {
		_, meta, err := client.Call[sendParams, []string](ctx, c, "send/message", sendParams{To: []string{"a@example.com"}})
		require.Error(t, err)
		assert.NotErrorAs(t, err, new(*client.ProtocolError), "the reply is an envelope")
		assert.NotErrorAs(t, err, new(*envelope.Error), "the server said success")
		assert.Contains(t, err.Error(), "client: send/message: decoding the data:")
		assert.Positive(t, meta.Time)
	})
}

func TestPagination(t *testing.T) {
	api := newTestAPI(t)
	c := api.client()
	ctx := context.Background()
	type listParams struct {
		Page  int  `json:"page"`
		Stuck bool `json:"stuck"`
	}

	items, meta, err := client.Call[listParams, []item](ctx, c, "messages/list", listParams{Page: 2})
	require.NoError(t, err)
	assert.Equal(t, []item{{4}, {5}, {6}}, items)
	require.NotNil(t, meta.Page)
	assert.Equal(t, envelope.Page{Page: 2, PerPage: 3, TotalPages: 3, TotalRecords: 7}, *meta.Page)
	assert.Equal(t, &envelope.Sort{By: "id", Order: "asc"}, meta.Sort)
	next, ok := meta.NextPage()
	assert.True(t, ok)
	assert.Equal(t, 3, next)

	_, meta, err = client.Call[listParams, []item](ctx, c, "messages/list", listParams{Page: 3})
	require.NoError(t, err)
	_, ok = meta.NextPage()
	assert.False(t, ok, "page 3 is the last")

	t.Run("Pages walks every page", func(t *testing.T) {
		var pages []int
		var ids []int
		for it, err := range client.Pages[listParams, item](ctx, c, "messages/list", func(page int) listParams {
			pages = append(pages, page)
			return listParams{Page: page}
		}) {
			require.NoError(t, err)
			ids = append(ids, it.ID)
		}
		assert.Equal(t, []int{1, 2, 3}, pages)
		assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7}, ids)
	})

	t.Run("Pages stops when the loop does", func(t *testing.T) {
		calls := 0
		for it := range client.Pages[listParams, item](ctx, c, "messages/list", func(page int) listParams {
			calls++
			return listParams{Page: page}
		}) {
			if it.ID == 2 {
				break
			}
		}
		assert.Equal(t, 1, calls)
	})

	t.Run("Pages refuses a page it did not ask for", func(t *testing.T) {
		var errs []error
		var ids []int
		for it, err := range client.Pages[listParams, item](ctx, c, "messages/list", func(page int) listParams {
			return listParams{Page: page, Stuck: true}
		}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, it.ID)
		}
		assert.Equal(t, []int{1, 2, 3}, ids)
		require.Len(t, errs, 1)
		assert.EqualError(t, errs[0], "client: messages/list: asked for page 2, got page 1")
	})

	t.Run("Pages yields the error of a call", func(t *testing.T) {
		var errs []error
		for _, err := range client.Pages[sendParams, item](ctx, c, "send/message", func(int) sendParams { return sendParams{} }) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], errNoRecipients)
	})
}

// TestProtocolErrors serves replies that are not envelopes, over TLS.
func TestProtocolErrors(t *testing.T) {
	big := `{"status":"success","time":0.1,"flags":{},"data":"` + strings.Repeat("x", 2000) + `"}`
	tests := []struct {
		name        string
		status      int
		contentType string
		retryAfter  string
		body        string
		reason      string
	}{
		{"proxy error page", 502, "text/html", "", "<html><body>Bad Gateway</body></html>", "HTTP 502 is not a status an envelope is sent with"},
		{"load balancer 503 page", 503, "text/html", "120", "<h1>Busy</h1>", "the content type is not JSON"},
		{"JSON 404 from a wrong base URL", 404, "application/json", "", `{"status":"error","data":{"code":"NotFound"}}`, "HTTP 404 is not a status"},
		{"text 200", 200, "text/plain", "", "hello", "the content type is not JSON"},
		{"no content type", 200, "", "", `{"status":"success","time":0,"flags":{},"data":null}`, "the content type is not JSON"},
		{"empty body", 200, "application/json", "", "", "the body is not an envelope"},
		{"array", 200, "application/json", "", `[1,2]`, "the body is not an envelope"},
		{"truncated", 200, "application/json", "", `{"status":"success","time":0.1,"fla`, "the body is not an envelope"},
		{"no status", 200, "application/json", "", `{"time":0.1,"flags":{},"data":{}}`, "the envelope has no status"},
		{"status not a string", 200, "application/json", "", `{"status":1,"time":0.1,"flags":{},"data":{}}`, "the body is not an envelope"},
		{"negative time", 200, "application/json", "", `{"status":"success","time":-1,"flags":{},"data":{}}`, "the envelope's time is not a number of seconds"},
		{"huge time", 200, "application/json", "", `{"status":"success","time":1e300,"flags":{},"data":{}}`, "the envelope's time is not a number of seconds"},
		{"flags not an object", 200, "application/json", "", `{"status":"success","time":0.1,"flags":[],"data":{}}`, "the body is not an envelope"},
		{"paginated not a page", 200, "application/json", "", `{"status":"success","time":0.1,"flags":{"paginated":"yes"},"data":{}}`, "the paginated flag is not a page"},
		{"sorted not a sort", 200, "application/json", "", `{"status":"success","time":0.1,"flags":{"sorted":1},"data":{}}`, "the sorted flag is not a sort"},
		{"error data not an object", 200, "application/json", "", `{"status":"error","time":0.1,"flags":{},"data":"NoRecipients"}`, "the data of a error envelope is not an object"},
		{"error data null", 200, "application/json", "", `{"status":"not-found","time":0.1,"flags":{},"data":null}`, "the data of a not-found envelope is not an object"},
		{"error without code", 200, "application/json", "", `{"status":"error","time":0.1,"flags":{},"data":{"message":"x"}}`, "has no code"},
		{"code not a string", 200, "application/json", "", `{"status":"error","time":0.1,"flags":{},"data":{"code":1}}`, `the "code" of a error envelope is malformed`},
		{"errors malformed", 200, "application/json", "", `{"status":"validation-error","time":0.1,"flags":{},"data":{"code":"X","errors":{"to":"bad"}}}`, `the "errors" of a validation-error envelope is malformed`},
		{"duplicate key", 200, "application/json", "", `{"status":"success","status":"error","time":0.1,"flags":{},"data":{}}`, "the body is not an envelope"},
		{"over the limit", 200, "application/json", "", big, "the body is over 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				// A nil value keeps net/http from sniffing one.
				w.Header()["Content-Type"] = nil
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c := &client.Client{BaseURL: srv.URL, HTTPClient: srv.Client(), MaxReplyBytes: 1024}
			_, meta, err := client.Call[struct{}, any](context.Background(), c, "send/message", struct{}{})
			var pe *client.ProtocolError
			require.ErrorAs(t, err, &pe)
			assert.NotErrorAs(t, err, new(*envelope.Error))
			assert.Contains(t, pe.Reason, tt.reason)
			assert.Equal(t, "send/message", pe.Action)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.Equal(t, tt.contentType, pe.ContentType)
			assert.Equal(t, tt.body[:min(len(tt.body), 512)], string(pe.Body))
			assert.NotNil(t, meta.Header, "the headers of what arrived")
			if tt.retryAfter != "" {
				assert.Equal(t, 120*time.Second, pe.RetryAfter)
			}
		})
	}
}

func TestProtocolErrorMessage(t *testing.T) {
	const page = "<html>\n<h1>502 Bad Gateway</h1>"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, page+strings.Repeat(" ", 200)+"</html>")
	}))
	defer srv.Close()
	c := &client.Client{BaseURL: srv.URL + "/api/v1", HTTPClient: srv.Client()}
	_, _, err := client.Call[struct{}, any](context.Background(), c, "send/message", struct{}{})
	want := `client: send/message: the reply is not an envelope: HTTP 502 is not a status an envelope is sent with; ` +
		`HTTP 502, Content-Type "text/html; charset=utf-8", body "<html>\n<h1>502 Bad Gateway</h1>` + strings.Repeat(" ", 120-len(page)) + `"...`
	assert.EqualError(t, err, want)

	var pe *client.ProtocolError
	require.ErrorAs(t, err, &pe)
	pe.Body = nil
	assert.Contains(t, pe.Error(), "empty body")

	pe.Err = errors.New("unexpected EOF")
	assert.ErrorIs(t, pe, pe.Err)
	assert.Contains(t, pe.Error(), "(unexpected EOF)")
}

func TestRetryAfterDate(t *testing.T) {
	tests := []struct {
		header string
		min    time.Duration
		max    time.Duration
	}{
		{"30", 30 * time.Second, 30 * time.Second},
		{"0", 0, 0},
		{"-5", 0, 0},
		{"soon", 0, 0},
		{"99999999999999999", 1 << 62, 1<<63 - 1},
		{time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat), 100 * time.Second, 2 * time.Minute},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", tt.header)
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `{"status":"service-unavailable","time":0.001,"flags":{},"data":{"code":"ServiceUnavailable","message":"later"}}`)
			}))
			defer srv.Close()
			c := &client.Client{BaseURL: srv.URL, HTTPClient: srv.Client()}
			_, _, err := client.Call[struct{}, any](context.Background(), c, "a/b", struct{}{})
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
			assert.GreaterOrEqual(t, e.RetryAfter, tt.min)
			assert.LessOrEqual(t, e.RetryAfter, tt.max)
		})
	}
}

func TestActionURL(t *testing.T) {
	var got []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.EscapedPath())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"success","time":0.001,"flags":{},"data":null}`)
	}))
	defer srv.Close()
	tests := []struct {
		base, action, want, err string
	}{
		{base: srv.URL + "/api/v1", action: "send/message", want: "POST /api/v1/send/message"},
		{base: srv.URL + "/api/v1/", action: "send/message", want: "POST /api/v1/send/message"},
		{base: srv.URL, action: "messages/list", want: "POST /messages/list"},
		{base: srv.URL + "/api/v1", action: "a b/c?d", want: "POST /api/v1/a%20b/c%3Fd"},
		{base: srv.URL + "/api/v1", action: "../admin", err: `client: action "../admin" is not a name`},
		{base: srv.URL + "/api/v1", action: "send//message", err: `client: action "send//message" is not a name`},
		{base: srv.URL + "/api/v1", action: "", err: `client: action "" is not a name`},
		{base: "localhost:8443/api/v1", action: "a/b", err: `is not an http or https URL`},
		{base: "ftp://example.com", action: "a/b", err: `is not an http or https URL`},
		{base: "https://exa mple.com\x7f", action: "a/b", err: `client: BaseURL:`},
	}
	for _, tt := range tests {
		t.Run(tt.base+" "+tt.action, func(t *testing.T) {
			got = nil
			c := &client.Client{BaseURL: tt.base, HTTPClient: srv.Client()}
			_, err := c.Do(context.Background(), tt.action, nil, nil)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				assert.Empty(t, got, "no request was sent")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []string{tt.want}, got)
		})
	}
}

func TestTransportError(t *testing.T) {
	api := newTestAPI(t)
	c := api.client()
	c.HTTPClient = &http.Client{} // does not trust the test certificate
	_, _, err := client.Call[sendParams, sendResult](context.Background(), c, "send/message", sendParams{})
	require.Error(t, err)
	assert.NotErrorAs(t, err, new(*client.ProtocolError))
	assert.NotErrorAs(t, err, new(*envelope.Error))
	assert.ErrorContains(t, err, "client: send/message: Post")
	assert.ErrorContains(t, err, "certificate")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = client.Call[sendParams, sendResult](ctx, api.client(), "send/message", sendParams{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestConcurrentCalls(t *testing.T) {
	api := newTestAPI(t)
	c := api.client()
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			res, _, err := client.Call[sendParams, sendResult](context.Background(), c, "send/message",
				sendParams{To: []string{"a@example.com"}, Subject: fmt.Sprint(i)})
			if err == nil && res.MessageID != fmt.Sprint("m-", i) {
				err = fmt.Errorf("call %d got %q", i, res.MessageID)
			}
			errs <- err
		}()
	}
	for range 8 {
		assert.NoError(t, <-errs)
	}
}

func TestRedirects(t *testing.T) {
	api := newTestAPI(t)
	// The API's plain-HTTP port: it redirects to HTTPS on the same host.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, api.URL+r.URL.Path, http.StatusPermanentRedirect)
	}))
	defer plain.Close()
	c := api.client()
	c.BaseURL = plain.URL + "/api/v1"
	res, _, err := client.Call[sendParams, sendResult](context.Background(), c, "send/message", sendParams{To: []string{"a@example.com"}, Subject: "r"})
	require.NoError(t, err, "the 308 to the same host is followed, with the body")
	assert.Equal(t, "m-r", res.MessageID)
	assert.Equal(t, "secret", api.header.Load().Get("X-Server-API-Key"))

	// A redirect to another host is not followed: the key stays here.
	var elsewhere atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Store(true) }))
	defer other.Close()
	away := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusPermanentRedirect)
	}))
	defer away.Close()
	c.BaseURL = away.URL + "/api/v1"
	_, _, err = client.Call[sendParams, sendResult](context.Background(), c, "send/message", sendParams{})
	var pe *client.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusPermanentRedirect, pe.StatusCode)
	assert.False(t, elsewhere.Load())

	// A client with its own CheckRedirect keeps it.
	hc := *api.Server.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return errors.New("no redirects here") }
	c.HTTPClient = &hc
	c.BaseURL = plain.URL + "/api/v1"
	_, _, err = client.Call[sendParams, sendResult](context.Background(), c, "send/message", sendParams{})
	assert.ErrorContains(t, err, "no redirects here")
}
