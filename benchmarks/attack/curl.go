package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// curlRefusal calls the target with curl over HTTP/2 and an unsupported
// Content-Type, which the server refuses without reading the body, with
// bodies of 2 bytes and of 70 kB: every call must get the whole answer.
// Before the toolkit drained such bodies, curl 7.88 got an empty one in a
// fifth to nine tenths of the calls (issue 13, bug 7).
func curlRefusal(ctx context.Context, cfg *config) []result {
	const name = "curl-h2-refusal"
	curl, err := exec.LookPath("curl")
	if err != nil {
		return []result{skip(name, "needs curl (apt-get install curl)")}
	}
	out, _ := exec.CommandContext(ctx, curl, "--version").Output()
	version := curlVersion(string(out))
	if !strings.Contains(string(out), "HTTP2") {
		return []result{skip(name, "this curl has no HTTP/2: %s", version)}
	}
	dir, err := os.MkdirTemp("", "attack-curl-")
	if err != nil {
		return []result{fail(name, "%v", err)}
	}
	defer os.RemoveAll(dir)
	bodies := []string{dir + "/small", dir + "/large"}
	for i, size := range []int{2, 70000} {
		if err := os.WriteFile(bodies[i], bytes.Repeat([]byte("a"), size), 0o600); err != nil {
			return []result{fail(name, "%v", err)}
		}
	}

	whole, problems := 0, map[string]int{}
	for i := range cfg.curlRuns {
		args := []string{"-s", "--http2", "--max-time", "10", "--noproxy", "*",
			"--connect-to", cfg.target.Host + ":" + cfg.addr.String(),
			"-H", "Content-Type: text/plain", "--data-binary", "@" + bodies[i%2]}
		if cfg.insecure {
			args = append(args, "-k")
		}
		for k, vs := range cfg.header {
			for _, v := range vs {
				args = append(args, "-H", k+": "+v)
			}
		}
		out, err := exec.CommandContext(ctx, curl, append(args, cfg.target.String())...).Output()
		var exit *exec.ExitError
		switch {
		case err == nil && bytes.Contains(out, []byte(`"UnsupportedContentType"`)):
			whole++
		case errors.As(err, &exit):
			problems[fmt.Sprintf("curl exit %d, %d bytes of body", exit.ExitCode(), len(out))]++
		case err != nil:
			problems[err.Error()]++
		default:
			problems[fmt.Sprintf("an answer without UnsupportedContentType: %.80q", out)]++
		}
	}
	figure := fmt.Sprintf("%s --http2, Content-Type text/plain, bodies of 2 B and 70 kB: %d of %d calls got the whole answer", version, whole, cfg.curlRuns)
	if len(problems) > 0 {
		return []result{fail(name, "%s; the others: %s", figure, describeCounts(problems))}
	}
	return []result{pass(name, "%s", figure)}
}

// curlVersion is "curl 7.88.1 (nghttp2/1.52.0)" from curl --version.
func curlVersion(out string) string {
	first, _, _ := strings.Cut(out, "\n")
	fields := strings.Fields(first)
	if len(fields) < 2 {
		return "curl"
	}
	v := fields[0] + " " + fields[1]
	for _, f := range fields {
		if strings.HasPrefix(f, "nghttp2/") {
			v += " (" + f + ")"
		}
	}
	return v
}
