package ehf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// Every example in the shared kit reads into a Document, and validating it
// finishes without a panic. The billing examples published as valid have
// no finding from the model reader.
func TestSharedExamples(t *testing.T) {
	shared := sharedtest.Dir(t)
	v, err := NewValidator(goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	files := sharedtest.XMLFiles(t, filepath.Join(shared, "examples"))
	kinds := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(data, &ParseOptions{Name: f})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		kinds[doc.Type.Name]++
		rep := v.Validate(doc)
		if doc.Type.Billing() {
			for _, fd := range doc.findings {
				t.Errorf("%s:%d:%d: %s %s", f, fd.Line, fd.Column, fd.ID, fd.Message)
			}
		}
		_ = rep
	}
	if kinds["peppol-billing-invoice"] < 30 || kinds["peppol-billing-credit-note"] < 3 {
		t.Errorf("document types found: %v", kinds)
	}
	t.Logf("%d examples: %v", len(files), kinds)
}

// Every document embedded in the official conformance sets (most are
// fragments) reads into the model and validates without a panic.
func TestSharedConformanceDocuments(t *testing.T) {
	shared := sharedtest.Dir(t)
	v, err := NewValidator(goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range []string{"conformance/cen", "conformance/peppol-3.0.19", "conformance/ehf"} {
		cases, err := conformance.Load(filepath.Join(shared, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			doc, err := build(c.Doc, c.Name())
			if err != nil {
				t.Errorf("%s: %v", c.Name(), err)
				continue
			}
			v.Validate(doc)
			n++
		}
	}
	if n < 1600 {
		t.Errorf("only %d documents", n)
	}
}
