package goccycodec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apienvelope/apienvelope/envelope/goccycodec"
	"github.com/apienvelope/apienvelope/envelope/internal/codectest"
)

// TestInvalidOutputIsRefused: goccy/go-json refuses what would be invalid
// JSON and writes invalid UTF-8 as U+FFFD by itself, which is what makes
// it an envelope.CheckedCodec.
func TestInvalidOutputIsRefused(t *testing.T) {
	for name, v := range codectest.InvalidValues {
		out, err := goccycodec.Codec.AppendJSON(nil, v)
		if err == nil {
			assert.Contains(t, string(out), `\ufffd`, "%s: %q", name, out)
		}
	}
	codectest.CheckEnvelopes(t, goccycodec.Codec)
}
