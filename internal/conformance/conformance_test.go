package conformance

import (
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// Reading the suites must find every embedded document and expectation.
// The document counts are those the shared README states; its expectation
// counts for the Peppol and EHF sets are lower than what the files hold
// (it seems to count a test's assertions once per rule), so the figures
// here are counted from the files themselves.
func TestLoadCounts(t *testing.T) {
	shared := sharedtest.Dir(t)
	for _, c := range []struct {
		dir          string
		docs, expect int
	}{
		{"conformance/cen", 1131, 1133},
		{"conformance/peppol-3.0.19", 543, 552},
		{"conformance/ehf", 2, 2},
	} {
		cases, err := Load(filepath.Join(shared, c.dir))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, k := range cases {
			n += len(k.Expect)
		}
		if len(cases) != c.docs || n != c.expect {
			t.Errorf("%s: %d documents, %d expectations; want %d, %d", c.dir, len(cases), n, c.docs, c.expect)
		}
	}
}

func TestCheck(t *testing.T) {
	c := &Case{File: "x", Expect: []Expect{{"A", Success}, {"B", Error}, {"C", Warning}, {"D", Error}}}
	s := Check(c, []report.Finding{{ID: "B", Flag: report.Fatal}, {ID: "C", Flag: report.Warning}, {ID: "D", Flag: report.Warning}})
	if s.Met != 3 || s.Total != 4 || len(s.Misses) != 1 || s.Misses[0].Expect.ID != "D" || s.Misses[0].Got != "warning" {
		t.Errorf("score %v misses %v", s, s.Misses)
	}
}
