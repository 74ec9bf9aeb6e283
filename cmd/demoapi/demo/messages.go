package demo

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
)

// messageParams are the parameters of messages/message.
type messageParams struct {
	ID         postalID       `json:"id" envelope:"required" doc:"The message's id, from the answer of send/message." example:"1"`
	Expansions expansionParam `json:"_expansions" doc:"What to add to the answer: true for everything, or a list of status, details, plain_body, html_body, attachments, headers and raw_message."`
}

// postalID is a message id as Postal takes it: an integer, or a string
// that Postal turns into one. It is kept as it came, for parseID.
type postalID json.RawMessage

// UnmarshalJSON keeps the value as it is.
func (id *postalID) UnmarshalJSON(b []byte) error {
	*id = append((*id)[:0], b...)
	return nil
}

// JSONSchema says what parseID takes.
func (postalID) JSONSchema() *apidoc.Schema {
	return &apidoc.Schema{OneOf: []*apidoc.Schema{{Type: "integer"}, {Type: "string", Description: "A string of digits; any other string finds nothing."}}}
}

// expansionParam is _expansions, kept as it came, for parseExpansions.
type expansionParam json.RawMessage

// UnmarshalJSON keeps the value as it is.
func (ex *expansionParam) UnmarshalJSON(b []byte) error {
	*ex = append((*ex)[:0], b...)
	return nil
}

// JSONSchema says what parseExpansions takes.
func (expansionParam) JSONSchema() *apidoc.Schema {
	return &apidoc.Schema{OneOf: []*apidoc.Schema{{Type: "boolean"}, {Type: "array", Items: &apidoc.Schema{Type: "string"}}}, Nullable: true}
}

// ErrMessageNotFound is Postal's answer for an unknown id; like Postal it
// carries the id it was given, as it was given.
var ErrMessageNotFound = envelope.Declare(envelope.StatusError, "MessageNotFound", "No message found matching provided ID", "id")

// parseID reads Postal's message id: an integer, or a string that Postal
// turns into one with Ruby's to_i (so "abc" finds nothing rather than
// failing). ok is false when the string is not a number.
func parseID(raw json.RawMessage) (id int, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil || blank(s) {
			return 0, false, missing("id")
		}
		n, convErr := strconv.Atoi(strings.TrimSpace(s))
		return n, convErr == nil, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, convErr := strconv.Atoi(n.String()); convErr == nil {
			return i, true, nil
		}
	}
	return 0, false, envelope.ParameterError(envelope.CodeInvalidParameterType, "`id` should be an integer or a string").WithField("id")
}

// expansions are the parts of a message that messages/message adds on
// request, as in Postal: _expansions is true for all of them, or a list.
type expansions struct {
	all   bool
	names map[string]bool
}

func parseExpansions(raw json.RawMessage) (expansions, error) {
	raw = bytes.TrimSpace(raw)
	switch string(raw) {
	case "", "null", "false":
		return expansions{}, nil
	case "true":
		return expansions{all: true}, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return expansions{}, envelope.ParameterError(envelope.CodeInvalidParameterType, "`_expansions` should be true or an array of strings").WithField("_expansions")
	}
	ex := expansions{names: make(map[string]bool, len(list))}
	for _, s := range list {
		ex.names[s] = true
	}
	return ex, nil
}

func (ex expansions) has(name string) bool { return ex.all || ex.names[name] }

// messageJSON is the answer of messages/message, with its keys in
// Postal's order. An expansion that was not asked for is left out; one that
// was asked for and is empty is null, as in Postal.
type messageJSON struct {
	ID          int             `json:"id"`
	Token       string          `json:"token"`
	Status      *statusJSON     `json:"status,omitempty"`
	Details     *detailsJSON    `json:"details,omitempty"`
	PlainBody   json.RawMessage `json:"plain_body,omitempty"`
	HTMLBody    json.RawMessage `json:"html_body,omitempty"`
	Attachments json.RawMessage `json:"attachments,omitempty"`
	Headers     json.RawMessage `json:"headers,omitempty"`
	RawMessage  json.RawMessage `json:"raw_message,omitempty"`
}

type statusJSON struct {
	Status              string   `json:"status"`
	LastDeliveryAttempt float64  `json:"last_delivery_attempt"`
	Held                bool     `json:"held"`
	HoldExpiry          *float64 `json:"hold_expiry"`
}

type detailsJSON struct {
	RcptTo          string  `json:"rcpt_to"`
	MailFrom        string  `json:"mail_from"`
	Subject         string  `json:"subject"`
	MessageID       *string `json:"message_id"`
	Timestamp       float64 `json:"timestamp"`
	Direction       string  `json:"direction"`
	Size            int     `json:"size"`
	Bounce          bool    `json:"bounce"`
	BounceForID     *int    `json:"bounce_for_id"`
	Tag             *string `json:"tag"`
	ReceivedWithSSL bool    `json:"received_with_ssl"`
}

type attachmentJSON struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Data        string `json:"data"`
	Size        int    `json:"size"`
	Hash        string `json:"hash"`
}

// message is messages/message: what was stored, in the shape of Postal's
// answer. Without _expansions that is the id and token only, as in Postal.
func (d *demo) message(_ context.Context, p messageParams) (*messageJSON, error) {
	id, ok, err := parseID(json.RawMessage(p.ID))
	if err != nil {
		return nil, err
	}
	ex, err := parseExpansions(json.RawMessage(p.Expansions))
	if err != nil {
		return nil, err
	}
	var m *message
	if ok {
		m = d.store.get(id)
	}
	if m == nil {
		return nil, ErrMessageNotFound.With("id", json.RawMessage(p.ID))
	}
	out := &messageJSON{ID: m.ID, Token: m.Token}
	c := m.Content
	if ex.has("status") {
		last := m.Timestamp
		for _, dl := range m.Deliveries {
			last = dl.Timestamp
		}
		out.Status = &statusJSON{Status: m.Status, LastDeliveryAttempt: unixSeconds(last), Held: m.Status == "Held"}
	}
	if ex.has("details") {
		out.Details = &detailsJSON{
			RcptTo: m.RcptTo, MailFrom: m.MailFrom, Subject: m.Subject, MessageID: nullIfEmpty(m.MessageID),
			Timestamp: unixSeconds(m.Timestamp), Direction: "outgoing", Size: c.size, Bounce: m.Bounce,
			Tag: nullIfEmpty(m.Tag), ReceivedWithSSL: true,
		}
	}
	// The demo keeps the fields of send/message as they were given; it does
	// not parse the bodies of raw messages, so their bodies and attachments
	// are empty here and raw_message is the place to look.
	if ex.has("plain_body") {
		out.PlainBody = mustMarshal(nullIfEmpty(c.PlainBody))
	}
	if ex.has("html_body") {
		out.HTMLBody = mustMarshal(nullIfEmpty(c.HTMLBody))
	}
	if ex.has("attachments") {
		atts := make([]attachmentJSON, len(c.Attachments))
		for i, a := range c.Attachments {
			sum := sha1.Sum(a.Data) // Postal's attachment hash
			atts[i] = attachmentJSON{
				Filename: a.Name, ContentType: a.ContentType, Data: base64.StdEncoding.EncodeToString(a.Data),
				Size: len(a.Data), Hash: hex.EncodeToString(sum[:]),
			}
		}
		out.Attachments = mustMarshal(atts)
	}
	if ex.has("headers") {
		out.Headers = mustMarshal(headersOf(m))
	}
	if ex.has("raw_message") {
		var raw *string
		if c.Raw != nil {
			s := base64.StdEncoding.EncodeToString(c.Raw)
			raw = &s
		}
		out.RawMessage = mustMarshal(raw)
	}
	return out, nil
}

// mustMarshal encodes values that cannot fail to encode: strings, string
// maps and slices of plain structs.
func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// headersOf gives a message's headers as Postal lists them: lower-case
// names, each with a list of values.
func headersOf(m *message) map[string][]string {
	c := m.Content
	h := map[string][]string{}
	if c.Raw != nil {
		// A raw message's headers are its own, as sent.
		if msg, err := mail.ReadMessage(bytes.NewReader(c.Raw)); err == nil {
			for k, v := range msg.Header {
				h[strings.ToLower(k)] = v
			}
		}
		return h
	}
	for k, v := range c.Headers {
		k = strings.ToLower(k)
		h[k] = append(h[k], v)
	}
	add := func(name, value string) {
		if value != "" {
			h[name] = []string{value}
		}
	}
	add("from", c.From)
	add("sender", c.Sender)
	add("reply-to", c.ReplyTo)
	add("to", strings.Join(c.To, ", "))
	add("cc", strings.Join(c.CC, ", "))
	add("subject", m.Subject)
	if m.MessageID != "" {
		add("message-id", "<"+m.MessageID+">")
	}
	return h
}

// listParams are the parameters of messages/list, an action Postal does
// not have: it lets the demo show the paginated flag.
type listParams struct {
	Page    int `json:"page" doc:"The page to return, from 1." default:"1"`
	PerPage int `json:"per_page" doc:"The messages a page holds, 60 at most." default:"30"`
}

// listItem is one message in messages/list.
type listItem struct {
	ID        int     `json:"id"`
	Token     string  `json:"token"`
	MessageID *string `json:"message_id"`
	RcptTo    string  `json:"rcpt_to"`
	MailFrom  string  `json:"mail_from"`
	Subject   string  `json:"subject"`
	Tag       *string `json:"tag"`
	Status    string  `json:"status"`
	Timestamp float64 `json:"timestamp"`
}

// list is messages/list: stored messages, oldest first, so that pages stay
// put while new messages arrive at the end.
func (d *demo) list(ctx context.Context, p listParams) ([]listItem, error) {
	var pagination envelope.Pagination // 30 a page, 60 at most
	var pg envelope.Page
	ms, _ := d.store.page(func(total int) (int, int) {
		pg = pagination.Page(p.Page, p.PerPage, total)
		return pg.Offset(), pg.PerPage
	})
	envelope.SetPage(ctx, pg)
	items := make([]listItem, len(ms))
	for i, m := range ms {
		items[i] = listItem{
			ID: m.ID, Token: m.Token, MessageID: nullIfEmpty(m.MessageID), RcptTo: m.RcptTo,
			MailFrom: m.MailFrom, Subject: m.Subject, Tag: nullIfEmpty(m.Tag), Status: m.Status,
			Timestamp: unixSeconds(m.Timestamp),
		}
	}
	return items, nil
}

// deliveriesParams are the parameters of messages/deliveries, for its
// documentation: the handler reads them itself.
type deliveriesParams struct {
	ID postalID `json:"id" envelope:"required" doc:"The message's id, from the answer of send/message." example:"1"`
}

// The errors of messages/deliveries: what the Envelope middleware makes of
// the 400 and 404 it writes (CONTRACT W1).
var (
	ErrDeliveriesBadRequest = envelope.Declare(envelope.StatusParameterError, "BadRequest", "The id is missing, or is neither an integer nor a string.")
	ErrDeliveriesNotFound   = envelope.Declare(envelope.StatusNotFound, "NotFound", "No message found matching provided ID")
)

// deliveryJSON is one delivery in Postal's shape.
type deliveryJSON struct {
	ID          int     `json:"id"`
	Status      string  `json:"status"`
	Details     string  `json:"details"`
	Output      *string `json:"output"`
	SentWithSSL bool    `json:"sent_with_ssl"`
	LogID       *string `json:"log_id"`
	Time        *string `json:"time"`
	Timestamp   float64 `json:"timestamp"`
}

// deliveries is messages/deliveries. It is written on purpose the way
// handlers were written before the toolkit: it sets its own HTTP status and
// writes its own JSON. The Envelope middleware around it captures both and
// sends them inside the envelope: 200 becomes success with this JSON as the
// data, 400 a parameter-error and 404 not-found (CONTRACT W1). Nothing of what
// it writes reaches the client as it is.
//
//envelopevet:allow the demo's example of an existing handler, served only through the Envelope wrapper
func (d *demo) deliveries(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	// The Params middleware has checked the body and put it back: an old
	// handler reads it as it always did.
	var p deliveriesParams
	err := json.NewDecoder(r.Body).Decode(&p)
	if err != nil || len(p.ID) == 0 || string(p.ID) == "null" {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "`id` parameter is required but is missing"})
		return
	}
	id, ok, err := parseID(json.RawMessage(p.ID))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		msg := err.Error()
		var e *envelope.Error
		if errors.As(err, &e) {
			msg = e.Message
		}
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	var m *message
	if ok {
		m = d.store.get(id)
	}
	if m == nil {
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"error": "No message found matching provided ID"})
		return
	}
	out := make([]deliveryJSON, len(m.Deliveries))
	for i, dl := range m.Deliveries {
		out[i] = deliveryJSON{ID: dl.ID, Status: dl.Status, Details: dl.Details, SentWithSSL: false, Timestamp: unixSeconds(dl.Timestamp)}
	}
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(out)
}

// unixSeconds is how Postal sends times: seconds since the epoch, as a float.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixMicro()) / 1e6
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
