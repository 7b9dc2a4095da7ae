package peppol

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestOracle compares the pack with the reference engine, document by
// document, on a corpus you produce locally (CI has no Java):
//
//	../shared/oracle/oracle ../shared/oracle/xslt/3.0.19-PEPPOL.xsl DIR/*.xml > out.jsonl   (run inside DIR)
//	EHF_PEPPOL_ORACLE=out.jsonl EHF_PEPPOL_ORACLE_DIR=DIR EHF_PEPPOL_ORACLE_RELEASE=3.0.19 go test -run Oracle ./internal/rules/peppol
func TestOracle(t *testing.T) {
	file, dir, rel := os.Getenv("EHF_PEPPOL_ORACLE"), os.Getenv("EHF_PEPPOL_ORACLE_DIR"), os.Getenv("EHF_PEPPOL_ORACLE_RELEASE")
	if file == "" {
		t.Skip("EHF_PEPPOL_ORACLE (the reference engine's output) is not set; see the comment for how to make it")
	}
	rules := Rules(rel)
	if rules == nil {
		t.Fatalf("unknown release %q", rel)
	}
	conformance.CompareOracle(t, file, dir,
		func(path string) *xmltree.Document {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := xmltree.Parse(data, &xmltree.Options{File: filepath.Base(path)})
			if err != nil {
				return nil
			}
			return d
		},
		func(d *xmltree.Document) []report.Finding {
			inv, _ := invoice.Read(d, d.Root())
			c := &rule.Context{Doc: d, Inv: inv}
			rule.Run(c, rules)
			return c.Findings()
		})
}
