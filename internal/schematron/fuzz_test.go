package schematron_test

import (
	"os"
	"testing"

	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// FuzzCompile loads arbitrary rule files: errors, never panics.
func FuzzCompile(f *testing.F) {
	for _, file := range []string{"testdata/orders.sch", "testdata/modular/main.sch", "testdata/modular/parts/abstract.sch"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="*"><assert test="1"/></rule></pattern></schema>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := schematron.CompileSources("fuzz", schematron.Source{File: "testdata/fuzz.sch", Data: data})
		if err != nil {
			return
		}
		d, err := xmltree.Parse([]byte(goodOrder), nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Validate(d)
		p.Rules()
	})
}

// FuzzValidate runs the test rules over arbitrary documents.
func FuzzValidate(f *testing.F) {
	p, err := schematron.Compile("fuzz", "testdata/orders.sch")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(goodOrder))
	f.Add([]byte(badOrder))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := xmltree.Parse(data, nil)
		if err != nil {
			return
		}
		p.Validate(d)
	})
}
