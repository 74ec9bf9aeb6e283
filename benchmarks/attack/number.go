package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// bigNumberDigits is the length of bigNumber's integer: what fits in the
// default body limit of 1 MiB with room to spare.
const bigNumberDigits = 900000

// bigNumber sends an integer of 900,000 digits as the value of a parameter,
// "page", and reports how long the server took to refuse it. The answer
// must be a parameter-error (or a success, for an action without such a
// parameter); the time is a figure, not a verdict, since a shared machine
// makes any bound on it unreliable.
func bigNumber(ctx context.Context, cfg *config) []result {
	const name = "big-number"
	c, err := dialTLS(ctx, cfg, sourceAddr(cfg, 0, 1), "http/1.1")
	if err != nil {
		return []result{fail(name, "cannot connect: %v", err)}
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	body := `{"page":1` + strings.Repeat("0", bigNumberDigits-1) + `}`
	start := time.Now()
	if _, err := io.WriteString(c, head(cfg, "Content-Type: application/json", fmt.Sprintf("Content-Length: %d", len(body)))+body); err != nil {
		return []result{fail(name, "cannot send: %v", err)}
	}
	env, err := readEnvelope(bufio.NewReader(c))
	took := time.Since(start)
	if err != nil {
		return []result{fail(name, "no answer: %v", err)}
	}
	figure := fmt.Sprintf("an integer of %d digits in \"page\": %s in %s", bigNumberDigits, env, took.Round(time.Millisecond))
	if env.http != 200 || env.status != "parameter-error" && env.status != "success" {
		return []result{fail(name, "%s, want a parameter-error", figure)}
	}
	return []result{pass(name, "%s", figure)}
}
