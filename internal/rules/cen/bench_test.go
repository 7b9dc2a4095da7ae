package cen

import (
	"os"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sample"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// benchDoc measures reading data (parse and model) and then checking it
// with the pack, each document new as in real use (the pack's per-document
// index is part of the cost), against reading alone.
func benchDoc(b *testing.B, data []byte, rules []rule.Rule) {
	for _, check := range []bool{false, true} {
		name := "read"
		if check {
			name = "read+check"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				d, err := xmltree.Parse(data, nil)
				if err != nil {
					b.Fatal(err)
				}
				inv, _ := invoice.Read(d, d.Root())
				if check {
					c := &rule.Context{Doc: d, Inv: inv}
					rule.Run(c, rules)
					c.Close() // as rules.Set.Check does
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
	// The pack alone, on documents read beforehand: less noisy than the
	// difference of the two above on a busy machine. A few documents in
	// turn, so that each check meets its tree about as warm as right after
	// reading it (in the processor's second-level cache, not the first).
	b.Run("check", func(b *testing.B) {
		docs := make([]*xmltree.Document, max(1, min(8, (8<<20)/(8*len(data)))))
		invs := make([]*invoice.Invoice, len(docs))
		for i := range docs {
			d, err := xmltree.Parse(data, nil)
			if err != nil {
				b.Fatal(err)
			}
			docs[i] = d
			invs[i], _ = invoice.Read(d, d.Root())
			d.Elements(0) // built once per document in real use too, and shared with the Peppol pack
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		i := 0
		for b.Loop() {
			c := &rule.Context{Doc: docs[i], Inv: invs[i]}
			rule.Run(c, rules)
			c.Close()
			if i++; i == len(docs) {
				i = 0
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

// The whole pack on the Peppol base example.
func BenchmarkBaseExample(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"))
	if err != nil {
		b.Fatal(err)
	}
	benchDoc(b, data, Rules(R20265))
}

// The whole pack on our own invoice of 10,000 lines.
func BenchmarkLines10000(b *testing.B) {
	benchDoc(b, sample.Invoice(10000), Rules(R20265))
}

// Our big invoice is valid: the pack reports nothing fatal on it.
func TestBigInvoiceValid(t *testing.T) {
	d, err := xmltree.Parse(sample.Invoice(50), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range check(d, Rules(R20265)) {
		if f.Flag.String() == "fatal" {
			t.Errorf("%s at %s", f.ID, f.Location)
		}
	}
}
