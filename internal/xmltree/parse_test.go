package xmltree

import (
	"strings"
	"testing"
)

func TestParseTree(t *testing.T) {
	const src = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
		"<!-- lead -->\n" +
		"<Invoice xmlns=\"urn:inv\" xmlns:cbc=\"urn:cbc\" xmlns:cac=\"urn:cac\">\n" +
		"  <cbc:ID>A&amp;B &#x41;&#66;</cbc:ID>\n" +
		"  <cac:Line><cbc:Amount currencyID=\"NOK\">1.50</cbc:Amount></cac:Line>\n" +
		"  <cac:Line><cbc:Amount currencyID='E&quot;UR'>2</cbc:Amount><cbc:Note>  </cbc:Note></cac:Line>\n" +
		"  <cbc:Text>a<![CDATA[<b>]]>c<!-- x -->d</cbc:Text>\n" +
		"  <cbc:Ø>æøå</cbc:Ø><cbc:Empty/>\n" +
		"</Invoice>\n"
	d, err := Parse([]byte(src), &Options{File: "t.xml"})
	if err != nil {
		t.Fatal(err)
	}
	root := d.Root()
	if got := d.Name(root); got != (Name{"urn:inv", "Invoice"}) {
		t.Fatalf("root = %v", got)
	}
	if l, c := d.Pos(root); l != 3 || c != 1 {
		t.Errorf("root at %d:%d, want 3:1", l, c)
	}
	cbc := func(local string) NameID { return d.Lookup("urn:cbc", local) }
	var got []string
	for n := NodeID(0); int(n) < d.Len(); n++ {
		if d.Kind(n) != ElementNode || d.Name(n).Space != "urn:cbc" {
			continue
		}
		l, c := d.Pos(n)
		s := d.Path(n, nil) + "=" + d.Text(n)
		if v, ok := d.Attr(n, "", "currencyID"); ok {
			s += " @" + v
		}
		got = append(got, s+" "+itoa(l)+":"+itoa(c))
	}
	want := []string{
		"/Invoice/cbc:ID=A&B AB 4:3",
		"/Invoice/cac:Line[1]/cbc:Amount=1.50 @NOK 5:13",
		"/Invoice/cac:Line[2]/cbc:Amount=2 @E\"UR 6:13",
		"/Invoice/cac:Line[2]/cbc:Note=   6:62",
		"/Invoice/cbc:Text=a<b>cd 7:3",
		"/Invoice/cbc:Ø=æøå 8:3",
		"/Invoice/cbc:Empty= 8:21",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.Lookup("urn:cbc", "Missing") != -1 || cbc("ID") < 0 {
		t.Error("Lookup")
	}
	// Whitespace between elements is not a node; the root has 6 element children.
	n := 0
	for c := range d.Children(root) {
		if d.Kind(c) != ElementNode {
			t.Errorf("unexpected %v child at %v", d.Kind(c), d.Path(c, nil))
		}
		n++
	}
	if n != 6 {
		t.Errorf("root has %d children, want 6", n)
	}
	for c := range d.ChildElements(root, d.Lookup("urn:cac", "Line")) {
		if d.Parent(c) != root {
			t.Error("parent")
		}
	}
}

func TestAttributePositionsAndNormalisation(t *testing.T) {
	d, err := Parse([]byte("<a\n  x=\"1\r\n2\tz\"\n  p:y='&lt;' xmlns:p='urn:p'/>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	attrs := d.Attrs(d.Root())
	if len(attrs) != 2 {
		t.Fatalf("%d attributes, want 2 (xmlns is not one)", len(attrs))
	}
	if v := d.Value(attrs[0]); v != "1 2 z" {
		t.Errorf("x = %q", v)
	}
	l0, c0 := d.AttrPos(attrs[0])
	l1, c1 := d.AttrPos(attrs[1])
	if l0 != 2 || c0 != 3 || l1 != 4 || c1 != 3 {
		t.Errorf("positions %d:%d %d:%d", l0, c0, l1, c1)
	}
	if v, _ := d.Attr(d.Root(), "urn:p", "y"); v != "<" {
		t.Errorf("p:y = %q", v)
	}
}

func TestEncodings(t *testing.T) {
	cases := []struct {
		name, text string
		in         []byte
	}{
		{"utf8-bom", "ø", append([]byte{0xEF, 0xBB, 0xBF}, "<a>ø</a>"...)},
		{"latin1", "Bølle", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>B\xF8lle</a>")},
		{"ascii", "x", []byte("<?xml version='1.0' encoding='US-ASCII'?><a>x</a>")},
		{"crlf", "1\n2\n3", []byte("<a>1\r\n2\r3</a>")},
	}
	for _, c := range cases {
		d, err := Parse(c.in, nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := d.Text(d.Root()); got != c.text {
			t.Errorf("%s: text %q, want %q", c.name, got, c.text)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "t.xml:1:1: the document has no root element"},
		{"doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "t.xml:2:1: DOCTYPE declarations are not accepted"},
		{"undefined entity", "<a>\n x &nbsp;</a>", "t.xml:2:4: undefined entity &nbsp;"},
		{"bare ampersand", "<a>Fish & chips</a>", "t.xml:1:9: \"&\" must start an entity reference"},
		{"mismatch", "<a>\n<b></c></a>", "t.xml:2:4: end tag </c> does not match <b> opened at 2:1"},
		{"truncated", "<a><b>text", "t.xml:1:11: the document ends before element <b> (opened at 1:4) is closed"},
		{"truncated tag", "<a><b x='1'", "t.xml:1:4: the document ends inside the start tag of <b>"},
		{"two roots", "<a/><b/>", "t.xml:1:5: a second root element"},
		{"text outside", "<a/>x", "t.xml:1:5: text after the root element"},
		{"undeclared prefix", "<a><p:b/></a>", "t.xml:1:5: namespace prefix \"p\" of <p:b> is not declared"},
		{"duplicate attribute", "<a x='1' x='2'/>", "t.xml:1:10: attribute x appears twice"},
		{"duplicate expanded name", "<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "attribute q:x appears twice"},
		{"lt in attribute", "<a x='<'/>", "t.xml:1:7: \"<\" is not allowed in an attribute value"},
		{"unquoted", "<a x=1/>", "t.xml:1:6: the value of attribute x must be in quotes"},
		{"invalid utf8", "<a>\xff</a>", "t.xml:1:4: invalid UTF-8 byte 0xFF"},
		{"control char", "<a>\x01</a>", "t.xml:1:4: control character 0x01"},
		{"bad char ref", "<a>&#0;</a>", "t.xml:1:4: character reference &#0; is to a character not allowed"},
		{"utf16", "\xff\xfe<\x00a\x00/\x00>\x00", "t.xml:1:1: the document is UTF-16 encoded"},
		{"other encoding", "<?xml version='1.0' encoding='windows-1252'?><a/>", "t.xml:1:1: unsupported encoding \"windows-1252\""},
		{"ascii with high byte", "<?xml version='1.0' encoding='us-ascii'?>\n<a>\xe9</a>", "t.xml:2:4: the document declares US-ASCII"},
		{"late xml decl", "<a><?xml version='1.0'?></a>", "t.xml:1:4: an XML declaration is only allowed at the very start"},
		{"cdata end in text", "<a>]]></a>", "t.xml:1:4: \"]]>\" is not allowed in text"},
		{"double dash comment", "<a><!-- a -- b --></a>", "t.xml:1:11: \"--\" is not allowed inside a comment"},
		{"bad name", "<1a/>", "t.xml:1:2: an element name cannot start with '1'"},
		{"stray end", "</a>", "t.xml:1:1: end tag </a> has no matching start tag"},
		{"columns count characters", "<a>æøå\xff</a>", "t.xml:1:7: invalid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse([]byte(c.in), &Options{File: "t.xml"})
			if err == nil {
				t.Fatalf("parsed (%d nodes), want error %q", d.Len(), c.want)
			}
			if _, ok := err.(*SyntaxError); !ok {
				t.Errorf("error type %T", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestSubtree(t *testing.T) {
	src := "<env xmlns='urn:e'>\n  <h>x</h>\n  <Invoice xmlns='urn:i' xmlns:c='urn:c'>\n    <c:ID>7</c:ID>\n    <c:L/><c:L>b</c:L>\n  </Invoice>\n</env>"
	d, err := Parse([]byte(src), &Options{File: "s.xml"})
	if err != nil {
		t.Fatal(err)
	}
	inv := NodeID(-1)
	for c := range d.Children(d.Root()) {
		if d.Local(c) == "Invoice" {
			inv = c
		}
	}
	s := d.Subtree(inv)
	checkInvariants(t, s)
	r := s.Root()
	if s.Name(r) != (Name{"urn:i", "Invoice"}) || s.Parent(r) != 0 {
		t.Fatalf("root %v parent %d", s.Name(r), s.Parent(r))
	}
	last := NodeID(s.Len() - 1)
	if got := s.Path(last, nil); got != "/Invoice/c:L[2]/text()" {
		t.Errorf("path %q", got)
	}
	if l, c := s.Pos(s.Parent(last)); l != 5 || c != 11 {
		t.Errorf("position %d:%d, want 5:11 (in the original file)", l, c)
	}
	if s.Text(r) != "7b" || s.File() != "s.xml" {
		t.Errorf("text %q file %q", s.Text(r), s.File())
	}
}

func TestSourceAndAt(t *testing.T) {
	src := "<env xmlns='urn:e'>\n  <Invoice xmlns='urn:i'><ID>1</ID><Note a='x'/></Invoice>\n</env>"
	d, err := Parse([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	inv := d.FirstChild(d.Root())
	if got := string(d.Source(inv)); got != "<Invoice xmlns='urn:i'><ID>1</ID><Note a='x'/></Invoice>" {
		t.Errorf("Source = %q", got)
	}
	if got := string(d.Source(d.Root())); got != src {
		t.Errorf("Source(root) = %q", got)
	}
	for _, c := range []struct {
		line, col int
		want      string
	}{{2, 26, "/env/Invoice/ID"}, {2, 29, "/env/Invoice/ID"}, {2, 38, "/env/Invoice/Note"}, {2, 3, "/env/Invoice"}, {2, 1, "/env"}, {3, 1, "/env"}} {
		if got := d.Path(d.At(c.line, c.col), nil); got != c.want {
			t.Errorf("At(%d,%d) = %s, want %s", c.line, c.col, got, c.want)
		}
	}
	if d.At(9, 1) != None {
		t.Error("At past the end")
	}
}

// Line ends are normalised before attribute values are: a lone CR in an
// attribute is one space, a CR LF pair too; a character reference keeps
// its character.
func TestAttributeLineEnds(t *testing.T) {
	for in, want := range map[string]string{"'\r'": " ", "'a\r\nb'": "a b", "'\r\r'": "  ", "'&#10;&#13;'": "\n\r", "'\t'": " "} {
		d, err := Parse([]byte("<a x="+in+"/>"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := d.Attr(d.Root(), "", "x"); got != want {
			t.Errorf("x=%s reads as %q, want %q", in, got, want)
		}
	}
}

func TestIndexChildren(t *testing.T) {
	d, err := Parse([]byte("<r xmlns:p='u'><a/>t<b/><a>x</a><p:a/><b/></r>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	x := d.IndexChildren(d.Root())
	for _, c := range []struct {
		space, local string
		want         int
	}{{"", "a", 2}, {"", "b", 2}, {"u", "a", 1}, {"", "r", 0}, {"", "zz", 0}} {
		got := x.Named(d.Lookup(c.space, c.local))
		if len(got) != c.want {
			t.Errorf("{%s}%s: %d children, want %d", c.space, c.local, len(got), c.want)
		}
		for i, n := range got {
			if d.Parent(n) != d.Root() || d.Local(n) != c.local || (i > 0 && got[i-1] >= n) {
				t.Errorf("{%s}%s: child %d is %s", c.space, c.local, i, d.Path(n, nil))
			}
		}
	}
	if got := x.Named(d.Lookup("", "a")); d.Text(got[1]) != "x" {
		t.Errorf("second a: %q", d.Text(got[1]))
	}
}
