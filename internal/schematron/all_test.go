package schematron_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// TestCompileOfficial compiles every official rule file in ../shared/rules
// (the modular CEN parts through the file that includes them): none may use
// anything outside the supported subset.
func TestCompileOfficial(t *testing.T) {
	dir := sharedtest.Path(t, "rules")
	compiled := 0
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".sch") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		// Parts of the modular CEN binding: patterns, not schemas.
		for _, part := range []string{"abstract", "UBL", "codelist"} {
			if strings.HasPrefix(filepath.ToSlash(rel), "cen-en16931-ubl/"+part+"/") {
				return nil
			}
		}
		prog, err := schematron.Compile(rel, p)
		if err != nil {
			t.Errorf("%v", err)
			return nil
		}
		if len(prog.Rules()) == 0 {
			t.Errorf("%s: no rules", rel)
		}
		compiled++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compiled < 36 {
		t.Errorf("compiled %d rule files, expected the 36 of the shared kit", compiled)
	}
}
