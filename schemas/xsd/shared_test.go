package xsd

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns the shared kit beside the repository (../shared from
// the directory holding go.mod), or skips the test when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory; cannot locate ../shared")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "ubl-2.1", "xsd")); err != nil {
		t.Skipf("the shared kit is not at %s (%v); skipping tests that need the official UBL schemas", shared, err)
	}
	return shared
}

// needLibxml2 skips a test in a build without cgo.
func needLibxml2(t testing.TB) {
	t.Helper()
	if !Available() {
		t.Skip("built without cgo: the XSD layer is not available")
	}
}
