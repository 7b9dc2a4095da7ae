package ehf

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// The two engines must agree: the native 3.0.19 set and the official
// 3.0.19 files run by the Schematron engine report the same rules with the
// same flags, document by document, on our own invoices, every billing
// example and every conformance document. (ehf's own checks, EHF-*, have
// no Schematron counterpart and are left out.)
func TestEnginesAgree(t *testing.T) {
	shared := sharedtest.Dir(t)
	rulesDir := filepath.Join(shared, "rules/peppol-billing-3.0.19")
	sch, err := NewValidator(&Options{Engine: Schematron, Rules: []string{rulesDir}, NoXSD: true, Date: goldenOptions.Date})
	if err != nil {
		t.Fatal(err)
	}
	nat, err := NewValidator(&Options{RuleSet: "peppol-billing-3.0.19", NoXSD: true, Date: goldenOptions.Date})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*Document
	files, _ := filepath.Glob("../testdata/invoices/*.xml")
	for _, f := range sharedtest.XMLFiles(t, filepath.Join(shared, "examples")) {
		if data, err := os.ReadFile(f); err == nil && strings.Contains(string(data), "poacc:billing:3.0") {
			files = append(files, f)
		}
	}
	for _, f := range files {
		if d, err := ParseFile(f); err == nil && d.Type.Billing() {
			docs = append(docs, d)
		}
	}
	for _, suite := range []string{"conformance/cen", "conformance/peppol-3.0.19"} {
		cases, err := conformance.Load(filepath.Join(shared, suite))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if d, err := build(c.Doc, c.Name()); err == nil {
				docs = append(docs, d)
			}
		}
	}
	if len(docs) < 1700 {
		t.Fatalf("only %d documents", len(docs))
	}
	differ := 0
	for _, d := range docs {
		if len(d.findings) > 0 {
			// A value that cannot be read: the Schematron engine reports
			// each assert it could not evaluate, the native pack the value
			// once. They agree that the document is invalid.
			continue
		}
		a, b := ruleFlags(nat.Validate(d)), ruleFlags(sch.Validate(d))
		if onlyA, onlyB := diffWords(a, b); len(onlyA)+len(onlyB) > 0 {
			differ++
			if differ <= 20 {
				t.Errorf("%s: only native: %v; only schematron: %v", d.Name, onlyA, onlyB)
			}
		}
	}
	t.Logf("%d documents, %d differ", len(docs), differ)
}

func diffWords(a, b string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, w := range strings.Fields(a) {
		count[w]++
	}
	for _, w := range strings.Fields(b) {
		count[w]--
	}
	for w, n := range count {
		for ; n > 0; n-- {
			onlyA = append(onlyA, w)
		}
		for ; n < 0; n++ {
			onlyB = append(onlyB, w)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return onlyA, onlyB
}

func ruleFlags(r *Report) string {
	var out []string
	for _, f := range r.Findings {
		if strings.HasPrefix(f.ID, "EHF-") {
			continue
		}
		out = append(out, fmt.Sprintf("%s/%s", f.ID, f.Flag))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
