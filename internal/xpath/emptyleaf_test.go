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
