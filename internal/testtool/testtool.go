// Package testtool finds the external programs some tests read their
// output back with (libdmtx's dmtxread, poppler's pdftoppm). Where a program
// is missing the test is skipped, unless PERMIS_TOOLS_REQUIRED=1 (CI sets
// it, after installing them): then it fails, so that a read-back test cannot
// silently stop running.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the paths of the named programs, in order; if one is
// missing it skips t, or fails it when PERMIS_TOOLS_REQUIRED=1. debian names
// the Debian packages that provide them, for the message.
func Need(t testing.TB, debian string, names ...string) []string {
	t.Helper()
	paths := make([]string, len(names))
	for i, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			msg := n + " is not installed (apt-get install " + debian + ")"
			if os.Getenv("PERMIS_TOOLS_REQUIRED") == "1" {
				t.Fatal(msg + "; PERMIS_TOOLS_REQUIRED=1 requires it")
			}
			t.Skip(msg)
		}
		paths[i] = p
	}
	return paths
}
