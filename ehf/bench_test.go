package ehf

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ehf-project/ehf/internal/sample"
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
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N), "µs/doc")
	})
}

// benchLines reads and validates an invoice of n lines: the whole native
// path, reporting time per document and the bytes allocated per input
// byte.
func benchLines(b *testing.B, n int) {
	data := sample.Invoice(n)
	v, err := NewValidator(goldenOptions)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		doc, err := Parse(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		if r := v.Validate(doc); !r.Valid() {
			b.Fatal("the generated invoice is invalid")
		}
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N), "µs/doc")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/float64(len(data)), "bytes/inputbyte")
	b.ReportMetric(float64(heldWhileValidating(b, v, data))/float64(len(data)), "held/inputbyte")
}

// heldWhileValidating is the memory that a validation keeps beside its
// input: the tree, the model and the report, with the input held by the
// caller. What is allocated and dropped on the way is left out; the
// collector takes it back whenever it runs.
func heldWhileValidating(b *testing.B, v *Validator, data []byte) uint64 {
	b.StopTimer()
	defer b.StartTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := Parse(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := v.Validate(doc)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(doc)
	runtime.KeepAlive(r)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}

// A generated invoice of 10,000 lines, and of 1,000 to show that the cost
// grows linearly.
func BenchmarkLines10000(b *testing.B) { benchLines(b, 10000) }
func BenchmarkLines1000(b *testing.B)  { benchLines(b, 1000) }
