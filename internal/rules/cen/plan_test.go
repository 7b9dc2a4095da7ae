package cen

import (
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// A rule that fails inside ehf on one node is reported once, as rule.Run
// reports such a rule, and checks nothing more on that document; the other
// rules of its context and every other context are still checked on every
// node, and what the broken rule found before it broke stays.
func TestPlanSurvivesPanics(t *testing.T) {
	lines := under("cac:InvoiceLine")
	id := p("cbc:ID")
	val := func(e *ev, n node) string { return e.val(n, id) }
	ds := []def{
		{"T-ROOT", fatal, "root", "rot", atRoot, func(*ev, node) bool { return false }},
		{"T-BOOM", fatal, "boom", "bom", lines, func(e *ev, n node) bool {
			if val(e, n) == "2" {
				panic("line 2")
			}
			return false
		}},
		{"T-LINE", warning, "line", "linje", lines, func(*ev, node) bool { return false }},
		{"T-CTX", fatal, "ctx", "ktx", ctxFunc(func(e *ev) []node { panic("context") }), always},
		{"T-LAST", warning, "last", "sist", atRoot, func(*ev, node) bool { return false }},
	}
	rules := build(ds, nil)
	for i, r := range rules {
		if (r.Check != nil) != (i == 0) {
			t.Fatalf("rule %s: only the first rule should check", r.ID)
		}
	}
	d, err := xmltree.Parse([]byte(inv(`<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine><cac:InvoiceLine><cbc:ID>2</cbc:ID></cac:InvoiceLine><cac:InvoiceLine><cbc:ID>3</cbc:ID></cac:InvoiceLine>`)), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var internals []string
	for _, f := range check(d, rules) {
		got[f.ID]++
		if f.ID == rule.RuleInternal {
			internals = append(internals, f.Message)
		}
	}
	want := map[string]int{"T-ROOT": 1, "T-BOOM": 1, "T-LINE": 3, "T-LAST": 1, rule.RuleInternal: 2}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if len(internals) == 2 && (!strings.Contains(internals[0], "T-BOOM") || !strings.Contains(internals[1], "T-CTX")) {
		t.Errorf("internal findings name the wrong rules: %q", internals)
	}
}

// A path compiled while a check runs (a name the pack did not know when
// the check began) is still found, not a failure inside ehf.
func TestNameMadeDuringCheck(t *testing.T) {
	ds := []def{
		{"T-LATE", fatal, "late", "sen", atRoot, func(e *ev, n node) bool {
			return e.has(n, p("cac:NameMadeDuringCheck/cbc:AlsoMadeDuringCheck")) && len(e.everywhere(p("cbc:AlsoMadeDuringCheck")[0])) == 1
		}},
	}
	d, err := xmltree.Parse([]byte(inv(`<cac:NameMadeDuringCheck><cbc:AlsoMadeDuringCheck>1</cbc:AlsoMadeDuringCheck></cac:NameMadeDuringCheck>`)), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range check(d, build(ds, nil)) {
		t.Errorf("%s: %s", f.ID, f.Message)
	}
}
