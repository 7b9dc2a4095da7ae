// Package sharedtest finds the official artefacts kit (../shared beside the
// checkout) for tests, and skips a test with a clear message when it is not
// there.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the shared kit, or skips t.
// EHF_SHARED overrides the location.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("EHF_SHARED"); d != "" {
		return d
	}
	d, ok := Find()
	if !ok {
		t.Skip("../shared (the official artefacts kit beside the checkout) is not present; set EHF_SHARED to run this test")
	}
	return d
}

// Path joins elem onto the shared kit's path, skipping t when the kit or
// the file is absent.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Dir(t)}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not in the shared kit: %v", filepath.Join(elem...), err)
	}
	return p
}

// Find locates ../shared relative to the module root.
func Find() (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if fi, err := os.Stat(shared); err == nil && fi.IsDir() {
				return shared, true
			}
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// XMLFiles lists every .xml file under dir, recursively, in a stable order.
func XMLFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && filepath.Ext(p) == ".xml" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
