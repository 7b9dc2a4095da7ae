package peppol

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// checkDoc runs the release's rules on an XML document.
func checkDoc(t testing.TB, data []byte, rel string) []report.Finding {
	t.Helper()
	d, err := xmltree.Parse(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	c := &rule.Context{Doc: d, Inv: inv, RuleSet: rel}
	rule.Run(c, Rules(rel))
	return c.Findings()
}

// rejected are the examples the official rules reject, with the fatal
// rules they report (checked with the reference engine): an EHF 2.0
// invoice, and the billing_with_response process that 3.0.19 does not
// know yet.
var rejected = map[string]map[string][]string{
	"ehf-2-faktura-1.xml": {
		Release3019:  {"PEPPOL-EN16931-R007", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R046", "PEPPOL-EN16931-CL002", "PEPPOL-EN16931-CL003", "PEPPOL-EN16931-CL008"},
		Release20265: {"PEPPOL-EN16931-R007", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R046", "PEPPOL-EN16931-CL002", "PEPPOL-EN16931-CL003", "PEPPOL-EN16931-CL008"},
	},
	"base-example_profile02.xml": {Release3019: {"PEPPOL-EN16931-R007"}},
}

// The official examples that the official rules accept give no fatal
// finding here either, in both releases; those they reject give the same
// fatal rules.
func TestOfficialExamples(t *testing.T) {
	var files []string
	for _, dir := range [][]string{
		{"examples", "peppol-3.0.19", "examples"},
		{"examples", "peppol-3.0.19", "national-examples"},
		{"examples", "ehf-g3", "docs", "billing-3.0"},
		{"examples", "phive-2026.5", "billing"},
	} {
		files = append(files, sharedtest.XMLFiles(t, sharedtest.Path(t, dir...))...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d examples found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range []string{Release3019, Release20265} {
			want := map[string]bool{}
			for _, id := range rejected[filepath.Base(f)][rel] {
				want[id] = true
			}
			got := map[string]bool{}
			for _, fd := range checkDoc(t, data, rel) {
				if fd.Flag != report.Fatal {
					continue
				}
				got[fd.ID] = true
				if !want[fd.ID] {
					t.Errorf("%s (%s): %s at %s: %s", filepath.Base(f), rel, fd.ID, fd.Location, fd.Message)
				}
			}
			for id := range want {
				if !got[id] {
					t.Errorf("%s (%s): %s is not reported; the official rules report it", filepath.Base(f), rel, id)
				}
			}
		}
	}
}
