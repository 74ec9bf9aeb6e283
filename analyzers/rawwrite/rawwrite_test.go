package rawwrite_test

import (
	"testing"

	"github.com/apienvelope/apienvelope/analyzers/rawwrite"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// TestRawWrite checks the diagnostics of every scenario, and the suggested
// fixes against the .golden files. It loads the fixtures with the stubs of
// the standard library, or the real one with ENVELOPEVET_STDLIB=1 (see
// internal/stdstub).
func TestRawWrite(t *testing.T) {
	stdstub.RunWithSuggestedFixes(t, rawwrite.Analyzer,
		"rawwrite/calls", "rawwrite/flow", "rawwrite/wrappers", "rawwrite/helpers", "rawwrite/fix", "rawwrite/exact")
}
