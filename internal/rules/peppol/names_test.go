package peppol

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every element name the rules use is numbered in names.go (a name that is
// not still works, by a slower lookup).
func TestStepsListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(c[ab]c:[A-Za-z]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "names.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if _, ok := stepKey[m[1]]; !ok {
				t.Errorf("%s: %s is not in names.go", f, m[1])
			}
		}
	}
}
