package errcodes_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// testdata is the GOPATH of the fixtures: testdata/errcodes/src holds them,
// and stubs of the standard library and of the toolkit.
func testdata(t testing.TB) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "errcodes"))
	require.NoError(t, err)
	return dir
}

func TestErrcodes(t *testing.T) {
	analysistest.Run(stdstub.Use(t, testdata(t)), testdata(t), errcodes.Analyzer,
		"example.com/errcodes/constants", "example.com/errcodes/declared", "example.com/errcodes/helpers", "example.com/errcodes/helpers/postal", "example.com/errcodes/undetermined", "example.com/errcodes/allow", "example.com/errcodes/unused", "example.com/errcodes/auth", "example.com/errcodes/handlers", "example.com/errcodes/generated")
}

// TestUnusedOff checks -errcodes.unused=false: the fixture's unused code
// would be an unexpected diagnostic.
func TestUnusedOff(t *testing.T) {
	flag := errcodes.Analyzer.Flags.Lookup("unused")
	require.NoError(t, flag.Value.Set("false"))
	t.Cleanup(func() { require.NoError(t, flag.Value.Set("true")) })
	analysistest.Run(stdstub.Use(t, testdata(t)), testdata(t), errcodes.Analyzer, "example.com/errcodes/nowarn")
}
