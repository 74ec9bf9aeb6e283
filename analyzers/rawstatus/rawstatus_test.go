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

func TestRawStatus(t *testing.T) {
	analysistest.Run(t, testdata(t), rawstatus.Analyzer,
		"rawstatus/calls", "rawstatus/flow", "rawstatus/types", "rawstatus/wrappers",
		"rawstatus/helpers", "rawstatus/suppress", "rawstatus/generated")
}

func TestRawStatusFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), rawstatus.Analyzer, "rawstatus/fix")
}
