package cen

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// check runs the pack of release on one document.
func check(d *xmltree.Document, rules []rule.Rule) []report.Finding {
	root := d.Root()
	inv, _ := invoice.Read(d, root)
	c := &rule.Context{Doc: d, Inv: inv, RuleSet: "cen-test"}
	rule.Run(c, rules)
	return c.Findings()
}

// knownMisses are expectations the pack does not meet yet, with why; the
// test fails on any other miss, and on a listed miss that is now met.
var knownMisses = map[string]string{}

func runSuite(t *testing.T, dir, release string, keep func(id string) bool) {
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules(release)
	var total conformance.Score
	seen := map[string]bool{}
	for _, c := range cases {
		// Only the expectations on rules of this pack count here.
		var exp []conformance.Expect
		for _, x := range c.Expect {
			if keep(x.ID) {
				exp = append(exp, x)
			}
		}
		if len(exp) == 0 {
			continue
		}
		cc := *c
		cc.Expect = exp
		s := conformance.Check(&cc, check(c.Doc, rules))
		total.Add(s)
		for _, m := range s.Misses {
			key := filepath.Base(c.File) + ":" + m.Expect.ID
			seen[key] = true
			if _, ok := knownMisses[key]; !ok {
				t.Errorf("%s: %s", c.Name(), m)
			}
		}
	}
	var stale []string
	for k := range knownMisses {
		if strings.HasPrefix(k, filepath.Base(dir)) && !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("known miss %s is met now: remove it from knownMisses", k)
	}
	t.Logf("%s (release %s): %s expectations met", dir, release, total)
}

func cenRule(id string) bool {
	return strings.HasPrefix(id, "BR-") || strings.HasPrefix(id, "UBL-")
}

// The CEN unit tests (configuration tc434-ubl) are those of validation
// artefacts 1.3.16, the CEN file of the 2026.5 release.
func TestConformanceCEN(t *testing.T) {
	runSuite(t, sharedtest.Path(t, "conformance", "cen"), R20265, cenRule)
}

// The Peppol 3.0.19 unit tests hold no expectation on CEN rules today
// (their configuration runs the CEN file too, but they test the Peppol
// rules); any they gain is checked here. Every one of their documents is
// also checked without the pack failing inside.
func TestConformancePeppol(t *testing.T) {
	dir := sharedtest.Path(t, "conformance", "peppol-3.0.19")
	runSuite(t, dir, R3019, cenRule)
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no Peppol test documents")
	}
	rules := Rules(R3019)
	for _, c := range cases {
		for _, f := range check(c.Doc, rules) {
			if f.ID == rule.RuleInternal {
				t.Errorf("%s: %s", c.Name(), f.Message)
			}
		}
	}
}
