package demo

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "test-key"

// reply is an envelope as a client reads it.
type reply struct {
	HTTPStatus int
	Header     http.Header
	Raw        string
	Status     string                     `json:"status"`
	Time       float64                    `json:"time"`
	Flags      map[string]json.RawMessage `json:"flags"`
	Data       json.RawMessage            `json:"data"`
}

// errData is the data of an envelope that is not success.
type errData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (r reply) err(t *testing.T) errData {
	t.Helper()
	var e errData
	require.NoError(t, json.Unmarshal(r.Data, &e), "data: %s", r.Data)
	return e
}

type testServer struct {
	*httptest.Server
	demo *demo
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	h, d := newServer(cfg)
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, demo: d}
}

// post calls an action with the test key and a JSON body.
func (s *testServer) post(t *testing.T, action, body string) reply {
	t.Helper()
	return s.do(t, http.MethodPost, action, body, map[string]string{"X-Server-API-Key": testKey, "Content-Type": "application/json"})
}

func (s *testServer) do(t *testing.T, method, action, body string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+"/api/v1/"+action, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return roundTrip(t, s.Client(), req)
}

func roundTrip(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := reply{HTTPStatus: resp.StatusCode, Header: resp.Header, Raw: string(b)}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return r
	}
	require.NoError(t, json.Unmarshal(b, &r), "body: %s", b)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	return r
}

func TestAuthentication(t *testing.T) {
	s := newTestServer(t, Config{})
	tests := []struct {
		name    string
		headers map[string]string
		status  string
		code    string
		message string
	}{
		{"missing", nil, "error", "AccessDenied", "Must be authenticated as a server."},
		{"blank", map[string]string{"X-Server-API-Key": "  "}, "error", "AccessDenied", "Must be authenticated as a server."},
		{"wrong", map[string]string{"X-Server-API-Key": "nope"}, "error", "InvalidServerAPIKey", "The API token provided in X-Server-API-Key was not valid."},
		{"longer", map[string]string{"X-Server-API-Key": testKey + "x"}, "error", "InvalidServerAPIKey", "The API token provided in X-Server-API-Key was not valid."},
		{"right", map[string]string{"X-Server-API-Key": testKey}, "success", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do(t, http.MethodPost, "messages/list", `{}`, tt.headers)
			assert.Equal(t, http.StatusOK, r.HTTPStatus)
			require.Equal(t, tt.status, r.Status, r.Raw)
			if tt.code != "" {
				e := r.err(t)
				assert.Equal(t, tt.code, e.Code)
				assert.Equal(t, tt.message, e.Message)
			}
		})
	}

	t.Run("wrong key is echoed as Postal does", func(t *testing.T) {
		r := s.do(t, http.MethodPost, "messages/list", `{}`, map[string]string{"X-Server-API-Key": "nope"})
		assert.JSONEq(t, `{"code":"InvalidServerAPIKey","message":"The API token provided in X-Server-API-Key was not valid.","token":"nope"}`, string(r.Data))
	})
	t.Run("checked before the body is read", func(t *testing.T) {
		r := s.do(t, http.MethodPost, "send/message", `{not json`, map[string]string{"Content-Type": "application/json"})
		assert.Equal(t, "AccessDenied", r.err(t).Code)
	})
}

func TestSendMessage(t *testing.T) {
	many := func(n int) string {
		list := make([]string, n)
		for i := range list {
			list[i] = fmt.Sprintf(`"r%d@example.com"`, i)
		}
		return "[" + strings.Join(list, ",") + "]"
	}
	b64 := base64.StdEncoding.EncodeToString([]byte("hello"))
	tests := []struct {
		name   string
		body   string
		status string
		code   string
		field  string
		msg    string
	}{
		{"plain body", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`, "success", "", "", ""},
		{"html body", `{"to":["ann@example.com"],"from":"me@example.com","html_body":"<p>Hi</p>"}`, "success", "", "", ""},
		{"cc only", `{"cc":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`, "success", "", "", ""},
		{"bcc only", `{"bcc":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`, "success", "", "", ""},
		{"50 to", `{"to":` + many(50) + `,"from":"me@example.com","plain_body":"Hi"}`, "success", "", "", ""},
		{"all parameters", `{"to":["Ann <ann@example.com>"],"cc":["c@example.com"],"bcc":["b@example.com"],"from":"Me <me@example.com>","sender":"s@example.com","subject":"S","tag":"t","reply_to":"r@example.com","plain_body":"Hi","html_body":"<p>Hi</p>","headers":{"X-A":"1"},"attachments":[{"name":"a.txt","content_type":"text/plain","data":"` + b64 + `"}],"bounce":false,"unknown":"ignored"}`, "success", "", "", ""},

		{"no to", `{"from":"me@example.com","plain_body":"Hi"}`, "error", "NoRecipients", "", "There are no recipients defined to receive this message"},
		{"null to", `{"to":null,"from":"me@example.com","plain_body":"Hi"}`, "error", "NoRecipients", "", ""},
		{"empty to", `{"to":[],"from":"me@example.com","plain_body":"Hi"}`, "error", "NoRecipients", "", ""},
		{"blank to", `{"to":[" "],"from":"me@example.com","plain_body":"Hi"}`, "error", "NoRecipients", "", ""},
		{"empty body", ``, "error", "NoRecipients", "", ""},
		{"51 to", `{"to":` + many(51) + `,"from":"me@example.com","plain_body":"Hi"}`, "error", "TooManyToAddresses", "", "The maximum number of To addresses has been reached (maximum 50)"},
		{"51 cc", `{"to":["a@example.com"],"cc":` + many(51) + `,"from":"me@example.com","plain_body":"Hi"}`, "error", "TooManyCCAddresses", "", ""},
		{"51 bcc", `{"to":["a@example.com"],"bcc":` + many(51) + `,"from":"me@example.com","plain_body":"Hi"}`, "error", "TooManyBCCAddresses", "", ""},
		{"no content", `{"to":["ann@example.com"],"from":"me@example.com"}`, "error", "NoContent", "", "There is no content defined for this e-mail"},
		{"blank content", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"  ","html_body":""}`, "error", "NoContent", "", ""},
		{"no from", `{"to":["ann@example.com"],"plain_body":"Hi"}`, "error", "FromAddressMissing", "", "The From address is missing and is required"},
		{"attachment without name", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi","attachments":[{"data":"` + b64 + `"}]}`, "error", "AttachmentMissingName", "", "An attachment is missing a name"},
		{"attachment without data", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi","attachments":[{"name":"a.txt"}]}`, "error", "AttachmentMissingData", "", "An attachment is missing data"},

		// Postal checks in this order and reports the first failure.
		{"no recipients before no from", `{}`, "error", "NoRecipients", "", ""},
		{"no content before no from", `{"to":["ann@example.com"]}`, "error", "NoContent", "", ""},
		{"too many before no content", `{"to":` + many(51) + `}`, "error", "TooManyToAddresses", "", ""},
		{"no from before attachments", `{"to":["a@example.com"],"plain_body":"Hi","attachments":[{}]}`, "error", "FromAddressMissing", "", ""},
		{"first attachment problem wins", `{"to":["a@example.com"],"from":"me@example.com","plain_body":"Hi","attachments":[{"name":"a"},{"data":"` + b64 + `"}]}`, "error", "AttachmentMissingData", "", ""},

		{"to as a string", `{"to":"ann@example.com","from":"me@example.com","plain_body":"Hi"}`, "parameter-error", "InvalidParameterType", "to", "`to` should be an array"},
		{"from as a number", `{"to":["ann@example.com"],"from":1,"plain_body":"Hi"}`, "parameter-error", "InvalidParameterType", "from", "`from` should be a string"},
		{"headers as a list", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi","headers":["X"]}`, "parameter-error", "InvalidParameterType", "headers", ""},
		{"attachment data not base64", `{"to":["a@example.com"],"from":"me@example.com","plain_body":"Hi","attachments":[{"name":"a","data":"***"}]}`, "parameter-error", "InvalidParameter", "attachments", ""},
		{"malformed JSON", `{"to":`, "parameter-error", "MalformedJSON", "to", ""},
		{"not an object", `[]`, "parameter-error", "ParametersNotObject", "", ""},
	}
	s := newTestServer(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.post(t, "send/message", tt.body)
			assert.Equal(t, http.StatusOK, r.HTTPStatus)
			require.Equal(t, tt.status, r.Status, r.Raw)
			if tt.status == "success" {
				return
			}
			e := r.err(t)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.field, e.Field)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, e.Message)
			}
		})
	}
}

func TestSendMessageResult(t *testing.T) {
	s := newTestServer(t, Config{})
	r := s.post(t, "send/message", `{"to":["Zed <zed@example.com>","ann@example.com","zed@example.com"],"cc":["cc@example.com"],"from":"Me <me@example.com>","subject":"Hi","plain_body":"Hello"}`)
	require.Equal(t, "success", r.Status, r.Raw)

	var res struct {
		MessageID string `json:"message_id"`
		Messages  map[string]struct {
			ID    int    `json:"id"`
			Token string `json:"token"`
		} `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(r.Data, &res))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@demoapi\.localhost$`, res.MessageID)
	require.Len(t, res.Messages, 3, "one message per distinct recipient, names stripped")
	for addr, m := range res.Messages {
		assert.Regexp(t, `^[A-Za-z0-9]{12}$`, m.Token, addr)
	}
	assert.Equal(t, 1, res.Messages["zed@example.com"].ID)
	assert.Equal(t, 2, res.Messages["ann@example.com"].ID)
	assert.Equal(t, 3, res.Messages["cc@example.com"].ID)
	// Recipients come out in the order they were given, as in Postal.
	assert.Less(t, strings.Index(string(r.Data), "zed@"), strings.Index(string(r.Data), "ann@"))

	m := s.demo.store.get(1)
	require.NotNil(t, m)
	assert.Equal(t, "me@example.com", m.MailFrom)
	assert.Equal(t, res.MessageID, m.MessageID)
}

func TestSendRaw(t *testing.T) {
	raw := "From: me@example.com\r\nTo: ann@example.com\r\nSubject: Raw\r\nMessage-ID: <abc@example.com>\r\n\r\nHello\r\n"
	data := base64.StdEncoding.EncodeToString([]byte(raw))
	wrapped := regexp.MustCompile(`.{1,60}`).ReplaceAllString(data, "$0\n") // as Ruby's Base64.encode64 sends it
	noID := base64.StdEncoding.EncodeToString([]byte("Subject: x\r\n\r\nbody"))
	tests := []struct {
		name, body   string
		status, code string
		field        string
		messageID    any
		recipients   []string
	}{
		{"ok", `{"rcpt_to":["ann@example.com","bob@example.com"],"mail_from":"me@example.com","data":"` + data + `"}`, "success", "", "", "abc@example.com", []string{"ann@example.com", "bob@example.com"}},
		{"line-wrapped base64", `{"rcpt_to":["ann@example.com"],"mail_from":"me@example.com","data":` + mustJSON(wrapped) + `}`, "success", "", "", "abc@example.com", []string{"ann@example.com"}},
		{"duplicates", `{"rcpt_to":["a@example.com","a@example.com"],"mail_from":"me@example.com","data":"` + data + `"}`, "success", "", "", "abc@example.com", []string{"a@example.com"}},
		{"no Message-ID header", `{"rcpt_to":["a@example.com"],"mail_from":"me@example.com","data":"` + noID + `"}`, "success", "", "", nil, []string{"a@example.com"}},
		{"no recipients, as Postal", `{"rcpt_to":[],"mail_from":"me@example.com","data":"` + data + `"}`, "success", "", "", nil, []string{}},

		{"missing rcpt_to", `{"mail_from":"me@example.com","data":"` + data + `"}`, "parameter-error", "MissingParameter", "rcpt_to", nil, nil},
		{"missing mail_from", `{"rcpt_to":["a@example.com"],"data":"` + data + `"}`, "parameter-error", "MissingParameter", "mail_from", nil, nil},
		{"blank mail_from", `{"rcpt_to":["a@example.com"],"mail_from":"","data":"` + data + `"}`, "parameter-error", "MissingParameter", "mail_from", nil, nil},
		{"missing data", `{"rcpt_to":["a@example.com"],"mail_from":"me@example.com"}`, "parameter-error", "MissingParameter", "data", nil, nil},
		{"rcpt_to as a string", `{"rcpt_to":"a@example.com","mail_from":"me@example.com","data":"` + data + `"}`, "parameter-error", "InvalidParameterType", "rcpt_to", nil, nil},
		{"data not base64", `{"rcpt_to":["a@example.com"],"mail_from":"me@example.com","data":"!!!"}`, "parameter-error", "InvalidParameter", "data", nil, nil},
	}
	s := newTestServer(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.post(t, "send/raw", tt.body)
			assert.Equal(t, http.StatusOK, r.HTTPStatus)
			require.Equal(t, tt.status, r.Status, r.Raw)
			if tt.status != "success" {
				e := r.err(t)
				assert.Equal(t, tt.code, e.Code)
				assert.Equal(t, tt.field, e.Field)
				return
			}
			var res struct {
				MessageID any                        `json:"message_id"`
				Messages  map[string]json.RawMessage `json:"messages"`
			}
			require.NoError(t, json.Unmarshal(r.Data, &res))
			assert.Equal(t, tt.messageID, res.MessageID)
			got := []string{}
			for k := range res.Messages {
				got = append(got, k)
			}
			assert.ElementsMatch(t, tt.recipients, got)
		})
	}
}

func TestMessagesMessage(t *testing.T) {
	s := newTestServer(t, Config{})
	att := base64.StdEncoding.EncodeToString([]byte("hello"))
	sent := s.post(t, "send/message", `{"to":["ann@example.com"],"from":"me@example.com","subject":"Hi","tag":"demo","plain_body":"Hello","html_body":"<p>Hello</p>","headers":{"X-Campaign":"7"},"attachments":[{"name":"a.txt","data":"`+att+`"}]}`)
	require.Equal(t, "success", sent.Status, sent.Raw)
	raw := "Subject: Raw one\r\nMessage-ID: <r@example.com>\r\n\r\nbody"
	rawSent := s.post(t, "send/raw", `{"rcpt_to":["bob@example.com"],"mail_from":"me@example.com","data":"`+base64.StdEncoding.EncodeToString([]byte(raw))+`"}`)
	require.Equal(t, "success", rawSent.Status, rawSent.Raw)
	token := s.demo.store.get(1).Token

	t.Run("id and token by default", func(t *testing.T) {
		for _, id := range []string{`1`, `"1"`, `" 1 "`} {
			r := s.post(t, "messages/message", `{"id":`+id+`}`)
			require.Equal(t, "success", r.Status, r.Raw)
			assert.JSONEq(t, `{"id":1,"token":"`+token+`"}`, string(r.Data), id)
		}
	})
	t.Run("expansions", func(t *testing.T) {
		r := s.post(t, "messages/message", `{"id":1,"_expansions":["details","plain_body","html_body","attachments","headers"]}`)
		require.Equal(t, "success", r.Status, r.Raw)
		var m struct {
			Details struct {
				RcptTo    string `json:"rcpt_to"`
				MailFrom  string `json:"mail_from"`
				Subject   string `json:"subject"`
				MessageID string `json:"message_id"`
				Tag       string `json:"tag"`
			} `json:"details"`
			PlainBody   string              `json:"plain_body"`
			HTMLBody    string              `json:"html_body"`
			Headers     map[string][]string `json:"headers"`
			Attachments []struct {
				Filename    string `json:"filename"`
				ContentType string `json:"content_type"`
				Data        string `json:"data"`
				Size        int    `json:"size"`
			} `json:"attachments"`
			Status json.RawMessage `json:"status"`
		}
		require.NoError(t, json.Unmarshal(r.Data, &m))
		assert.Equal(t, "ann@example.com", m.Details.RcptTo)
		assert.Equal(t, "me@example.com", m.Details.MailFrom)
		assert.Equal(t, "Hi", m.Details.Subject)
		assert.Equal(t, "demo", m.Details.Tag)
		assert.NotEmpty(t, m.Details.MessageID)
		assert.Equal(t, "Hello", m.PlainBody)
		assert.Equal(t, "<p>Hello</p>", m.HTMLBody)
		assert.Equal(t, []string{"7"}, m.Headers["x-campaign"])
		require.Len(t, m.Attachments, 1)
		assert.Equal(t, "a.txt", m.Attachments[0].Filename)
		assert.Equal(t, "application/octet-stream", m.Attachments[0].ContentType)
		assert.Equal(t, att, m.Attachments[0].Data)
		assert.Equal(t, 5, m.Attachments[0].Size)
		assert.Nil(t, m.Status, "only the expansions asked for")
	})
	t.Run("all expansions of a raw message", func(t *testing.T) {
		r := s.post(t, "messages/message", `{"id":2,"_expansions":true}`)
		require.Equal(t, "success", r.Status, r.Raw)
		var m struct {
			Status     struct{ Status string } `json:"status"`
			Details    struct{ Subject, MessageID string }
			Headers    map[string][]string `json:"headers"`
			RawMessage string              `json:"raw_message"`
		}
		require.NoError(t, json.Unmarshal(r.Data, &m))
		assert.Equal(t, "Held", m.Status.Status)
		assert.Equal(t, map[string][]string{"subject": {"Raw one"}, "message-id": {"<r@example.com>"}}, m.Headers)
		assert.Equal(t, "Raw one", m.Details.Subject)
		assert.Equal(t, base64.StdEncoding.EncodeToString([]byte(raw)), m.RawMessage)
	})

	tests := []struct {
		name, body   string
		status, code string
		data         string
	}{
		{"unknown id", `{"id":99}`, "error", "MessageNotFound", `{"code":"MessageNotFound","message":"No message found matching provided ID","id":99}`},
		{"unknown string id", `{"id":"99"}`, "error", "MessageNotFound", `{"code":"MessageNotFound","message":"No message found matching provided ID","id":"99"}`},
		{"id that is no number", `{"id":"abc"}`, "error", "MessageNotFound", ""},
		{"missing id", `{}`, "parameter-error", "MissingParameter", `{"code":"MissingParameter","message":"` + "`id`" + ` parameter is required but is missing","field":"id"}`},
		{"null id", `{"id":null}`, "parameter-error", "MissingParameter", ""},
		{"blank id", `{"id":""}`, "parameter-error", "MissingParameter", ""},
		{"object id", `{"id":{"$gt":0}}`, "parameter-error", "InvalidParameterType", ""},
		{"fractional id", `{"id":1.5}`, "parameter-error", "InvalidParameterType", ""},
		{"bad expansions", `{"id":1,"_expansions":"all"}`, "parameter-error", "InvalidParameterType", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.post(t, "messages/message", tt.body)
			assert.Equal(t, http.StatusOK, r.HTTPStatus)
			require.Equal(t, tt.status, r.Status, r.Raw)
			assert.Equal(t, tt.code, r.err(t).Code)
			if tt.data != "" {
				assert.JSONEq(t, tt.data, string(r.Data))
			}
		})
	}
}

func TestMessagesDeliveries(t *testing.T) {
	s := newTestServer(t, Config{})
	require.Equal(t, "success", s.post(t, "send/message", `{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`).Status)
	m := s.demo.store.get(1)
	require.NotNil(t, m)

	t.Run("found: the handler's JSON is the data", func(t *testing.T) {
		r := s.post(t, "messages/deliveries", `{"id":1}`)
		assert.Equal(t, http.StatusOK, r.HTTPStatus)
		require.Equal(t, "success", r.Status, r.Raw)
		// What the handler wrote, byte for byte, embedded rather than re-encoded.
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"id":1}`))
		s.demo.deliveries(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, strings.TrimSpace(rec.Body.String()), string(r.Data))
		assert.JSONEq(t, fmt.Sprintf(`[{"id":1,"status":"Held","details":"The demo API stores messages and never delivers them.","output":null,"sent_with_ssl":false,"log_id":null,"time":null,"timestamp":%v}]`, unixSeconds(m.Deliveries[0].Timestamp)), string(r.Data))
	})
	tests := []struct {
		name, body   string
		status, code string
		message      string
	}{
		{"unknown id", `{"id":99}`, "not-found", "NotFound", "No message found matching provided ID"},
		{"id that is no number", `{"id":"x"}`, "not-found", "NotFound", ""},
		{"missing id", `{}`, "parameter-error", "BadRequest", "`id` parameter is required but is missing"},
		{"object id", `{"id":[1]}`, "parameter-error", "BadRequest", "`id` should be an integer or a string"},
		{"malformed JSON", `{"id":`, "parameter-error", "MalformedJSON", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.post(t, "messages/deliveries", tt.body)
			assert.Equal(t, http.StatusOK, r.HTTPStatus, "the handler's own status never leaves")
			require.Equal(t, tt.status, r.Status, r.Raw)
			e := r.err(t)
			assert.Equal(t, tt.code, e.Code)
			if tt.message != "" {
				assert.Equal(t, tt.message, e.Message)
			}
		})
	}
}

func TestMessagesList(t *testing.T) {
	s := newTestServer(t, Config{})
	type page struct {
		Page         int `json:"page"`
		PerPage      int `json:"per_page"`
		TotalPages   int `json:"total_pages"`
		TotalRecords int `json:"total_records"`
	}
	list := func(t *testing.T, body string) (page, []listItem) {
		t.Helper()
		r := s.post(t, "messages/list", body)
		require.Equal(t, "success", r.Status, r.Raw)
		require.Contains(t, r.Flags, "paginated")
		var p page
		require.NoError(t, json.Unmarshal(r.Flags["paginated"], &p))
		var items []listItem
		require.NoError(t, json.Unmarshal(r.Data, &items))
		return p, items
	}

	p, items := list(t, `{}`)
	assert.Equal(t, page{Page: 1, PerPage: 30, TotalPages: 0, TotalRecords: 0}, p)
	assert.Empty(t, items)

	for i := range 65 {
		r := s.post(t, "send/message", fmt.Sprintf(`{"to":["r%d@example.com"],"from":"me@example.com","plain_body":"Hi"}`, i))
		require.Equal(t, "success", r.Status, r.Raw)
	}
	tests := []struct {
		name  string
		body  string
		want  page
		first int // id of the first item, 0 for none
		count int
	}{
		{"defaults", `{}`, page{1, 30, 3, 65}, 1, 30},
		{"second page", `{"page":2}`, page{2, 30, 3, 65}, 31, 30},
		{"last page", `{"page":3}`, page{3, 30, 3, 65}, 61, 5},
		{"past the end", `{"page":4}`, page{4, 30, 3, 65}, 0, 0},
		{"small pages", `{"page":3,"per_page":2}`, page{3, 2, 33, 65}, 5, 2},
		{"page size capped", `{"per_page":1000}`, page{1, 60, 2, 65}, 1, 60},
		{"page below 1", `{"page":-3}`, page{1, 30, 3, 65}, 1, 30},
		{"page size below 1", `{"per_page":0}`, page{1, 30, 3, 65}, 1, 30},
		// (page-1)*per_page overflows int64 for these: once a negative
		// offset that panicked the store (issue 13, bug 1).
		{"largest page", `{"page":9223372036854775807,"per_page":60}`, page{math.MaxInt64, 60, 2, 65}, 0, 0},
		{"first page whose offset overflows", `{"page":153722867280912932,"per_page":60}`, page{153722867280912932, 60, 2, 65}, 0, 0},
		{"largest page size", `{"page":2,"per_page":9223372036854775807}`, page{2, 60, 2, 65}, 61, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, items := list(t, tt.body)
			assert.Equal(t, tt.want, p)
			require.Len(t, items, tt.count)
			if tt.count > 0 {
				assert.Equal(t, tt.first, items[0].ID)
			}
		})
	}
	t.Run("page of the wrong type", func(t *testing.T) {
		r := s.post(t, "messages/list", `{"page":"2"}`)
		require.Equal(t, "parameter-error", r.Status, r.Raw)
		assert.Equal(t, "`page` should be an integer", r.err(t).Message)
	})
}

func TestToolkitAnswers(t *testing.T) {
	s := newTestServer(t, Config{})
	withKey := map[string]string{"X-Server-API-Key": testKey, "Content-Type": "application/json"}
	tests := []struct {
		name, method, action, body string
		headers                    map[string]string
		httpStatus                 int
		status, code               string
	}{
		{"GET", http.MethodGet, "send/message", "", withKey, 200, "error", "MethodNotAllowed"},
		{"PUT", http.MethodPut, "send/message", "{}", withKey, 200, "error", "MethodNotAllowed"},
		{"unknown action", http.MethodPost, "send/fax", "{}", withKey, 200, "error", "UnknownAction"},
		{"debug action without -dev", http.MethodPost, "debug/panic", "{}", withKey, 200, "error", "UnknownAction"},
		{"debug/memory without -dev", http.MethodPost, "debug/memory", "{}", withKey, 200, "error", "UnknownAction"},
		{"trailing slash", http.MethodPost, "send/message/", "{}", withKey, 200, "error", "UnknownAction"},
		{"XML", http.MethodPost, "send/message", "<x/>", map[string]string{"X-Server-API-Key": testKey, "Content-Type": "text/xml"}, 200, "parameter-error", "UnsupportedContentType"},
		{"body too large", http.MethodPost, "send/message", `{"plain_body":"` + strings.Repeat("a", 1<<20) + `"}`, withKey, 200, "parameter-error", "BodyTooLarge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do(t, tt.method, tt.action, tt.body, tt.headers)
			assert.Equal(t, tt.httpStatus, r.HTTPStatus)
			require.Equal(t, tt.status, r.Status, r.Raw)
			assert.Equal(t, tt.code, r.err(t).Code)
		})
	}

	t.Run("form body with params, as old clients send", func(t *testing.T) {
		form := "params=" + strings.ReplaceAll(`{"id":99}`, `"`, "%22")
		r := s.do(t, http.MethodPost, "messages/message", form, map[string]string{"X-Server-API-Key": testKey, "Content-Type": "application/x-www-form-urlencoded"})
		require.Equal(t, "error", r.Status, r.Raw)
		assert.Equal(t, "MessageNotFound", r.err(t).Code)
	})
	t.Run("time has Postal's 3 decimals", func(t *testing.T) {
		r := s.post(t, "messages/list", `{}`)
		assert.Regexp(t, `"time":0\.\d{1,3},`, r.Raw)
	})
}

func TestMaintenance(t *testing.T) {
	s := newTestServer(t, Config{Maintenance: true})
	r := s.post(t, "messages/list", `{}`)
	assert.Equal(t, http.StatusServiceUnavailable, r.HTTPStatus)
	assert.Equal(t, "service-unavailable", r.Status)
	assert.Equal(t, "30", r.Header.Get("Retry-After"))

	s.demo.maintenance.Store(false) // what SIGUSR1 does
	r = s.post(t, "messages/list", `{}`)
	assert.Equal(t, http.StatusOK, r.HTTPStatus)
	assert.Equal(t, "success", r.Status)
}

func TestPanic(t *testing.T) {
	t.Run("development mode shows it", func(t *testing.T) {
		s := newTestServer(t, Config{Dev: true})
		r := s.post(t, "debug/panic", `{}`)
		assert.Equal(t, http.StatusInternalServerError, r.HTTPStatus)
		require.Equal(t, "internal-server-error", r.Status, r.Raw)
		var data struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Stack   string `json:"stack"`
		}
		require.NoError(t, json.Unmarshal(r.Data, &data))
		assert.Equal(t, "InternalServerError", data.Code)
		assert.Contains(t, data.Message, "debug/panic was called")
		assert.Contains(t, data.Stack, "debugPanic")
	})
	t.Run("production mode shows nothing of it", func(t *testing.T) {
		s := newTestServer(t, Config{Debug: true})
		r := s.post(t, "debug/panic", `{}`)
		assert.Equal(t, http.StatusInternalServerError, r.HTTPStatus)
		require.Equal(t, "internal-server-error", r.Status, r.Raw)
		assert.Equal(t, "InternalServerError", r.err(t).Code)
		assert.NotContains(t, r.Raw, debugPanicValue)
		assert.NotContains(t, r.Raw, "goroutine")
		assert.NotContains(t, r.Raw, ".go:")
		assert.Equal(t, `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`, string(r.Data))
	})
	t.Run("needs the key", func(t *testing.T) {
		s := newTestServer(t, Config{Dev: true})
		r := s.do(t, http.MethodPost, "debug/panic", `{}`, nil)
		assert.Equal(t, "AccessDenied", r.err(t).Code)
	})
}

// debug/memory tells the heap in use, behind the key, with -debug.
func TestDebugMemory(t *testing.T) {
	s := newTestServer(t, Config{Debug: true})
	r := s.post(t, "debug/memory", `{}`)
	require.Equal(t, "success", r.Status, r.Raw)
	var m memoryJSON
	require.NoError(t, json.Unmarshal(r.Data, &m))
	assert.Positive(t, m.HeapAlloc)
	assert.GreaterOrEqual(t, m.HeapSys, m.HeapAlloc)
	assert.Positive(t, m.Goroutines)
	assert.Equal(t, "AccessDenied", s.do(t, http.MethodPost, "debug/memory", `{}`, nil).err(t).Code)
}

func TestPlainHTTP(t *testing.T) {
	noFollow := func(c *http.Client) *http.Client {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return c
	}
	t.Run("redirected to the HTTPS port with 308", func(t *testing.T) {
		h, _ := newServer(Config{APIKey: testKey, HTTPSPort: 8443})
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/send/message?a=b", strings.NewReader(`{}`))
		require.NoError(t, err)
		req.Header.Set("X-Server-API-Key", testKey)
		r := roundTrip(t, noFollow(srv.Client()), req)
		assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus)
		assert.Equal(t, "https://127.0.0.1:8443/api/v1/send/message?a=b", r.Header.Get("Location"))
		assert.Empty(t, r.Raw)
	})
	t.Run("a forwarded header from anyone is ignored", func(t *testing.T) {
		h, _ := newServer(Config{APIKey: testKey, HTTPSPort: 8443})
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/messages/list", strings.NewReader(`{}`))
		require.NoError(t, err)
		req.Header.Set("X-Forwarded-Proto", "https")
		r := roundTrip(t, noFollow(srv.Client()), req)
		assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus)
	})
	t.Run("a trusted proxy is believed", func(t *testing.T) {
		h, _ := newServer(Config{APIKey: testKey, HTTPSPort: 8443, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/messages/list", strings.NewReader(`{}`))
		require.NoError(t, err)
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Server-API-Key", testKey)
		r := roundTrip(t, noFollow(srv.Client()), req)
		assert.Equal(t, http.StatusOK, r.HTTPStatus)
		assert.Equal(t, "success", r.Status)
	})
}

// TestOnlyEnvelopeStatuses sends odd requests and checks that none of
// them gets an HTTP status the contract does not allow.
func TestOnlyEnvelopeStatuses(t *testing.T) {
	s := newTestServer(t, Config{Dev: true})
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW"}
	paths := []string{"/", "/api", "/api/v1/", "/api/v1/send/message", "/API/V1/SEND/MESSAGE", "/api/v1/send/message/", "/api/v1//send/message", "/api/v1/../v1/send/message", "/api/v1/send/message%2F", "/favicon.ico", "/api/v1/debug/panic"}
	bodies := []struct{ ct, body string }{
		{"application/json", `{"to":["a@example.com"],"from":"m@example.com","plain_body":"x"}`},
		{"application/json", `{`},
		{"application/json; charset=latin1", `{}`},
		{"text/plain", `hi`},
		{"multipart/form-data", `x`},
		{"", "\xff\xfe"},
	}
	allowed := map[int]bool{200: true, 301: true, 308: true, 500: true, 503: true}
	for _, m := range methods {
		for _, p := range paths {
			for _, b := range bodies {
				for _, key := range []string{"", testKey, "wrong"} {
					req, err := http.NewRequest(m, s.URL+p, strings.NewReader(b.body))
					require.NoError(t, err)
					if b.ct != "" {
						req.Header.Set("Content-Type", b.ct)
					}
					if key != "" {
						req.Header.Set("X-Server-API-Key", key)
					}
					resp, err := s.Client().Do(req)
					require.NoError(t, err)
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					assert.True(t, allowed[resp.StatusCode], "%s %s (%s, key %q): HTTP %d", m, p, b.ct, key, resp.StatusCode)
				}
			}
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
