package report

import (
	"encoding/json"
	"testing"
)

func TestJSONContract(t *testing.T) {
	r := &Report{File: "a.xml", Document: "peppol-billing-invoice", RuleSets: []string{"peppol-billing-2026.5"}}
	r.Findings = append(r.Findings,
		Finding{ID: "BR-02", Flag: Warning, Message: "w", Norsk: "v", Location: "/Invoice", Line: 2, Column: 1, Offset: 5},
		Finding{ID: "BR-01", Flag: Fatal, Message: "f", Location: "/Invoice", Line: 1, Column: 1, Offset: 0},
	)
	r.Sort()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"file":"a.xml","valid":false,"document":"peppol-billing-invoice","rulesets":["peppol-billing-2026.5"],"findings":[{"id":"BR-01","flag":"fatal","message":"f","location":"/Invoice","line":1,"column":1},{"id":"BR-02","flag":"warning","message":"w","location":"/Invoice","line":2,"column":1}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if nb := r.JSON("nb").Findings[1].Message; nb != "v" {
		t.Errorf("bokmål message %q", nb)
	}
	empty, _ := json.Marshal(&Report{File: "b.xml"})
	if string(empty) != `{"file":"b.xml","valid":true,"document":"","rulesets":[],"findings":[]}` {
		t.Errorf("empty report %s", empty)
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Flag
		ok   bool
	}{{"fatal", Fatal, true}, {"error", Fatal, true}, {"warning", Warning, true}, {"information", Information, true}, {"x", Fatal, false}} {
		got, ok := ParseFlag(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseFlag(%q) = %v, %v", c.in, got, ok)
		}
	}
}

// Sort orders by offset, then rule ID, then location, and keeps the order
// of findings that tie on all three.
func TestSort(t *testing.T) {
	r := &Report{Findings: []Finding{
		{ID: "B", Offset: 7, Location: "/x", Message: "1"},
		{ID: "A", Offset: 7, Location: "/y", Message: "2"},
		{ID: "B", Offset: 7, Location: "/a", Message: "3"},
		{ID: "B", Offset: 7, Location: "/x", Message: "4"},
		{ID: "Z", Offset: -1, Message: "5"},
		{ID: "A", Offset: 3, Message: "6"},
	}}
	r.Sort()
	got := ""
	for _, f := range r.Findings {
		got += f.Message
	}
	if got != "562314" {
		t.Errorf("order %s, want 562314", got)
	}
	one := &Report{Findings: []Finding{{ID: "A"}}}
	one.Sort()
	if len(one.Findings) != 1 {
		t.Error("a single finding lost")
	}
}
