package xpath

import (
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestStrMemo evaluates tests that read the focus only through one key on
// elements whose keys repeat, change, go missing and come back, and
// compares every result with the same test run without its memo.
func TestStrMemo(t *testing.T) {
	const doc = `<r><a c="EUR">x</a><a c="EUR">y</a><a c=" EUR ">x</a><a>EUR</a><a c="">EUR</a><a c="NOK"/>` +
		`<a c="EUR"/><b c="EUR"><a c="1.50">1.50</a></b><a c="bad">x y</a><a c="EUR">EUR</a><a/><a c="2">2</a></r>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	memoized := []string{
		"contains(' EUR NOK ', concat(' ', normalize-space(@c), ' '))",
		"(not(contains(normalize-space(@c), ' ')) and contains(' EUR NOK ', concat(' ', normalize-space(@c), ' ')))",
		"exists(@c) and string-length(@c) > 2",
		"not(@c) or @c = 'EUR'",
		"if (normalize-space(.) = 'EUR') then 'yes' else upper-case(string(.))",
		"xs:decimal(@c) * 2 + 1 > 3",
		"string-length() > 1 and normalize-space() != 'x'",
		"number(.) + 1 = 3 or string(.) = 'EUR'",
	}
	plain := []string{
		"name() = 'a' and normalize-space(@c) = 'EUR'",
		"normalize-space(../@c) = 'EUR' and contains('x', 'x')",
		"if (normalize-space(@c) = 'EUR') then . else @c",
		"normalize-space(@c) = 'EUR' and position() = 1",
		"normalize-space(@c) = normalize-space(.) and true()",
		"@c",
	}
	c := NewCompiler()
	s := c.NewScope(map[string]string{"xs": "http://www.w3.org/2001/XMLSchema"})
	var as []xmltree.NodeID
	for n := d.Root(); n < d.End(d.Root()); n++ {
		if d.Kind(n) == xmltree.ElementNode {
			as = append(as, n)
		}
	}
	x := c.NewContext(d)
	for i, src := range append(memoized, plain...) {
		e, err := s.CompileStandalone(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		m, ok := e.e.(*strMemoE)
		if ok != (i < len(memoized)) {
			t.Errorf("%s: compiled as %T", src, e.e)
			continue
		}
		if !ok {
			continue
		}
		slow := &Expr{src: src, e: m.e, own: e.own}
		for _, n := range as {
			got, gerr := x.Eval(e, n)
			want, werr := x.Eval(slow, n)
			if (gerr != nil) != (werr != nil) || format(x, got) != format(x, want) {
				t.Errorf("%s on node %d: got %s %v, want %s %v", src, n, format(x, got), gerr, format(x, want), werr)
			}
			gb, gerr := x.Bool(e, n)
			wb, werr := x.Bool(slow, n)
			if (gerr != nil) != (werr != nil) || gb != wb {
				t.Errorf("%s on node %d: ebv %v %v, want %v %v", src, n, gb, gerr, wb, werr)
			}
		}
	}
}
