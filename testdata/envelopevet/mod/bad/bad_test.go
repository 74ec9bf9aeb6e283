package bad

import "testing"

// With a test file, the package is analysed with its tests too: its
// findings are listed once all the same.
func TestInfo(t *testing.T) {}
