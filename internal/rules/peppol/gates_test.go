package peppol

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// A national group's gate only saves time: on every conformance case and
// official example, the groups run without their gates find exactly what
// the pack finds.
func TestGatesLoseNothing(t *testing.T) {
	var docs []*xmltree.Document
	cases, err := conformance.Load(sharedtest.Path(t, "conformance", "peppol-3.0.19"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range cases {
		docs = append(docs, cs.Doc)
	}
	for _, dir := range [][]string{
		{"examples", "peppol-3.0.19", "examples"},
		{"examples", "peppol-3.0.19", "national-examples"},
		{"examples", "ehf-g3", "docs", "billing-3.0"},
	} {
		for _, f := range sharedtest.XMLFiles(t, sharedtest.Path(t, dir...)) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if d, err := xmltree.Parse(data, nil); err == nil {
				docs = append(docs, d)
			}
		}
	}
	if len(docs) < 500 {
		t.Fatalf("only %d documents", len(docs))
	}
	gated, national := 0, 0
	for _, rel := range []string{Release3019, Release20265} {
		r, rules := build(rel)
		var groupRules [][]rule.Rule
		for _, g := range groups {
			groupRules = append(groupRules, g.rules(r))
		}
		findings := func(c *rule.Context) []string {
			var out []string
			for _, f := range c.Findings() {
				out = append(out, fmt.Sprintf("%s %s %s", f.ID, f.Location, f.Message))
			}
			return out
		}
		for _, d := range docs {
			if d.Root() == xmltree.None {
				continue
			}
			inv, _ := invoice.Read(d, d.Root())
			c := &rule.Context{Doc: d, Inv: inv}
			rule.Run(c, rules)
			want := findings(c)
			c.Close()
			c = &rule.Context{Doc: d, Inv: inv}
			v := r.vars(c)
			for i, g := range groups {
				if g.gate != nil {
					if g.gate(v) {
						national++
					} else {
						gated++
					}
				}
				rule.Run(c, groupRules[i])
			}
			if got := findings(c); !slices.Equal(got, want) {
				t.Errorf("release %s, %s: without gates %q, with %q", rel, d.File(), got, want)
			}
			c.Close()
		}
	}
	if gated == 0 || national < 50 {
		t.Errorf("%d groups skipped, %d national groups run: the documents do not try the gates", gated, national)
	}
}
