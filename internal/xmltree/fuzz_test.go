package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	seeds := []string{
		"<a/>",
		"<?xml version='1.0' encoding='ISO-8859-1'?><a x='1'>t&amp;<![CDATA[c]]><!--c--><b/></a>",
		"<p:a xmlns:p='u' xmlns='d'><b p:x='&#x41;'>\r\n</b>  <c> </c></p:a>",
		"<a><b></a>",
		"<!DOCTYPE a><a/>",
		"\xef\xbb\xbf<a>ø</a>",
		"<a>" + strings.Repeat("QUJD", 40) + "&amp;]é\r\n" + strings.Repeat("QUJD", 40) + "</a>",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data, &Options{MaxDepth: 64})
		// Read with the closer estimate of large documents (which also
		// tells textLong where the longest text ends), the tree and the
		// error are the same.
		dd, derr := parseWith(data, &Options{MaxDepth: 64}, true)
		if (err == nil) != (derr == nil) || (err != nil && err.Error() != derr.Error()) {
			t.Fatalf("read as a small document: %v; as a large one: %v", err, derr)
		}
		if err == nil && describeTree(d) != describeTree(dd) {
			t.Fatalf("read as a large document, the tree differs:\n%s", firstDiff(describeTree(dd), describeTree(d)))
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Col < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		checkInvariants(t, d)
		// What we accept, encoding/xml reads to the same tree, its
		// elements ending where it finds them ending.
		if g, err := genericTree(data); err == nil {
			if got, want := describeTree(d), describeGeneric(g); got != want {
				t.Fatalf("tree differs from encoding/xml:\n%s", firstDiff(got, want))
			}
			if len(d.src) == len(data) && (len(data) == 0 || &d.src[0] == &data[0]) {
				checkEnds(t, d, data) // offsets agree: no BOM, no conversion
			}
		}
	})
}

func checkInvariants(t *testing.T, d *Document) {
	t.Helper()
	if d.Root() == None {
		t.Fatal("accepted a document without a root")
	}
	// The element index lists each element once, under its name, in order.
	elements, listed := 0, 0
	for i := range d.Len() {
		if d.Kind(NodeID(i)) == ElementNode {
			elements++
		}
	}
	for id := range NameID(d.NameCount()) {
		got := d.Elements(id)
		listed += len(got)
		for i, n := range got {
			if d.Kind(n) != ElementNode || d.NameID(n) != id || (i > 0 && got[i-1] >= n) {
				t.Fatalf("Elements(%d)[%d] = node %d", id, i, n)
			}
		}
	}
	if listed != elements || d.ElementCount() != elements {
		t.Fatalf("Elements list %d, ElementCount %d, a scan finds %d elements", listed, d.ElementCount(), elements)
	}
	for i := 1; i < d.Len(); i++ {
		n := NodeID(i)
		p := d.Parent(n)
		if p < 0 || p >= n || d.End(n) > d.End(p) || d.End(n) <= n {
			t.Fatalf("node %d: parent %d, end %d (parent end %d)", n, p, d.End(n), d.End(p))
		}
		if l, c := d.Pos(n); l < 1 || c < 1 {
			t.Fatalf("node %d at %d:%d", n, l, c)
		}
		_ = d.Text(n)
		_ = d.Path(n, nil)
		for _, a := range d.Attrs(n) {
			_ = d.Value(a)
		}
	}
}
