package ehf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// BenchmarkParseAndValidate measures what a caller pays per document:
// reading, the model, and the native rules.
func BenchmarkParseAndValidate(b *testing.B) {
	path := filepath.Join(sharedtest.Dir(b), "examples/peppol-3.0.19/examples/base-example.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	v, err := NewValidator(goldenOptions)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse+validate", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			doc, err := Parse(data, nil)
			if err != nil {
				b.Fatal(err)
			}
			v.Validate(doc)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}
