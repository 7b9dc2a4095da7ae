package xmltree

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
)

// gnode is the generic tree encoding/xml gives: the yardstick for both
// correctness (differential tests) and speed (benchmarks).
type gnode struct {
	name     xml.Name
	attrs    []xml.Attr
	text     []byte
	children []*gnode
}

func genericTree(data []byte) (*gnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		return bytes.NewReader(latin1ToUTF8(b)), err
	}
	root := &gnode{}
	stack := []*gnode{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &gnode{name: tok.Name, attrs: tok.Attr}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top := stack[len(stack)-1]
			top.text = append(top.text, tok...)
		}
	}
}

// describe flattens a tree to one line per element: path, attributes and,
// for leaves, text. Both trees must describe the same way.
func describeGeneric(g *gnode) string {
	var b strings.Builder
	var walk func(n *gnode, path string)
	walk = func(n *gnode, path string) {
		for _, c := range n.children {
			p := path + "/{" + attrSpaces(c.name.Space) + "}" + c.name.Local
			var attrs []string
			for _, a := range c.attrs {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", attrSpaces(a.Name.Space), a.Name.Local, attrSpaces(a.Value)))
			}
			sort.Strings(attrs)
			text := ""
			if len(c.children) == 0 {
				text = fmt.Sprintf("%q", c.text)
			}
			fmt.Fprintf(&b, "%s %v %s\n", p, attrs, text)
			walk(c, p)
		}
	}
	walk(g, "")
	return b.String()
}

func describeTree(d *Document) string {
	var b strings.Builder
	var walk func(n NodeID, path string)
	walk = func(n NodeID, path string) {
		for c := range d.Children(n) {
			if d.Kind(c) != ElementNode {
				continue
			}
			nm := d.Name(c)
			p := path + "/{" + attrSpaces(nm.Space) + "}" + nm.Local
			var attrs []string
			for _, a := range d.Attrs(c) {
				an := d.NameOf(a.Name)
				attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", attrSpaces(an.Space), an.Local, attrSpaces(d.Value(a))))
			}
			sort.Strings(attrs)
			text := ""
			leaf := true
			for k := range d.Children(c) {
				if d.Kind(k) == ElementNode {
					leaf = false
				}
			}
			if leaf {
				text = fmt.Sprintf("%q", d.Text(c))
			}
			fmt.Fprintf(&b, "%s %v %s\n", p, attrs, text)
			walk(c, p)
		}
	}
	walk(0, "")
	return b.String()
}

// attrSpaces maps whitespace in attribute values to spaces on both sides
// of the comparison: XML turns literal tabs and line ends in an attribute
// value into spaces, which encoding/xml does not do. Namespace URIs are
// attribute values too: a literal line end in xmlns:p="..." reads as a
// space (found by fuzzing). (A character
// reference such as &#10; is kept as a line feed by the reader; the
// comparison cannot tell the two apart, and so does not try.)
func attrSpaces(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
