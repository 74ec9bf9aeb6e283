package conformance_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/conformance"
)

// contractRules returns the rule ids CONTRACT.md defines, in its order: a
// rule is defined by a bold id at the start of a list item, "- **R2 ...".
func contractRules(t *testing.T) []string {
	text, err := os.ReadFile(filepath.Join("..", "CONTRACT.md"))
	require.NoError(t, err, "the contract is CONTRACT.md at the repository's root")
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^- \*\*([A-Z][0-9])\b`).FindAllSubmatch(text, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// TestContractDefinesTheRules checks that CONTRACT.md defines each rule
// once, the ids the code and the tests cite, and that every conformance
// case names one of them.
func TestContractDefinesTheRules(t *testing.T) {
	assert.Equal(t, []string{
		"R1", "R2", "R3", "R4", "R5",
		"S1", "S2", "S3", "S4", "S5", "S6", "S7",
		"W1",
		"V1", "V2", "V3", "V4",
		"D1", "D2",
	}, contractRules(t))

	defined := map[string]bool{}
	for _, id := range contractRules(t) {
		defined[id] = true
	}
	for _, c := range conformance.Suite() {
		assert.True(t, defined[c.Rule], "case %s names rule %q, which CONTRACT.md does not define", c.ID(), c.Rule)
	}
}
