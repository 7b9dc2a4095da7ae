package peppol

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// ours reports whether a rule ID is this pack's to meet (the suites also
// expect CEN rules, which the CEN pack answers for).
func ours(id string) bool {
	for _, p := range []string{"PEPPOL-", "NO-R-", "DK-R-", "SE-R-", "NL-R-", "IT-R-", "DE-R-", "GR-R-", "GR-S-", "IS-R-"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// knownMisses are expectations this pack does not meet yet, each with the
// reason; the test fails on any other miss, and on a listed one that is
// met (so the list shrinks as the pack grows).
var knownMisses = map[string]string{}

// run checks one conformance case with the release's rules.
func run(cs *conformance.Case, rules []rule.Rule) conformance.Score {
	root := cs.Doc.Root()
	inv, _ := invoice.Read(cs.Doc, root)
	c := &rule.Context{Doc: cs.Doc, Inv: inv, RuleSet: "test"}
	rule.Run(c, rules)
	var exp []conformance.Expect
	for _, e := range cs.Expect {
		if ours(e.ID) {
			exp = append(exp, e)
		}
	}
	cs2 := *cs
	cs2.Expect = exp
	return conformance.Check(&cs2, c.Findings())
}

func TestConformance3019(t *testing.T) {
	dir := sharedtest.Path(t, "conformance", "peppol-3.0.19")
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules(Release3019)
	suites := map[string]*conformance.Score{}
	var total conformance.Score
	for _, cs := range cases {
		rel, _ := filepath.Rel(dir, cs.File)
		suite := filepath.Dir(rel)
		if suites[suite] == nil {
			suites[suite] = &conformance.Score{}
		}
		s := run(cs, rules)
		suites[suite].Add(s)
		total.Add(s)
	}
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-16s %s", n, suites[n])
	}
	t.Logf("%-16s %s", "all", total)
	seen := map[string]bool{}
	for _, m := range total.Misses {
		rel, _ := filepath.Rel(dir, m.Case.File)
		key := rel + ": " + m.Expect.ID
		seen[key] = true
		if reason, ok := knownMisses[key]; ok {
			t.Logf("known miss %s:%d %s expected %s, got %s (%s)", rel, m.Case.Line, m.Expect.ID, m.Expect.Want, m.Got, reason)
			continue
		}
		t.Errorf("%s:%d: %s expected %s, got %s", rel, m.Case.Line, m.Expect.ID, m.Expect.Want, m.Got)
	}
	for k := range knownMisses {
		if !seen[k] {
			t.Errorf("%s is listed as a known miss but is met now: remove it from knownMisses", k)
		}
	}
}
