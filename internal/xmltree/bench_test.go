package xmltree

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ehf-project/ehf/internal/sample"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// The benchmarks read the same bytes with this package and with
// encoding/xml building a generic tree, side by side, so that one run shows
// the ratio. The attachment invoice also reports bytes allocated per input
// byte (the target is at most 2).
func BenchmarkRead(b *testing.B) {
	shared := sharedtest.Dir(b)
	docs := []struct{ name, path string }{
		{"base-example", filepath.Join(shared, "examples/peppol-3.0.19/examples/base-example.xml")},
		{"attachment", filepath.Join(shared, "examples/cen/examples/FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml")},
	}
	for _, doc := range docs {
		data, err := os.ReadFile(doc.path)
		if err != nil {
			b.Skip(err)
		}
		b.Run(doc.name+"/xmltree", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				if _, err := Parse(data, nil); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&ms1)
			perDoc := float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(b.N)
			b.ReportMetric(perDoc/float64(len(data)), "allocbytes/inputbyte")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N), "allocs/doc")
		})
		b.Run(doc.name+"/encoding-xml", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := genericTree(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadLines reads a generated invoice of 10,000 lines (4.75 MB),
// where the node array is most of what is allocated.
func BenchmarkReadLines(b *testing.B) {
	data := sample.Invoice(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		if _, err := Parse(data, nil); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/float64(len(data)), "allocbytes/inputbyte")
}

// BenchmarkReadAttachmentCRLF reads the attachment invoice with its base64
// broken into lines of 76 characters ending in CR LF, as many tools write
// it: megabytes of text that must be decoded.
func BenchmarkReadAttachmentCRLF(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(b), "examples/cen/examples/FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml"))
	if err != nil {
		b.Skip(err)
	}
	start := bytes.Index(data, []byte("JVBER"))
	end := start + bytes.IndexByte(data[start:], '<')
	var crlf []byte
	crlf = append(crlf, data[:start]...)
	for i := start; i < end; i += 76 {
		crlf = append(crlf, data[i:min(i+76, end)]...)
		crlf = append(crlf, '\r', '\n')
	}
	crlf = append(crlf, data[end:]...)
	b.SetBytes(int64(len(crlf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(crlf, nil); err != nil {
			b.Fatal(err)
		}
	}
}
