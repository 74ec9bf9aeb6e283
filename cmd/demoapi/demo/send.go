package demo

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/mail"
	"strconv"
	"strings"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
)

// Postal's codes and messages for send/message, word for word
// (app/controllers/legacy_api/send_controller.rb), so that clients which
// match on either keep working.
var (
	ErrNoRecipients          = envelope.Declare(envelope.StatusError, "NoRecipients", "There are no recipients defined to receive this message")
	ErrNoContent             = envelope.Declare(envelope.StatusError, "NoContent", "There is no content defined for this e-mail")
	ErrTooManyToAddresses    = envelope.Declare(envelope.StatusError, "TooManyToAddresses", "The maximum number of To addresses has been reached (maximum 50)")
	ErrTooManyCCAddresses    = envelope.Declare(envelope.StatusError, "TooManyCCAddresses", "The maximum number of CC addresses has been reached (maximum 50)")
	ErrTooManyBCCAddresses   = envelope.Declare(envelope.StatusError, "TooManyBCCAddresses", "The maximum number of BCC addresses has been reached (maximum 50)")
	ErrFromAddressMissing    = envelope.Declare(envelope.StatusError, "FromAddressMissing", "The From address is missing and is required")
	ErrAttachmentMissingName = envelope.Declare(envelope.StatusError, "AttachmentMissingName", "An attachment is missing a name")
	ErrAttachmentMissingData = envelope.Declare(envelope.StatusError, "AttachmentMissingData", "An attachment is missing data")
)

// maxAddresses is Postal's limit on each of To, CC and BCC.
const maxAddresses = 50

// sendMessageParams are Postal's parameters of send/message. Unknown
// parameters are ignored, as Postal ignores them. None is tagged required:
// Postal answers a missing `to` or `from` with its own codes, not with a
// parameter-error; a value of the wrong type is still a parameter-error.
type sendMessageParams struct {
	To          []string          `json:"to" doc:"The To addresses, 50 at most; a display name (\"Ann <ann@example.com>\") is dropped." example:"[\"ann@example.com\"]"`
	CC          []string          `json:"cc" doc:"The CC addresses, 50 at most."`
	BCC         []string          `json:"bcc" doc:"The BCC addresses, 50 at most."`
	From        string            `json:"from" doc:"The From address; required (FromAddressMissing)." example:"demo@example.com"`
	Sender      string            `json:"sender" doc:"The Sender address, when it differs from From."`
	Subject     string            `json:"subject" doc:"The subject." example:"Hi"`
	Tag         string            `json:"tag" doc:"A tag to find the message by."`
	ReplyTo     string            `json:"reply_to" doc:"The Reply-To address."`
	PlainBody   string            `json:"plain_body" doc:"The plain-text body; plain_body or html_body is required (NoContent)." example:"Hello"`
	HTMLBody    string            `json:"html_body" doc:"The HTML body."`
	Headers     map[string]string `json:"headers" doc:"More headers, by name."`
	Attachments []attachmentParam `json:"attachments" doc:"Files to attach."`
	Bounce      bool              `json:"bounce" doc:"Whether the message is a bounce." default:"false"`
}

// attachmentParam is one attachment; data is base64.
type attachmentParam struct {
	Name        string `json:"name" doc:"The file name; required (AttachmentMissingName)." example:"report.pdf"`
	ContentType string `json:"content_type" doc:"The file's media type." default:"application/octet-stream"`
	Data        string `json:"data" doc:"The file's content, in base64; required (AttachmentMissingData)."`
}

// sendResult is Postal's answer to a send: the Message-ID, and the id and
// token of the message stored for each recipient.
type sendResult struct {
	MessageID *string       `json:"message_id" doc:"The Message-ID header of the message sent; null for a raw message without one, as in Postal."`
	Messages  recipientRefs `json:"messages" doc:"Per recipient, the message stored for it."`
}

type messageRef struct {
	ID    int    `json:"id"`
	Token string `json:"token"`
}

// recipientRefs is the "messages" object. It keeps the recipients in the
// order they were given, as Postal's does: a map would sort them.
type recipientRefs []recipientRef

type recipientRef struct {
	Address string
	Ref     messageRef
}

// JSONSchema describes the object MarshalJSON writes.
func (recipientRefs) JSONSchema() *apidoc.Schema {
	return &apidoc.Schema{
		Type:        "object",
		Description: "Per recipient address, in the order given, the message stored for it.",
		AdditionalProperties: &apidoc.Schema{Type: "object", Properties: []apidoc.Property{
			{Name: "id", Required: true, Schema: &apidoc.Schema{Type: "integer", Description: "The message's id, for messages/message."}},
			{Name: "token", Required: true, Schema: &apidoc.Schema{Type: "string", Description: "The message's token."}},
		}},
	}
}

// MarshalJSON writes the recipients as one object, in order.
func (rs recipientRefs) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, r := range rs {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, err := json.Marshal(r.Address)
		if err != nil {
			return nil, err
		}
		buf = append(buf, k...)
		buf = append(buf, `:{"id":`...)
		buf = strconv.AppendInt(buf, int64(r.Ref.ID), 10)
		buf = append(buf, `,"token":`...)
		t, err := json.Marshal(r.Ref.Token)
		if err != nil {
			return nil, err
		}
		buf = append(buf, t...)
		buf = append(buf, '}')
	}
	return append(buf, '}'), nil
}

func refsOf(ms []*message) recipientRefs {
	refs := make(recipientRefs, len(ms))
	for i, m := range ms {
		refs[i] = recipientRef{Address: m.RcptTo, Ref: messageRef{ID: m.ID, Token: m.Token}}
	}
	return refs
}

// sendMessage is send/message. Its checks run in Postal's order
// (OutgoingMessagePrototype#validate) and the first failure is the answer,
// so a client sees the same code Postal would give it.
func (d *demo) sendMessage(_ context.Context, p sendMessageParams) (sendResult, error) {
	to, cc, bcc := addresses(p.To), addresses(p.CC), addresses(p.BCC)
	switch {
	case len(to) == 0 && len(cc) == 0 && len(bcc) == 0:
		return sendResult{}, ErrNoRecipients
	case len(to) > maxAddresses:
		return sendResult{}, ErrTooManyToAddresses
	case len(cc) > maxAddresses:
		return sendResult{}, ErrTooManyCCAddresses
	case len(bcc) > maxAddresses:
		return sendResult{}, ErrTooManyBCCAddresses
	case blank(p.PlainBody) && blank(p.HTMLBody):
		return sendResult{}, ErrNoContent
	case blank(p.From):
		return sendResult{}, ErrFromAddressMissing
	}
	// Postal reports only the first attachment problem it meets.
	for _, a := range p.Attachments {
		if blank(a.Name) {
			return sendResult{}, ErrAttachmentMissingName
		}
		if blank(a.Data) {
			return sendResult{}, ErrAttachmentMissingData
		}
	}
	atts := make([]attachment, len(p.Attachments))
	for i, a := range p.Attachments {
		data, ok := decodeBase64(a.Data)
		if !ok {
			return sendResult{}, envelope.ParameterError(envelope.CodeInvalidParameter, "`attachments` data should be base64 (attachment "+strconv.Itoa(i+1)+", "+strconv.Quote(a.Name)+")").WithField("attachments")
		}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream" // Postal's default
		}
		atts[i] = attachment{Name: a.Name, ContentType: ct, Data: data}
	}

	c := &content{
		From: p.From, Sender: p.Sender, ReplyTo: p.ReplyTo, To: to, CC: cc,
		PlainBody: p.PlainBody, HTMLBody: p.HTMLBody, Headers: p.Headers, Attachments: atts,
	}
	messageID := newMessageID(d.domain)
	mailFrom := stripName(p.From)
	stored := d.store.add(c, unique(append(append(append([]string(nil), to...), cc...), bcc...)), func(m *message) {
		m.MessageID, m.MailFrom, m.Subject, m.Tag, m.Bounce = messageID, mailFrom, p.Subject, p.Tag, p.Bounce
	})
	return sendResult{MessageID: &messageID, Messages: refsOf(stored)}, nil
}

// sendRawParams are Postal's parameters of send/raw. Postal answers each
// missing one with a parameter-error, which the required tag gives.
type sendRawParams struct {
	RcptTo   []string `json:"rcpt_to" envelope:"required" doc:"The addresses to deliver the message to." example:"[\"ann@example.com\"]"`
	MailFrom string   `json:"mail_from" envelope:"required" doc:"The envelope sender (MAIL FROM)." example:"demo@example.com"`
	Data     string   `json:"data" envelope:"required" doc:"The whole RFC 5322 message, in base64."`
	Bounce   bool     `json:"bounce" doc:"Whether the message is a bounce." default:"false"`
}

// sendRaw is send/raw: the message is stored as it was given, once per
// recipient.
func (d *demo) sendRaw(_ context.Context, p sendRawParams) (sendResult, error) {
	// Postal treats an empty string like a missing parameter.
	if blank(p.MailFrom) {
		return sendResult{}, missing("mail_from")
	}
	if blank(p.Data) {
		return sendResult{}, missing("data")
	}
	raw, ok := decodeBase64(p.Data)
	if !ok {
		return sendResult{}, envelope.ParameterError(envelope.CodeInvalidParameter, "`data` should be base64").WithField("data")
	}
	var subject, messageID string
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		subject = truncateRunes(msg.Header.Get("Subject"), 200) // Postal keeps 200 characters
		messageID = strings.TrimSpace(strings.Trim(msg.Header.Get("Message-Id"), "<> \t"))
	}
	c := &content{Raw: raw}
	stored := d.store.add(c, unique(p.RcptTo), func(m *message) {
		m.MessageID, m.MailFrom, m.Subject, m.Bounce = messageID, p.MailFrom, subject, p.Bounce
	})
	res := sendResult{Messages: refsOf(stored)}
	// Postal takes the Message-ID from the first message it stored: with no
	// recipients, or no Message-ID header, there is none.
	if len(stored) > 0 && messageID != "" {
		res.MessageID = &messageID
	}
	return res, nil
}

func missing(field string) *envelope.Error {
	return envelope.ParameterError(envelope.CodeMissingParameter, "`"+field+"` parameter is required but is missing").WithField(field)
}

// addresses strips display names, as Postal does, and drops blank entries,
// which Postal would turn into messages to nobody.
func addresses(list []string) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		if s := stripName(a); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// stripName turns "Name <a@example.com>" into "a@example.com" the way
// Postal's helper does: text up to "<" and from ">" goes.
func stripName(a string) string {
	if i := strings.LastIndexByte(a, '<'); i >= 0 {
		a = a[i+1:]
	}
	if i := strings.IndexByte(a, '>'); i >= 0 {
		a = a[:i]
	}
	return strings.TrimSpace(a)
}

// unique keeps the first of each address: a recipient named twice gets one
// message, and "messages" could not hold two under the same key anyway.
func unique(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, a := range list {
		if a = strings.TrimSpace(a); a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// blank is Ruby's blank? for strings, which Postal's checks use.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// decodeBase64 accepts what Postal's clients send: standard base64, padded
// or not, and wrapped in lines (Ruby's Base64.encode64 breaks lines every
// 60 characters).
func decodeBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	return nil, false
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
