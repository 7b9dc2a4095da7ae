package schematron_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/schematron/schtest"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// TestExamples validates every example of a covered document type with its
// rule files: no rule may fail to evaluate, and the fatal findings are
// listed (the examples are published as valid; see TestExamplesValid for
// the known exceptions).
func TestExamples(t *testing.T) {
	shared := sharedtest.Dir(t)
	covered := 0
	for _, ex := range schtest.Examples(t) {
		rel, _ := filepath.Rel(shared, ex.Path)
		if ex.Rules == nil {
			t.Logf("no rule files for %s (%s)", rel, schtest.CustomizationID(ex.Doc))
			continue
		}
		covered++
		fs := schtest.Program(t, ex.Rules).Validate(ex.Doc)
		var fatal []string
		for _, f := range fs {
			if schtest.IsEvalError(f) {
				t.Errorf("%s: %s at %s: %s", rel, f.ID, f.Location, f.Message)
			}
			if f.Flag == report.Fatal {
				fatal = append(fatal, f.ID)
			}
		}
		sort.Strings(fatal)
		if len(fatal) > 0 {
			t.Logf("%s: fatal %v", rel, fatal)
		}
	}
	if covered < 100 {
		t.Errorf("only %d examples are covered by rule files", covered)
	}
}
