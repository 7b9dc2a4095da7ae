package ehf

import (
	"os"
	"testing"
)

// FuzzParseDocument feeds the model builder and the rules: whatever the
// bytes, reading either fails with a positioned error or yields a document
// that validates without a panic, and every finding has a position.
func FuzzParseDocument(f *testing.F) {
	for _, name := range []string{"plain", "allowances-charges", "creditnote", "broken-values", "sbdh-wrapped-broken"} {
		data, err := os.ReadFile("../testdata/invoices/" + name + ".xml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	v, err := NewValidator(goldenOptions)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, &ParseOptions{Name: "fuzz.xml", MaxDepth: 64})
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok || se.Line < 1 || se.Col < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		rep := v.Validate(doc)
		for _, fd := range rep.Findings {
			if fd.ID == "" || (fd.Offset >= 0 && fd.Line < 1) {
				t.Fatalf("finding without ID or position: %+v", fd)
			}
		}
	})
}
