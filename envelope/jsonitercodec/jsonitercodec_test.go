package jsonitercodec_test

import (
	"testing"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/envelope/internal/codectest"
	"github.com/apienvelope/apienvelope/envelope/jsonitercodec"
)

// TestInvalidOutputIsRefused: json-iterator writes some of these values as
// invalid JSON; the envelope's check of its output keeps them from the
// client.
func TestInvalidOutputIsRefused(t *testing.T) {
	if _, checked := jsonitercodec.Codec.(envelope.CheckedCodec); checked {
		t.Fatal("json-iterator writes invalid JSON: its output must be checked")
	}
	codectest.CheckEnvelopes(t, jsonitercodec.Codec)
}
