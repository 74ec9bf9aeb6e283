package handlerflow_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFacts(t *testing.T) {
	analysistest.Run(t, testdata(t), handlerflow.Analyzer,
		"render", "helpers/inner", "helpers/outer", "handlerflow/facts", "handlerflow/allow")
}
