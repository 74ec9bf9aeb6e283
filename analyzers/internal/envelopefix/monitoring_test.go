package envelopefix

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWords checks how names are split into the words that say a handler
// serves a monitoring endpoint: such a word inside another does not count.
func TestWords(t *testing.T) {
	for name, want := range map[string][]string{
		"newReadinessProbe": {"new", "readiness", "probe"},
		"HTTPHealth":        {"http", "health"},
		"ready_check":       {"ready", "check"},
		"healthz":           {"healthz"},
		"alreadyDelivered":  {"already", "delivered"},
		"users.info":        {"users", "info"},
		"":                  nil,
	} {
		assert.Equal(t, want, words(name), name)
	}
}
