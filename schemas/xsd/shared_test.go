package xsd

import (
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// sharedDir returns the shared kit, or skips the test when it is absent.
func sharedDir(t testing.TB) string { sharedtest.Path(t, "ubl-2.1", "xsd"); return sharedtest.Dir(t) }

// needLibxml2 skips a test in a build without cgo.
func needLibxml2(t testing.TB) {
	t.Helper()
	if !Available() {
		t.Skip("built without cgo: the XSD layer is not available")
	}
}
