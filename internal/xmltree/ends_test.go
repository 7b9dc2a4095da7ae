package xmltree

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
	"unicode/utf8"
)

// genericEnds is where encoding/xml finds each element's end tag ending,
// by the element's place in document order; nil when it cannot read data.
func genericEnds(data []byte) []int {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var ends, stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return ends
		}
		if err != nil {
			return nil
		}
		switch tok.(type) {
		case xml.StartElement:
			stack = append(stack, len(ends))
			ends = append(ends, -1)
		case xml.EndElement:
			ends[stack[len(stack)-1]] = int(dec.InputOffset())
			stack = stack[:len(stack)-1]
		}
	}
}

// checkEnds compares Source of every element, and At at every offset, with
// where encoding/xml finds the elements' end tags ending. data must be
// UTF-8 without a byte order mark, so that offsets agree.
func checkEnds(t *testing.T, d *Document, data []byte) {
	t.Helper()
	want := genericEnds(data)
	if want == nil {
		return
	}
	var elems []NodeID
	for i := range d.Len() {
		if d.Kind(NodeID(i)) == ElementNode {
			elems = append(elems, NodeID(i))
		}
	}
	if len(elems) != len(want) {
		t.Fatalf("%d elements, encoding/xml finds %d", len(elems), len(want))
	}
	for k, n := range elems {
		src := d.Source(n)
		if start := d.Offset(n); start+len(src) != want[k] || !bytes.Equal(src, data[start:want[k]]) {
			t.Fatalf("Source(%s) = %q, want %q", d.Path(n, nil), src, data[start:want[k]])
		}
	}
	// At a position, the innermost element around it, else the root:
	// tried at the edges of every element.
	for k, n := range elems {
		for _, off := range []int{d.Offset(n) - 1, d.Offset(n), d.Offset(n) + 1, want[k] - 1, want[k]} {
			if off < 0 || off >= len(data) || !utf8.RuneStart(data[off]) {
				continue
			}
			expect := d.Root()
			for k, n := range elems {
				if d.Offset(n) <= off && off < want[k] {
					expect = n // later ones are inside earlier ones
				}
			}
			line, col := lineCol(data, off)
			if got := d.At(line, col); got != expect {
				t.Fatalf("At(%d, %d) (offset %d) = %s, want %s", line, col, off, d.Path(got, nil), d.Path(expect, nil))
			}
		}
	}
}

// Where elements end is found again from the input: comments, CDATA
// sections, processing instructions and attribute values may hold what
// looks like tags, and end tags may have space before their '>'.
func TestElementEnds(t *testing.T) {
	for _, doc := range []string{
		"<a/>",
		"<a></a >",
		"<r><a x='/>'><b y=\"a>\"/></a><c/></r>",
		"<?xml version='1.0'?>\n<!-- <b> -->\n<a x='>' y=\"/>\"><b/><c z='a/'>t<![CDATA[</c><d/>]]></c><?pi </a> ?><e\n/><!-- </a> --></a>\n<!-- after -->",
		"<r xmlns:p='u'>\n  <p:a p:q='1'>é<b>x</b>y</p:a>\n  <c/><c></c>\r\n</r>",
	} {
		d, err := Parse([]byte(doc), nil)
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		checkEnds(t, d, []byte(doc))
	}
}

// Attributes run from an element's first to the next element's first: the
// last element of a subtree must not take those of the element after it.
func TestSubtreeAttrs(t *testing.T) {
	d, err := Parse([]byte("<r><s a='1'><t b='2'/>x</s><u c='3'/><s><t/></s><v d='4'/></r>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for n := range d.Children(d.Root()) {
		s := d.Subtree(n)
		checkInvariants(t, s)
		for i := 1; i < s.Len(); i++ {
			c := NodeID(i)
			got, want := s.Attrs(c), d.Attrs(c+n-1)
			if len(got) != len(want) || (len(got) > 0 && s.Value(got[0]) != d.Value(want[0])) {
				t.Errorf("subtree of %s: %s has attributes %v, %v in the document", d.Path(n, nil), s.Path(c, nil), got, want)
			}
		}
	}
	second := d.Elements(d.Lookup("", "s"))[1]
	if got := d.Subtree(second).Attrs(2); len(got) != 0 {
		t.Errorf("the second s's t has attributes %v", got)
	}
}
