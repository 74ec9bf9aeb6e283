package demo

import (
	"crypto/rand"
	"fmt"
	"sync"
	"time"
)

// Limits of the in-memory store. The demo may be left running where anyone
// can reach it, so it forgets its oldest messages rather than grow without
// bound; a request body is already capped at 1 MiB by the toolkit.
const (
	maxStoredMessages = 10000
	maxStoredBytes    = 64 << 20
)

// message is one stored message. As in Postal, a send creates one message
// per recipient, and the messages of one send share their content.
type message struct {
	ID        int
	Token     string
	MessageID string // empty for a raw message without a Message-ID header, as in Postal
	RcptTo    string
	MailFrom  string
	Subject   string
	Tag       string
	Bounce    bool
	Timestamp time.Time
	Status    string
	Content   *content

	Deliveries []delivery
}

// content is what a send carried: the fields of send/message, or the raw
// message of send/raw.
type content struct {
	From, Sender, ReplyTo string
	To, CC                []string
	PlainBody, HTMLBody   string
	Headers               map[string]string
	Attachments           []attachment
	Raw                   []byte // send/raw only

	size int // bytes counted against maxStoredBytes
	refs int // messages still stored that share it
}

type attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// delivery is one delivery attempt, in Postal's shape.
type delivery struct {
	ID        int
	Status    string
	Details   string
	Timestamp time.Time
}

// store keeps messages in memory, in id order.
type store struct {
	mu             sync.Mutex
	messages       []*message // ascending ID; the oldest are evicted first
	byID           map[int]*message
	nextID         int
	nextDeliveryID int
	bytes          int

	maxMessages, maxBytes int // the limits; tests lower them
}

func newStore() *store {
	return &store{byID: map[int]*message{}, nextID: 1, nextDeliveryID: 1, maxMessages: maxStoredMessages, maxBytes: maxStoredBytes}
}

// add stores one message per recipient, all sharing c, and returns them in
// the recipients' order. The demo delivers nothing: every message is held,
// with one delivery record that says so, so that messages/deliveries has
// something to show.
func (s *store) add(c *content, recipients []string, fill func(m *message)) []*message {
	now := time.Now()
	c.size = c.computeSize()
	c.refs = len(recipients)
	added := make([]*message, 0, len(recipients))

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rcpt := range recipients {
		m := &message{ID: s.nextID, Token: RandomToken(12), RcptTo: rcpt, Timestamp: now, Status: "Held", Content: c}
		fill(m)
		m.Deliveries = []delivery{{
			ID:        s.nextDeliveryID,
			Status:    "Held",
			Details:   "The demo API stores messages and never delivers them.",
			Timestamp: now,
		}}
		s.nextID++
		s.nextDeliveryID++
		s.messages = append(s.messages, m)
		s.byID[m.ID] = m
		added = append(added, m)
	}
	if len(recipients) > 0 {
		s.bytes += c.size
	}
	s.evict(len(added))
	return added
}

// evict forgets the oldest messages while the store is over its limits, but
// never the keep newest ones: a send that is larger than the limits on its
// own is still answered with messages that can be looked up.
func (s *store) evict(keep int) {
	n := 0
	for len(s.messages)-n > keep && (len(s.messages)-n > s.maxMessages || s.bytes > s.maxBytes) {
		m := s.messages[n]
		delete(s.byID, m.ID)
		m.Content.refs--
		if m.Content.refs == 0 {
			s.bytes -= m.Content.size
		}
		s.messages[n] = nil
		n++
	}
	if n > 0 {
		s.messages = append(s.messages[:0:0], s.messages[n:]...)
	}
}

// get returns the message with id, or nil.
func (s *store) get(id int) *message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byID[id]
}

// page returns a page of messages, with how many there are in all. pick
// turns that total into the page wanted; it runs under the lock so that the
// page and its total agree.
func (s *store) page(pick func(total int) (offset, limit int)) ([]*message, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := len(s.messages)
	offset, limit := pick(total)
	if offset < 0 || offset >= total || limit <= 0 {
		return nil, total
	}
	// total-offset cannot overflow where offset+limit could.
	end := offset + min(limit, total-offset)
	return append([]*message(nil), s.messages[offset:end]...), total
}

func (c *content) computeSize() int {
	n := len(c.From) + len(c.Sender) + len(c.ReplyTo) + len(c.PlainBody) + len(c.HTMLBody) + len(c.Raw)
	for _, a := range c.To {
		n += len(a)
	}
	for _, a := range c.CC {
		n += len(a)
	}
	for k, v := range c.Headers {
		n += len(k) + len(v)
	}
	for _, a := range c.Attachments {
		n += len(a.Name) + len(a.ContentType) + len(a.Data)
	}
	return n
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// RandomToken returns n random alphanumerics, like the tokens Postal gives
// messages (12 characters there too).
func RandomToken(n int) string {
	out := make([]byte, 0, n)
	var buf [32]byte
	for len(out) < n {
		rand.Read(buf[:]) // never fails (crypto/rand documents it)
		for _, b := range buf {
			// Bytes past the last whole multiple of 62 are skipped, so
			// that every character is equally likely.
			if int(b) < 256-256%len(tokenAlphabet) && len(out) < n {
				out = append(out, tokenAlphabet[int(b)%len(tokenAlphabet)])
			}
		}
	}
	return string(out)
}

// newMessageID returns "<uuid>@<domain>", the form of the Message-ID Postal
// gives messages sent through send/message.
func newMessageID(domain string) string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x@%s", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16], domain)
}
