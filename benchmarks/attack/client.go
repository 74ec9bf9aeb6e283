package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// dialTLS opens a TLS connection to the target from the source address
// from (any when invalid), offering protos by ALPN.
func dialTLS(ctx context.Context, cfg *config, from netip.Addr, protos ...string) (*tls.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if from.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: from.AsSlice()}
	}
	raw, err := d.DialContext(ctx, "tcp", cfg.addr.String())
	if err != nil {
		return nil, err
	}
	c := tls.Client(raw, &tls.Config{ServerName: cfg.target.Hostname(), InsecureSkipVerify: cfg.insecure, NextProtos: protos})
	if err := c.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return c, nil
}

// sourceAddr is the loopback source address of the i-th connection, perAddr
// connections to an address, so that a server's cap per client address is
// not what stops them: 127.0.0.2 upwards for an IPv4 target, any address
// for ::1, which has no others.
func sourceAddr(cfg *config, i, perAddr int) netip.Addr {
	if !cfg.addr.Addr().Is4() {
		return netip.Addr{}
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], 0x7f000002+uint32(i/perAddr))
	return netip.AddrFrom4(b)
}

// head is the head of a POST to the target, with the configured headers
// and these, in this order.
func head(cfg *config, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\n", cfg.target.RequestURI(), cfg.target.Host)
	names := make([]string, 0, len(cfg.header))
	for k := range cfg.header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range cfg.header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// envelope is what a check reads of an answer.
type envelope struct {
	http       int
	status     string
	code       string
	retryAfter string
	close      bool
}

func (e envelope) String() string {
	if e.code != "" {
		return fmt.Sprintf("HTTP %d %s %s", e.http, e.status, e.code)
	}
	return fmt.Sprintf("HTTP %d %s", e.http, e.status)
}

// readEnvelope reads one answer off br: its HTTP status, envelope status
// and code.
func readEnvelope(br *bufio.Reader) (envelope, error) {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return envelope{}, err
	}
	defer resp.Body.Close()
	return envelopeOf(resp)
}

func envelopeOf(resp *http.Response) (envelope, error) {
	e, _, err := envelopeData(resp)
	return e, err
}

// envelopeData reads an answer's envelope and its data.
func envelopeData(resp *http.Response) (envelope, json.RawMessage, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return envelope{}, nil, fmt.Errorf("reading the answer's body: %w", err)
	}
	var env struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	e := envelope{http: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), close: resp.Close}
	if err := json.Unmarshal(body, &env); err != nil || env.Status == "" {
		return e, nil, fmt.Errorf("HTTP %d with no envelope: %.120q", resp.StatusCode, body)
	}
	e.status = env.Status
	if env.Status != "success" {
		var data struct {
			Code string `json:"code"`
		}
		if err := json.Unmarshal(env.Data, &data); err != nil {
			return e, nil, fmt.Errorf("HTTP %d %s whose data has no code: %.120q", resp.StatusCode, env.Status, body)
		}
		e.code = data.Code
	}
	return e, env.Data, nil
}

// kib is n bytes in KiB, for figures.
func kib(n int64) string { return fmt.Sprintf("%.0f KiB", float64(n)/1024) }

// mib is n bytes in MiB, for figures.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
