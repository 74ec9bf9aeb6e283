package rawstatus_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	require.NoError(t, err)
	return dir
}

// TestRawStatus checks the diagnostics of every scenario, and the suggested
// fixes against the .golden files, in one load of the fixtures: loading
// net/http and its dependencies from source is most of the cost.
func TestRawStatus(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), rawstatus.Analyzer,
		"rawstatus/calls", "rawstatus/flow", "rawstatus/types", "rawstatus/wrappers", "rawstatus/helpers", "rawstatus/suppress", "rawstatus/generated", "rawstatus/fix")
}
