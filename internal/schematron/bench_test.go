package schematron_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/sample"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/schematron/schtest"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The reference engine's figures (../shared/oracle/README.md) for
// comparison: compiling the 2026.5 CEN + Peppol files 3.0 s,
// base-example.xml 7.0 ms per document, the 3.3 MB invoice with an
// attachment 143 ms, a 10,000-line invoice about 1.4 s.

func benchCompile(b *testing.B, files []string) {
	var paths []string
	for _, f := range files {
		paths = append(paths, sharedtest.Path(b, "rules", f))
	}
	var srcs []schematron.Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, schematron.Source{File: p, Data: data})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := schematron.CompileSources("bench", srcs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/compile")
}

func BenchmarkCompile3019(b *testing.B)  { benchCompile(b, schtest.Billing3019) }
func BenchmarkCompile20265(b *testing.B) { benchCompile(b, schtest.Billing20265) }

func benchValidate(b *testing.B, files []string, data []byte, parse bool) {
	prog := schtest.Program(b, files)
	d, err := xmltree.Parse(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	if fs := prog.Validate(d); schtest.HasEvalError(fs) {
		b.Fatalf("the benchmark document has a rule that cannot be evaluated")
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if parse {
			if d, err = xmltree.Parse(data, nil); err != nil {
				b.Fatal(err)
			}
		}
		prog.Validate(d)
	}
	cpu := (cpuTime() - cpu0) / time.Duration(b.N)
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/doc")
	b.ReportMetric(float64(time.Second)/float64(per), "docs/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000, "cpu-ms/doc")
	}
}

func sharedFile(b testing.TB, elem ...string) []byte {
	data, err := os.ReadFile(sharedtest.Path(b, elem...))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkBaseExample validates base-example.xml with the 2026.5 CEN and
// Peppol files (the tree is parsed once; see BenchmarkBaseExampleParse
// for both).
func BenchmarkBaseExample(b *testing.B) {
	benchValidate(b, schtest.Billing20265, sharedFile(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"), false)
}

func BenchmarkBaseExampleParse(b *testing.B) {
	benchValidate(b, schtest.Billing20265, sharedFile(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"), true)
}

func BenchmarkBaseExample3019(b *testing.B) {
	benchValidate(b, schtest.Billing3019, sharedFile(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"), false)
}

func BenchmarkAttachment(b *testing.B) {
	benchValidate(b, schtest.Billing20265, sharedFile(b, "examples", "cen", "examples", "FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml"), true)
}

func BenchmarkLines10000(b *testing.B) {
	data := manyLines(b, sharedFile(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"), 10000)
	benchValidate(b, schtest.Billing20265, data, true)
}

// manyLines makes an invoice with n lines by repeating base-example's
// first line with fresh IDs. The document totals are left as they are, so
// the few rules that add up the lines report them (in both engines); every
// other rule runs as on a valid invoice.
func manyLines(b testing.TB, base []byte, n int) []byte {
	start := bytes.Index(base, []byte("<cac:InvoiceLine>"))
	end := bytes.LastIndex(base, []byte("</cac:InvoiceLine>"))
	if start < 0 || end < 0 {
		b.Fatal("base-example has no invoice lines")
	}
	end += len("</cac:InvoiceLine>")
	firstEnd := bytes.Index(base[start:], []byte("</cac:InvoiceLine>")) + start + len("</cac:InvoiceLine>")
	line := base[start:firstEnd]
	var buf bytes.Buffer
	buf.Write(base[:start])
	idStart := bytes.Index(line, []byte("<cbc:ID>"))
	idEnd := bytes.Index(line, []byte("</cbc:ID>"))
	for i := range n {
		buf.Write(line[:idStart])
		fmt.Fprintf(&buf, "<cbc:ID>%d</cbc:ID>", i+1)
		buf.Write(line[idEnd+len("</cbc:ID>"):])
		buf.WriteByte('\n')
	}
	buf.Write(base[end:])
	return buf.Bytes()
}

// TestWriteManyLines writes the generated invoices with EHF_WRITE_LINES
// lines (base-example's line repeated, and our own sample) to the
// temporary directory, so that the reference engine can be
// timed on the same document:
//
//	EHF_WRITE_LINES=10000 go test -run TestWriteManyLines ./internal/schematron
//	../shared/oracle/oracle --bench 3 --warmup 2 XSLT... $TMPDIR/lines10000.xml
func TestWriteManyLines(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("EHF_WRITE_LINES"))
	if err != nil {
		t.Skip("set EHF_WRITE_LINES to the number of lines")
	}
	for name, data := range map[string][]byte{
		"lines":  manyLines(t, sharedFile(t, "examples", "peppol-3.0.19", "examples", "base-example.xml"), n),
		"sample": sample.Invoice(n),
	} {
		f := filepath.Join(os.TempDir(), fmt.Sprintf("%s%d.xml", name, n))
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", f, len(data))
	}
}

// BenchmarkSample10000 validates our own generated invoice of 10,000
// lines (internal/sample, 4.75 MB: short lines, as the 4.9 MB invoice the
// oracle README times), parse included.
func BenchmarkSample10000(b *testing.B) {
	benchValidate(b, schtest.Billing20265, sample.Invoice(10000), true)
}

func BenchmarkLines1000(b *testing.B) {
	data := manyLines(b, sharedFile(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"), 1000)
	benchValidate(b, schtest.Billing20265, data, false)
}
