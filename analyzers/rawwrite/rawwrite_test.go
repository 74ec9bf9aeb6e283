package rawwrite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/rawwrite"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	require.NoError(t, err)
	return dir
}

// TestRawWrite checks the diagnostics of every scenario, and the suggested
// fixes against the .golden files, in one load of the fixtures: loading
// net/http and its dependencies from source is most of the cost.
func TestRawWrite(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), rawwrite.Analyzer,
		"rawwrite/calls", "rawwrite/flow", "rawwrite/wrappers", "rawwrite/helpers", "rawwrite/fix")
}
