package xpath

import (
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestEmptyLeaf compares the empty element test with the same test
// written so that it is evaluated step by step, on elements with
// whitespace, comments, mixed content, a no-break space and CDATA.
func TestEmptyLeaf(t *testing.T) {
	const doc = `<r><a/><b>  </b><c>&#9;&#10;</c><d><!-- note --></d><e>x</e><f> <g/> </f><h>&#160;</h>` +
		`<i><![CDATA[ ]]></i><j><![CDATA[y]]></j><k>  <!-- c -->  </k><l> a <!-- c --> </l><m at=""/><n>0</n></r>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCompiler()
	s := c.NewScope(nil)
	fast, err := s.CompileStandalone("//*[not(*) and not(normalize-space())]/local-name()")
	if err != nil {
		t.Fatal(err)
	}
	slow, err := s.CompileStandalone("//*[not(*) and not(normalize-space(.))]/local-name()")
	if err != nil {
		t.Fatal(err)
	}
	if e, err := s.CompileStandalone("not(*) and not(normalize-space())"); err != nil {
		t.Fatal(err)
	} else if _, ok := e.e.(*emptyLeafE); !ok {
		t.Errorf("the test is compiled as %T", e.e)
	}
	x := c.NewContext(d)
	a, err := x.Eval(fast, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := x.Eval(slow, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, want := format(x, a), format(x, b)
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	const expected = "string:a | string:b | string:c | string:d | string:g | string:i | string:k | string:m"
	if got != expected {
		t.Errorf("got  %s\nwant %s", got, expected)
	}
}

// A pattern that EmptyLeafOnly accepts matches no element that
// IsEmptyLeaf rejects.
func TestEmptyLeafOnly(t *testing.T) {
	const doc = `<r><a/><b>  </b><e>x</e><f> <g/> </f><m at=""/><n>0</n></r>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCompiler()
	s := c.NewScope(nil)
	for _, tc := range []struct {
		pat  string
		only bool
	}{
		{"//*[not(*) and not(normalize-space())]", true},
		{"*[not(*) and not(normalize-space())]", true},
		{"r/*[not(*) and not(normalize-space())][1]", true},
		{"//*[not(*) and not(normalize-space())] | e", false},
		{"//*[not(*)]", false},
		{"//*[normalize-space()][not(*) and not(normalize-space())]", false},
		{"//*", false},
	} {
		p, err := s.CompilePattern(tc.pat)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.EmptyLeafOnly(); got != tc.only {
			t.Errorf("%s: EmptyLeafOnly %v, want %v", tc.pat, got, tc.only)
		}
		if !tc.only {
			continue
		}
		x := c.NewContext(d)
		leaves := 0
		for n := xmltree.NodeID(1); n < xmltree.NodeID(d.Len()); n++ {
			if d.Kind(n) != xmltree.ElementNode {
				continue
			}
			ok, err := x.Match(p, n)
			if err != nil {
				t.Fatal(err)
			}
			if x.IsEmptyLeaf(n) {
				leaves++
			} else if ok {
				t.Errorf("%s matches %s, which is not an empty leaf", tc.pat, d.Local(n))
			}
		}
		if leaves != 4 {
			t.Errorf("%d empty leaves, want 4 (a, b, g, m)", leaves)
		}
	}
}
