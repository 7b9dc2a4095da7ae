package rules

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The assembled native rule set, as ehf validate applies it, against the
// official conformance suites: the CEN sets and the Peppol 3.0.19 sets with
// the national rules. Every expectation must be met.
func TestConformance(t *testing.T) {
	shared := sharedtest.Dir(t)
	set := Lookup(Billing3019)
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, suite := range []string{"conformance/cen", "conformance/peppol-3.0.19"} {
		cases, err := conformance.Load(filepath.Join(shared, suite))
		if err != nil {
			t.Fatal(err)
		}
		var total conformance.Score
		bySet := map[string]*conformance.Score{}
		for _, c := range cases {
			s := conformance.Check(c, checkCase(set, c, day))
			total.Add(s)
			key := filepath.Base(filepath.Dir(c.File))
			if bySet[key] == nil {
				bySet[key] = &conformance.Score{}
			}
			bySet[key].Add(s)
		}
		var parts []string
		for k, s := range bySet {
			parts = append(parts, k+" "+s.String())
		}
		sort.Strings(parts)
		t.Logf("%s: %s (%s)", suite, total, strings.Join(parts, ", "))
		for _, m := range total.Misses {
			t.Errorf("%s", m)
		}
	}
}

func checkCase(set *Set, c *conformance.Case, day time.Time) []report.Finding {
	root := c.Doc.Root()
	if root == xmltree.None {
		return nil
	}
	inv, findings := invoice.Read(c.Doc, root)
	return append(findings, set.Check(c.Doc, inv, day)...)
}
