package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Conn is a raw HTTP/2 connection: frames are written with fr; what the
// server sends is read by one goroutine and summed up in events.
type h2Conn struct {
	tc       *tls.Conn
	fr       *http2.Framer
	enc      *hpack.Encoder
	block    bytes.Buffer
	settings map[http2.SettingID]uint32 // the server's first SETTINGS
	events   chan h2Event
}

// h2Event is one frame of interest from the server.
type h2Event struct {
	kind   string // "rst", "goaway", "ping-ack", "headers", "closed"
	stream uint32
	code   http2.ErrCode
}

// dialH2 opens an HTTP/2 connection and settles its SETTINGS.
func dialH2(ctx context.Context, cfg *config) (*h2Conn, error) {
	tc, err := dialTLS(ctx, cfg, sourceAddr(cfg, 0, 1), "h2")
	if err != nil {
		return nil, err
	}
	if p := tc.ConnectionState().NegotiatedProtocol; p != "h2" {
		tc.Close()
		return nil, fmt.Errorf("the server does not speak HTTP/2 (ALPN %q)", p)
	}
	if d, ok := ctx.Deadline(); ok {
		_ = tc.SetDeadline(d)
	}
	c := &h2Conn{tc: tc, fr: http2.NewFramer(tc, tc), settings: map[http2.SettingID]uint32{}, events: make(chan h2Event, 1024)}
	c.enc = hpack.NewEncoder(&c.block)
	if _, err := io.WriteString(tc, http2.ClientPreface); err != nil {
		tc.Close()
		return nil, err
	}
	if err := c.fr.WriteSettings(); err != nil {
		tc.Close()
		return nil, err
	}
	f, err := c.fr.ReadFrame()
	sf, ok := f.(*http2.SettingsFrame)
	if err != nil || !ok {
		tc.Close()
		return nil, fmt.Errorf("no SETTINGS from the server: %v", err)
	}
	_ = sf.ForeachSetting(func(s http2.Setting) error { c.settings[s.ID] = s.Val; return nil })
	if err := c.fr.WriteSettingsAck(); err != nil {
		tc.Close()
		return nil, err
	}
	go c.read()
	return c, nil
}

// read turns the server's frames into events until the connection ends.
// It never writes: the checks own the writing side.
func (c *h2Conn) read() {
	defer close(c.events)
	for {
		f, err := c.fr.ReadFrame()
		if err != nil {
			c.events <- h2Event{kind: "closed"}
			return
		}
		switch f := f.(type) {
		case *http2.RSTStreamFrame:
			c.events <- h2Event{kind: "rst", stream: f.StreamID, code: f.ErrCode}
		case *http2.GoAwayFrame:
			c.events <- h2Event{kind: "goaway", stream: f.LastStreamID, code: f.ErrCode}
		case *http2.PingFrame:
			if f.IsAck() {
				c.events <- h2Event{kind: "ping-ack"}
			}
		case *http2.HeadersFrame:
			c.events <- h2Event{kind: "headers", stream: f.StreamID}
		}
	}
}

// openStream sends the HEADERS of a POST to the target announcing a body of
// n bytes, leaving the stream open.
func (c *h2Conn) openStream(cfg *config, id uint32, n int) error {
	c.block.Reset()
	fields := []hpack.HeaderField{
		{Name: ":method", Value: "POST"}, {Name: ":scheme", Value: "https"},
		{Name: ":authority", Value: cfg.target.Host}, {Name: ":path", Value: cfg.target.RequestURI()},
		{Name: "content-type", Value: "application/json"}, {Name: "content-length", Value: fmt.Sprint(n)},
	}
	for k, vs := range cfg.header {
		for _, v := range vs {
			fields = append(fields, hpack.HeaderField{Name: strings.ToLower(k), Value: v})
		}
	}
	for _, f := range fields {
		if err := c.enc.WriteField(f); err != nil {
			return err
		}
	}
	return c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: c.block.Bytes(), EndHeaders: true})
}

// h2RapidReset opens cfg.streams streams and resets each at once, then
// checks that a new client is still answered.
func h2RapidReset(ctx context.Context, cfg *config) []result {
	const name = "h2-rapid-reset"
	c, err := dialH2(ctx, cfg)
	if err != nil {
		return []result{fail(name, "cannot connect: %v", err)}
	}
	defer c.tc.Close()
	start := time.Now()
	sent := 0
	var writeErr error
	for sent < cfg.streams && ctx.Err() == nil && time.Since(start) < 20*time.Second {
		id := uint32(2*sent + 1)
		if writeErr = c.openStream(cfg, id, 2); writeErr != nil {
			break
		}
		if writeErr = c.fr.WriteRSTStream(id, http2.ErrCodeCancel); writeErr != nil {
			break
		}
		sent++
	}
	took := time.Since(start)
	_ = c.fr.WritePing(false, [8]byte{})
	goaway, closed := "", false
	for ev := range c.events {
		switch ev.kind {
		case "goaway":
			goaway = fmt.Sprintf("GOAWAY %s after stream %d", ev.code, ev.stream)
		case "closed":
			closed = true
		}
		if ev.kind == "ping-ack" || ev.kind == "closed" {
			break
		}
	}
	server := "the server kept the connection"
	switch {
	case goaway != "":
		server = "the server sent " + goaway
	case closed || writeErr != nil:
		server = "the server closed the connection"
	}
	newClient, err := freshRequest(ctx, cfg)
	figure := fmt.Sprintf("%d streams opened and reset in %s (%.0f/s); %s", sent, took.Round(time.Millisecond), float64(sent)/took.Seconds(), server)
	if err != nil {
		return []result{fail(name, "%s; then a new client got no answer: %v", figure, err)}
	}
	return []result{pass(name, "%s; then a new client was answered %s in %s", figure, newClient.env, newClient.took.Round(time.Millisecond))}
}

// h2ConcurrentStreams opens more streams than the server's
// SETTINGS_MAX_CONCURRENT_STREAMS and leaves them open: the ones past it
// must be refused.
func h2ConcurrentStreams(ctx context.Context, cfg *config) []result {
	const name = "h2-concurrent-streams"
	c, err := dialH2(ctx, cfg)
	if err != nil {
		return []result{fail(name, "cannot connect: %v", err)}
	}
	defer c.tc.Close()
	limit, ok := c.settings[http2.SettingMaxConcurrentStreams]
	if !ok {
		return []result{fail(name, "the server sets no SETTINGS_MAX_CONCURRENT_STREAMS: streams are unbounded")}
	}
	open := min(int(limit)+100, 5000)
	for i := range open {
		if err := c.openStream(cfg, uint32(2*i+1), 10); err != nil {
			break
		}
	}
	_ = c.fr.WritePing(false, [8]byte{})
	refused, closedEarly := map[http2.ErrCode]int{}, false
	total := 0
	for ev := range c.events {
		if ev.kind == "rst" {
			refused[ev.code]++
			total++
		}
		if ev.kind == "goaway" || ev.kind == "closed" {
			closedEarly = true
		}
		if ev.kind == "ping-ack" || closedEarly {
			break
		}
	}
	figure := fmt.Sprintf("SETTINGS_MAX_CONCURRENT_STREAMS %d; %d streams opened and left open: %d reset", limit, open, total)
	for code, n := range refused {
		figure += fmt.Sprintf(", %d × %s", n, code)
	}
	if closedEarly {
		return []result{pass(name, "%s; the server ended the connection", figure)}
	}
	if open-total > int(limit) {
		return []result{fail(name, "%s: %d streams open at once, over the server's own limit", figure, open-total)}
	}
	return []result{pass(name, "%s", figure)}
}

// answered is one request's answer and how long it took.
type answered struct {
	env  envelope
	took time.Duration
}

// freshRequest sends the target a POST of {} from a new client over
// HTTP/2, as a well-behaved client would after an attack.
func freshRequest(ctx context.Context, cfg *config) (answered, error) {
	a, _, err := post(ctx, cfg)
	return a, err
}

// freshRequestData is freshRequest for a successful answer's data.
func freshRequestData(ctx context.Context, cfg *config) (json.RawMessage, error) {
	a, data, err := post(ctx, cfg)
	if err == nil && a.env.status != "success" {
		err = fmt.Errorf("%s", a.env)
	}
	return data, err
}

// post sends the target a POST of {} from a new client over HTTP/2.
func post(ctx context.Context, cfg *config) (answered, json.RawMessage, error) {
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: cfg.insecure, ServerName: cfg.target.Hostname()},
		ForceAttemptHTTP2: true,
		Proxy:             nil,
		// The resolved loopback address, whatever the URL's host says.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, cfg.addr.String())
		},
	}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.target.String(), strings.NewReader(`{}`))
	if err != nil {
		return answered{}, nil, err
	}
	req.Header = cfg.header.Clone()
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return answered{}, nil, err
	}
	defer resp.Body.Close()
	env, data, err := envelopeData(resp)
	return answered{env, time.Since(start)}, data, err
}
