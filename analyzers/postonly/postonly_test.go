package postonly_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/postonly"
)

func TestPostOnly(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	require.NoError(t, err)
	analysistest.Run(t, dir, postonly.Analyzer, "postonly/httprouter", "postonly/servemux")
}
