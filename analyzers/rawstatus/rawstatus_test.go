package rawstatus_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// TestRawStatus checks the diagnostics of every scenario, and the suggested
// fixes against the .golden files. It loads the fixtures with the stubs of
// the standard library, or the real one with ENVELOPEVET_STDLIB=1 (see
// internal/stdstub).
func TestRawStatus(t *testing.T) {
	stdstub.RunWithSuggestedFixes(t, rawstatus.Analyzer,
		"rawstatus/calls", "rawstatus/flow", "rawstatus/types", "rawstatus/wrappers", "rawstatus/helpers", "rawstatus/suppress", "rawstatus/generated", "rawstatus/fix", "rawstatus/imports", "rawstatus/exact", "rawstatus/monitoring")
}

// TestWrapped checks that the handlers named by handlerflow's -wrapped flag
// are not reported, and that the others are.
func TestWrapped(t *testing.T) {
	flag := handlerflow.Analyzer.Flags.Lookup("wrapped")
	require.NoError(t, flag.Value.Set("rawstatus/wrapped/legacy,rawstatus/wrapped.Deliveries,rawstatus/wrapped.server.ServeHTTP,rawstatus/wrapped.Routes"))
	t.Cleanup(func() { require.NoError(t, flag.Value.Set("")) })
	stdstub.Run(t, rawstatus.Analyzer, "rawstatus/wrapped", "rawstatus/wrapped/legacy")
}
