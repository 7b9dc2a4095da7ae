package cen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// readDoc parses a file and finds the Invoice or CreditNote in it (bare
// or inside an SBDH envelope); nil when it holds neither.
func readDoc(t testing.TB, file string) *xmltree.Document {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xmltree.Parse(data, &xmltree.Options{File: file})
	if err != nil {
		return nil
	}
	r := d.Root()
	if r == xmltree.None {
		return nil
	}
	if l := d.Local(r); l == "Invoice" || l == "CreditNote" {
		return d
	}
	for i := r; i < d.End(r); i++ {
		if d.Kind(i) == xmltree.ElementNode && (d.Local(i) == "Invoice" || d.Local(i) == "CreditNote") &&
			strings.HasPrefix(d.Name(i).Space, "urn:oasis:names:specification:ubl:schema:xsd:") {
			return d.Subtree(i)
		}
	}
	return nil
}

// The official examples that the official rules accept give no fatal
// finding from this pack.
func TestExamplesHaveNoFatal(t *testing.T) {
	shared := sharedtest.Dir(t)
	dirs := []struct{ dir, release string }{
		{"examples/peppol-3.0.19/examples", R3019},
		{"examples/ehf-g3/docs/billing-3.0", R20265},
		{"examples/cen/examples", R20265},
	}
	n := 0
	for _, dd := range dirs {
		dir := filepath.Join(shared, dd.dir)
		if _, err := os.Stat(dir); err != nil {
			t.Logf("%s absent", dd.dir)
			continue
		}
		rules := Rules(dd.release)
		for _, f := range sharedtest.XMLFiles(t, dir) {
			d := readDoc(t, f)
			if d == nil || !strings.HasPrefix(strings.TrimSpace(customization(d)), "urn:cen.eu:en16931:2017") {
				continue // not an EN 16931 document (EHF 2 examples sit in the same folders)
			}
			n++
			for _, fd := range check(d, rules) {
				if fd.Flag == report.Fatal {
					t.Errorf("%s: %s at %s", f, fd.ID, fd.Location)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no example found")
	}
	t.Logf("%d examples checked", n)
}

func customization(d *xmltree.Document) string {
	r := d.Root()
	for c := range d.Children(r) {
		if d.Kind(c) == xmltree.ElementNode && d.Local(c) == "CustomizationID" {
			return d.Text(c)
		}
	}
	return ""
}
