package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxLargeSend bounds what largeBody sends of a body the server should
// refuse long before.
const maxLargeSend = 64 << 20

// largeBody sends a body declared as 1 GiB, and one sent chunked without
// end, while it waits for the answer: both must be refused with
// BodyTooLarge, long before the client is done.
func largeBody(ctx context.Context, cfg *config) []result {
	return []result{
		sendLarge(ctx, cfg, "large-body-declared", "Content-Length: 1073741824", func(p []byte) []byte { return p }),
		sendLarge(ctx, cfg, "large-body-chunked", "Transfer-Encoding: chunked", func(p []byte) []byte {
			return []byte(strconv.FormatInt(int64(len(p)), 16) + "\r\n" + string(p) + "\r\n")
		}),
	}
}

// sendLarge sends the head with framing, then body bytes framed by frame,
// up to maxLargeSend, until the answer comes.
func sendLarge(ctx context.Context, cfg *config, name, framing string, frame func([]byte) []byte) result {
	c, err := dialTLS(ctx, cfg, sourceAddr(cfg, 0, 1), "http/1.1")
	if err != nil {
		return fail(name, "cannot connect: %v", err)
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	if _, err := io.WriteString(c, head(cfg, "Content-Type: application/json", framing)); err != nil {
		return fail(name, "cannot send the head: %v", err)
	}
	var sent atomic.Int64
	answered := make(chan struct{})
	go func() {
		chunk := frame([]byte(`{"padding":"` + strings.Repeat("x", 64<<10-14) + `"}`)) // 64 KiB of JSON
		for sent.Load() < maxLargeSend {
			select {
			case <-answered:
				return
			default:
			}
			n, err := c.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return // the server closed: the answer says why
			}
		}
	}()
	start := time.Now()
	env, err := readEnvelope(bufio.NewReader(c))
	took := time.Since(start)
	close(answered)
	if err != nil {
		return fail(name, "no answer after %s sent: %v", kib(sent.Load()), err)
	}
	figure := fmt.Sprintf("%s: %s after %s, %s sent by then", framing, env, took.Round(time.Millisecond), kib(sent.Load()))
	if env.http != 200 || env.status != "parameter-error" || env.code != "BodyTooLarge" {
		return fail(name, "%s, want HTTP 200 parameter-error BodyTooLarge", figure)
	}
	if sent.Load() >= maxLargeSend {
		return fail(name, "%s: the server read %s before refusing", figure, mib(maxLargeSend))
	}
	return pass(name, "%s", figure)
}
