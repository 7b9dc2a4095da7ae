package schematron_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

func TestCompileAllShared(t *testing.T) {
	dir := sharedtest.Path(t, "rules")
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".sch") {
			return err
		}
		if strings.Contains(p, "/abstract/") || strings.Contains(p, "/UBL/") || strings.Contains(p, "/codelist/") {
			return nil
		}
		start := time.Now()
		prog, err := schematron.Compile("test", p)
		if err != nil {
			t.Errorf("%v", err)
			return nil
		}
		t.Logf("%s: %d rules in %v", p, len(prog.Rules()), time.Since(start))
		return nil
	})
}
