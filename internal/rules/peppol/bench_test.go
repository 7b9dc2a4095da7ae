package peppol

import (
	"bytes"
	"os"
	"strconv"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

func benchDoc(b *testing.B, data []byte, lines int) {
	rules := Rules(Release20265)
	d, err := xmltree.Parse(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &rule.Context{Doc: d, Inv: inv}
		rule.Run(c, rules)
		c.Close() // as rules.Set.Check does: the pack's index is reused
		if len(c.Findings()) != 0 && lines == 1 {
			b.Fatalf("findings on a valid example: %v", c.Findings())
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(1/sec, "docs/s")
	b.ReportMetric(sec*1e9/float64(lines), "ns/line")
}

// BenchmarkBaseExample checks the official base example (parsed once).
func BenchmarkBaseExample(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"))
	if err != nil {
		b.Fatal(err)
	}
	benchDoc(b, data, 1)
}

// BenchmarkLines checks invoices of 1,000 and 10,000 lines made from the
// base example's first line: ns/line should not grow with the count.
func BenchmarkLines(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"))
	if err != nil {
		b.Fatal(err)
	}
	start := bytes.Index(data, []byte("<cac:InvoiceLine>"))
	end := bytes.Index(data, []byte("</cac:InvoiceLine>")) + len("</cac:InvoiceLine>")
	if start < 0 || end < start {
		b.Fatal("no line in the example")
	}
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var buf bytes.Buffer
			buf.Write(data[:start])
			for i := 0; i < n; i++ {
				buf.Write(data[start:end])
			}
			buf.Write(data[bytes.LastIndex(data, []byte("</cac:InvoiceLine>"))+len("</cac:InvoiceLine>"):])
			benchDoc(b, buf.Bytes(), n)
		})
	}
}
