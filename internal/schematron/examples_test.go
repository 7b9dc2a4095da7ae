package schematron_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/schematron/schtest"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExamples validates every example in ../shared/examples whose
// document type has official rule files with those files. No rule may fail
// to evaluate, and the findings (rule ID, flag and count; no messages)
// must match testdata/examples.golden, refreshed with -update. The
// examples are published as valid; those with fatal findings there are
// explained in the engine's notes (dummy identifiers with wrong check
// digits, test files older than the rules), and the reference engine
// agrees on each (TestOracle).
func TestExamples(t *testing.T) {
	shared := sharedtest.Dir(t)
	covered := 0
	var lines, uncovered []string
	for _, ex := range schtest.Examples(t) {
		rel, _ := filepath.Rel(shared, ex.Path)
		rel = filepath.ToSlash(rel)
		if ex.Rules == nil {
			uncovered = append(uncovered, rel)
			continue
		}
		covered++
		counts := map[string]int{}
		for _, f := range schtest.Program(t, ex.Rules).Validate(ex.Doc) {
			if schtest.IsEvalError(f) {
				t.Errorf("%s: %s at %s: %s", rel, f.ID, f.Location, f.Message)
			}
			counts[f.ID+"/"+f.Flag.String()]++
		}
		var fs []string
		for k, n := range counts {
			fs = append(fs, fmt.Sprintf("%s×%d", k, n))
		}
		sort.Strings(fs)
		lines = append(lines, rel+": "+strings.Join(fs, " "))
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := "testdata/examples.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		wm := map[string]bool{}
		for _, l := range wl {
			wm[l] = true
		}
		gm := map[string]bool{}
		for _, l := range gl {
			gm[l] = true
			if !wm[l] {
				t.Errorf("now:    %s", l)
			}
		}
		for _, l := range wl {
			if !gm[l] {
				t.Errorf("golden: %s", l)
			}
		}
	}
	if covered < 100 {
		t.Errorf("only %d examples are covered by rule files", covered)
	}
	t.Logf("%d examples validated; no rule files for %d (logistics transactions, EHF 2.0): %v", covered, len(uncovered), uncovered)
}
