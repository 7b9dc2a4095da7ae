package xpath

import (
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestPatternExact checks which targets are told by name and parent
// alone, and that for those the name and parent give Match's answer on
// every element.
func TestPatternExact(t *testing.T) {
	const doc = `<r><a><b/><c><b/></c></a><b><a/></b><c x="1"/></r>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		src   string
		exact bool
	}{
		{"b", true},
		{"a/b", true},
		{"b | c/b", true},
		{"/r", true},
		{"a/b | c/b", true},
		{"b[1]", false},
		{"a//b", false},
		{"//b", false},
		{"/r/a", false},
		{"r/a/b", false},
		{"c[@x]", false},
		{"(a/b)[1]", false},
	}
	c := NewCompiler()
	s := c.NewScope(nil)
	x := c.NewContext(d)
	for _, tc := range cases {
		p, err := s.CompilePattern(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		all := true
		for _, tg := range p.Targets() {
			all = all && tg.Kind == TargetElement && tg.Exact
		}
		if all != tc.exact {
			t.Errorf("%s: exact %v, want %v", tc.src, all, tc.exact)
		}
		if !all {
			continue
		}
		for n := d.Root(); n < d.End(d.Root()); n++ {
			if d.Kind(n) != xmltree.ElementNode {
				continue
			}
			told := false
			par := d.Parent(n)
			for _, tg := range p.Targets() {
				if d.Name(n) != tg.Name {
					continue
				}
				switch {
				case tg.AnyParent:
					told = true
				case tg.DocumentParent:
					told = told || par == 0
				default:
					told = told || par > 0 && d.Name(par) == tg.ParentName
				}
			}
			ok, err := x.Match(p, n)
			if err != nil || ok != told {
				t.Errorf("%s on <%s> (node %d): Match %v %v, told by name and parent %v", tc.src, d.Local(n), n, ok, err, told)
			}
		}
	}
}
