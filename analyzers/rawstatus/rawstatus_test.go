package rawstatus_test

import (
	"testing"

	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// TestRawStatus checks the diagnostics of every scenario, and the suggested
// fixes against the .golden files. It loads the fixtures with the stubs of
// the standard library, or the real one with ENVELOPEVET_STDLIB=1 (see
// internal/stdstub).
func TestRawStatus(t *testing.T) {
	stdstub.RunWithSuggestedFixes(t, rawstatus.Analyzer,
		"rawstatus/calls", "rawstatus/flow", "rawstatus/types", "rawstatus/wrappers", "rawstatus/helpers", "rawstatus/suppress", "rawstatus/generated", "rawstatus/fix", "rawstatus/imports")
}
