package rule

import (
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

func TestRunReportsAndSurvivesPanics(t *testing.T) {
	d, err := xmltree.Parse([]byte("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>\n <x/></Invoice>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	rules := []Rule{
		{ID: "R-1", Flag: report.Fatal, En: "value %s is wrong", Nb: "verdien %s er feil", Check: func(c *Context, r *Rule) { c.Fail(r, c.Doc.Root()+1, "7") }},
		{ID: "R-2", Flag: report.Warning, Check: func(c *Context, r *Rule) { panic("boom") }},
		{ID: "R-3", Flag: report.Warning, En: "w", Nb: "v", Check: func(c *Context, r *Rule) { c.Fail(r, xmltree.None) }},
	}
	c := &Context{Doc: d, RuleSet: "test"}
	Run(c, rules)
	got := c.Findings()
	if len(got) != 3 {
		t.Fatalf("%d findings: %+v", len(got), got)
	}
	if f := got[0]; f.ID != "R-1" || f.Message != "value 7 is wrong" || f.Norsk != "verdien 7 er feil" || f.Line != 2 || f.Column != 2 || f.Location != "/Invoice/x" || f.RuleSet != "test" {
		t.Errorf("finding %+v", f)
	}
	if got[1].ID != RuleInternal || got[1].Flag != report.Fatal {
		t.Errorf("panic finding %+v", got[1])
	}
	if got[2].ID != "R-3" || got[2].Offset != -1 || got[2].Line != 0 {
		t.Errorf("unplaced finding %+v", got[2])
	}
}

func TestMemo(t *testing.T) {
	c := &Context{}
	built := 0
	k := new(Key)
	for range 3 {
		if v := c.Memo(k, func() any { built++; return 42 }).(int); v != 42 {
			t.Fatal(v)
		}
	}
	if built != 1 {
		t.Errorf("built %d times", built)
	}
	if (&Context{}).Memo(k, func() any { return 7 }).(int) != 7 {
		t.Error("memo shared between contexts")
	}
}

// Keys asked in turn each keep their own value, whether asked last or not.
func TestMemoAlternating(t *testing.T) {
	c := &Context{}
	builds := map[string]int{}
	keys := map[string]*Key{"a": new(Key), "b": new(Key), "c": new(Key)}
	for i := range 6 {
		k := []string{"a", "b", "a", "a", "c", "b"}[i]
		v := c.Memo(keys[k], func() any { builds[k]++; return k + "!" }).(string)
		if v != k+"!" {
			t.Fatalf("key %s gave %s", k, v)
		}
	}
	for k, n := range builds {
		if n != 1 {
			t.Errorf("key %s built %d times", k, n)
		}
	}
}

// Panics in a row, first and last: each is reported once, in place, and
// every other rule still runs.
func TestRunPanicsInARow(t *testing.T) {
	var ran []string
	mk := func(id string, boom bool) Rule {
		return Rule{ID: id, Flag: report.Warning, En: "e", Nb: "n", Check: func(c *Context, r *Rule) {
			ran = append(ran, r.ID)
			if boom {
				panic(r.ID)
			}
			c.Fail(r, xmltree.None)
		}}
	}
	rules := []Rule{mk("P-1", true), mk("P-2", true), mk("R-3", false), mk("P-4", true)}
	c := &Context{}
	Run(c, rules)
	if len(ran) != 4 {
		t.Fatalf("ran %v", ran)
	}
	var got []string
	for _, f := range c.Findings() {
		got = append(got, f.ID)
	}
	want := []string{RuleInternal, RuleInternal, "R-3", RuleInternal}
	if len(got) != len(want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("findings %v, want %v", got, want)
		}
	}
	if m := c.Findings()[3].Message; !strings.Contains(m, "P-4") {
		t.Errorf("last panic names the wrong rule: %s", m)
	}
}

type releasable struct{ released int }

func (r *releasable) Release() { r.released++ }

// Close releases what the packs kept, once, and a later Memo builds anew.
func TestClose(t *testing.T) {
	c := &Context{}
	k, plain := new(Key), new(Key)
	v := &releasable{}
	c.Memo(k, func() any { return v })
	c.Memo(plain, func() any { return 42 })
	c.Close()
	c.Close()
	if v.released != 1 {
		t.Errorf("released %d times, want once", v.released)
	}
	built := false
	c.Memo(k, func() any { built = true; return &releasable{} })
	if !built {
		t.Error("Memo after Close gave the released value")
	}
}

// More keys than the Context keeps in place: each keeps its value, and
// Close releases every one.
func TestMemoManyKeys(t *testing.T) {
	c := &Context{}
	var keys [9]Key
	var vals [9]releasable
	for round := range 2 {
		for i := range keys {
			got := c.Memo(&keys[i], func() any {
				if round > 0 {
					t.Errorf("key %d built again", i)
				}
				return &vals[i]
			})
			if got != &vals[i] {
				t.Fatalf("key %d gave another key's value", i)
			}
		}
	}
	c.Close()
	for i := range vals {
		if vals[i].released != 1 {
			t.Errorf("key %d released %d times", i, vals[i].released)
		}
	}
}
