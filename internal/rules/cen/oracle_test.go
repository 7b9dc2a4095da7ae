package cen

import (
	"os"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestOracle compares the pack with the reference engine document by
// document on a corpus made locally (CI has no Java):
//
//	../shared/oracle/oracle ../shared/oracle/xslt/2026.5-CEN.xsl DIR/*.xml > out.jsonl   (run inside DIR)
//	EHF_CEN_ORACLE=out.jsonl EHF_CEN_ORACLE_DIR=DIR EHF_CEN_ORACLE_RELEASE=2026.5 go test -run Oracle ./internal/rules/cen
//
// `go run ./internal/rules/cen/derive` writes such a corpus.
func TestOracle(t *testing.T) {
	file, dir, rel := os.Getenv("EHF_CEN_ORACLE"), os.Getenv("EHF_CEN_ORACLE_DIR"), os.Getenv("EHF_CEN_ORACLE_RELEASE")
	if file == "" {
		t.Skip("EHF_CEN_ORACLE (the reference engine's output) is not set; see the comment for how to make it")
	}
	rules := Rules(rel)
	conformance.CompareOracle(t, file, dir,
		func(path string) *xmltree.Document { return readDoc(t, path) },
		func(d *xmltree.Document) []report.Finding { return check(d, rules) })
}
