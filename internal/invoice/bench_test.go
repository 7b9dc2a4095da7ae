package invoice

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ehf-project/ehf/internal/sample"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// BenchmarkRead measures the model reader alone, on a parsed tree: the
// Peppol base example (a typical invoice) and a generated invoice of
// 10,000 lines. It reports the bytes allocated per input byte.
func BenchmarkRead(b *testing.B) {
	base, err := os.ReadFile(filepath.Join(sharedtest.Dir(b), "examples/peppol-3.0.19/examples/base-example.xml"))
	if err != nil {
		b.Skip(err)
	}
	docs := []struct {
		name string
		data []byte
	}{{"base-example", base}, {"lines10000", sample.Invoice(10000)}}
	for _, doc := range docs {
		b.Run(doc.name, func(b *testing.B) {
			d, err := xmltree.Parse(doc.data, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(doc.data)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				if _, f := Read(d, d.Root()); len(f) > 0 {
					b.Fatal(f[0].Message)
				}
			}
			runtime.ReadMemStats(&ms1)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N), "µs/doc")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/float64(len(doc.data)), "allocbytes/inputbyte")
		})
	}
}
