package xmltree

import (
	"bytes"
	"iter"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// NodeID identifies a node within its Document. The document node is 0;
// nodes are numbered in document order.
type NodeID int32

// None is the NodeID of a node that does not exist (the parent of the
// document node, the next sibling of a last child).
const None NodeID = -1

// Kind says what a node is.
type Kind uint8

// Node kinds. Comments and processing instructions are not kept: no
// validation rule looks at them.
const (
	DocumentNode Kind = iota
	ElementNode
	TextNode
)

// NameID identifies an expanded name (namespace URI + local name) within
// one Document.
type NameID int32

// Name is an expanded XML name.
type Name struct {
	Space string // namespace URI, "" for none
	Local string
}

// Attr is one attribute of an element. Namespace declarations are not
// attributes: they are resolved while reading.
type Attr struct {
	Name   NameID
	off, n uint32
	at     uint32 // offset of the name in the input
}

// node is kept small: a 10,000-line invoice has over two hundred
// thousand, and the tree is held for the whole validation. Twenty bytes:
//
//	key     kind in the low two bits; above them an element's NameID, or
//	        the input offset where a text node starts
//	parent
//	end     one past the last node of the subtree
//	a, b    element and document node: the input offset of the '<' and
//	        the index of the first attribute in Document.attrs (an
//	        element's attributes run up to the next element's first);
//	        text node: its span (off, n)
//
// Where an element's end tag ends is found again from the input when
// asked (Source, At): nothing on the hot paths needs it.
type node struct {
	key    uint32
	parent NodeID
	end    NodeID
	a, b   uint32
}

// kindBits masks a node's kind in its key.
const kindBits = 3

func elementKey(name NameID) uint32 { return uint32(name)<<2 | uint32(ElementNode) }
func textKey(at uint32) uint32      { return at<<2 | uint32(TextNode) }

func (nd *node) kind() Kind { return Kind(nd.key & kindBits) }

// name is an element's NameID.
func (nd *node) name() NameID { return NameID(nd.key >> 2) }

// at is the input offset where the node starts.
func (nd *node) at() uint32 {
	if nd.key&kindBits == uint32(TextNode) {
		return nd.key >> 2
	}
	return nd.a
}

// firstAttr is the index of element nd's first attribute in Document.attrs.
func (nd *node) firstAttr() uint32 { return nd.b }

// auxBit marks a span that lies in Document.aux (decoded text) instead of
// the input.
const auxBit = 1 << 31

// Document is a parsed XML document. It is read-only and safe for
// concurrent use.
type Document struct {
	src    []byte // the input as UTF-8; never modified
	aux    []byte // text that needed decoding (entities, CR LF, CDATA merges)
	nodes  []node
	attrs  []Attr
	names  []nameRec // with the prefix each name was first written with
	byName nameTable
	file   string

	lines *lineIndex // shared with subtree views
	elems *elemIndex // a subtree view has its own
	ends  *endIndex  // a subtree view has its own
}

// lazyParts are the parts of a Document built on first use, allocated
// together with one allocation.
type lazyParts struct {
	lines lineIndex
	elems elemIndex
	ends  endIndex
}

// lineIndex holds line starts, found only when a position is first asked
// for: most documents are valid and never need one.
type lineIndex struct {
	once  sync.Once
	start []uint32
}

// File is the name given in Options.File.
func (d *Document) File() string { return d.file }

// Len is the number of nodes, the document node included.
func (d *Document) Len() int { return len(d.nodes) }

// Root is the document element, or None for an empty tree.
func (d *Document) Root() NodeID {
	for c := d.FirstChild(0); c != None; c = d.NextSibling(c) {
		if d.nodes[c].kind() == ElementNode {
			return c
		}
	}
	return None
}

// Kind of node n.
func (d *Document) Kind(n NodeID) Kind { return d.nodes[n].kind() }

// NameID of element n (0 for other kinds). Branch-free: a text node's key
// holds an offset, masked away.
func (d *Document) NameID(n NodeID) NameID {
	k := d.nodes[n].key
	return NameID(k>>2) & -NameID(k&1) // ElementNode is the only odd kind
}

// Name of element n; the zero Name for other kinds.
func (d *Document) Name(n NodeID) Name {
	if d.nodes[n].kind() != ElementNode {
		return Name{}
	}
	return d.NameOf(d.nodes[n].name())
}

// Local is the local name of element n ("" for other kinds).
func (d *Document) Local(n NodeID) string { return d.Name(n).Local }

// NameOf returns the Name for an ID.
func (d *Document) NameOf(id NameID) Name { return Name{d.nameSpace(id), d.nameLocal(id)} }

// Prefix is the prefix that name id was first written with in this document.
func (d *Document) Prefix(id NameID) string {
	r := &d.names[id]
	return d.span(r.local-r.prefixN-1, r.prefixN)
}

// Lookup returns the ID of an expanded name, or -1 when no element or
// attribute in the document has that name. Compiled queries use it to turn
// name tests into integer compares.
func (d *Document) Lookup(space, local string) NameID {
	id, _ := d.byName.find(d, space, local)
	return id
}

// Parent of n, or None for the document node.
func (d *Document) Parent(n NodeID) NodeID { return d.nodes[n].parent }

// End is one past the last node in n's subtree: the descendants of n are
// exactly the nodes n+1 ... End(n)-1.
func (d *Document) End(n NodeID) NodeID { return d.nodes[n].end }

// FirstChild of n, or None.
func (d *Document) FirstChild(n NodeID) NodeID {
	if n+1 < d.nodes[n].end {
		return n + 1
	}
	return None
}

// NextSibling of n, or None.
func (d *Document) NextSibling(n NodeID) NodeID {
	p := d.nodes[n].parent
	if p == None {
		return None
	}
	next := d.nodes[n].end
	if next < d.nodes[p].end {
		return next
	}
	return None
}

// Children of n in document order.
func (d *Document) Children(n NodeID) iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		end := d.nodes[n].end
		for c := n + 1; c < end; c = d.nodes[c].end {
			if !yield(c) {
				return
			}
		}
	}
}

// ChildElements of n with the given name ID, in document order.
func (d *Document) ChildElements(n NodeID, name NameID) iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		end, key := d.nodes[n].end, elementKey(name)
		for c := n + 1; c < end; c = d.nodes[c].end {
			if d.nodes[c].key == key {
				if !yield(c) {
					return
				}
			}
		}
	}
}

// Pos is the line and column where node n starts (for an element, its '<').
// The document node is at 1:1.
func (d *Document) Pos(n NodeID) (line, col int) {
	return d.position(d.nodes[n].at())
}

// AttrPos is the line and column of attribute a's name.
func (d *Document) AttrPos(a Attr) (line, col int) {
	return d.position(a.at)
}

// Offset is the byte offset in the (UTF-8) input where node n starts.
func (d *Document) Offset(n NodeID) int { return int(d.nodes[n].at()) }

// Source is the input text of element n, from its start tag to the end of
// its end tag, as UTF-8 (a document declared ISO-8859-1 was converted).
// Namespace declarations on its ancestors are not part of it.
func (d *Document) Source(n NodeID) []byte {
	nd := &d.nodes[n]
	if nd.kind() != ElementNode {
		return nil
	}
	end := elementEnd(d.src, int(nd.a), nil)
	return d.src[nd.a:end:end]
}

// At finds the innermost element that starts at or before line:col, the
// element a message at that position is about; None when there is none.
func (d *Document) At(line, col int) NodeID {
	d.position(0) // builds the line index
	li := d.lines
	if line < 1 || line > len(li.start) {
		return None
	}
	off := int(li.start[line-1])
	for c := 1; c < col && off < len(d.src) && d.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
	}
	// Nodes are in document order, which is the order of their starts.
	i := sort.Search(len(d.nodes), func(i int) bool { return int(d.nodes[i].at()) > off }) - 1
	ends := d.elementEnds()
	k := -1 // elements up to node i, less one: i's index in ends
	for j := 1; j <= i; j++ {
		if d.nodes[j].kind() == ElementNode {
			k++
		}
	}
	for ; i > 0; i-- {
		if d.nodes[i].kind() != ElementNode {
			continue
		}
		if k < len(ends) && int(ends[k]) > off {
			return NodeID(i)
		}
		k--
	}
	if d.Root() != None {
		return d.Root()
	}
	return None
}

func (d *Document) position(off uint32) (int, int) {
	li := d.lines
	li.once.Do(func() {
		// Counted first: the index is allocated once, at its size.
		li.start = make([]uint32, 1, bytes.Count(d.src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(d.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			li.start = append(li.start, uint32(i))
		}
	})
	l := sort.Search(len(li.start), func(i int) bool { return li.start[i] > off }) - 1
	return l + 1, 1 + utf8.RuneCount(d.src[li.start[l]:off])
}

// Subtree returns element n as a document of its own: the same input,
// names and attributes, with n as the root element. Positions still point
// into the original input, so findings on an SBDH payload or an embedded
// test document give the line in the file. It copies only n's nodes.
func (d *Document) Subtree(n NodeID) *Document {
	end := d.nodes[n].end
	shift := n - 1
	nodes := make([]node, 1, end-n+1)
	nodes[0] = node{key: uint32(DocumentNode), parent: None, end: end - shift, a: d.nodes[n].at()}
	for _, nd := range d.nodes[n:end] {
		nd.end -= shift
		if nd.parent < n {
			nd.parent = 0
		} else {
			nd.parent -= shift
		}
		nodes = append(nodes, nd)
	}
	s := *d
	s.nodes = nodes
	// The last element's attributes run up to the first of the next
	// element after the subtree.
	s.attrs = d.attrs[:d.attrsFrom(end)]
	s.elems, s.ends = new(elemIndex), new(endIndex)
	return &s
}

// Attrs of element n, in the order written.
func (d *Document) Attrs(n NodeID) []Attr {
	nd := &d.nodes[n]
	if nd.kind() != ElementNode {
		return nil
	}
	a, b := nd.firstAttr(), d.attrsFrom(n+1)
	if a == b {
		return nil
	}
	return d.attrs[a:b:b]
}

// attrsFrom is the index in d.attrs of the first attribute of the first
// element from node n on, len(d.attrs) when there is none. Elements are
// seldom more than a text node or two apart.
func (d *Document) attrsFrom(n NodeID) uint32 {
	for ; int(n) < len(d.nodes); n++ {
		if d.nodes[n].kind() == ElementNode {
			return d.nodes[n].firstAttr()
		}
	}
	return uint32(len(d.attrs))
}

// Value of attribute a.
func (d *Document) Value(a Attr) string { return d.span(a.off, a.n) }

// Attr returns the value of n's attribute with the given expanded name.
func (d *Document) Attr(n NodeID, space, local string) (string, bool) {
	id := d.Lookup(space, local)
	if id < 0 {
		return "", false
	}
	for _, a := range d.Attrs(n) {
		if a.Name == id {
			return d.Value(a), true
		}
	}
	return "", false
}

// Text is the string value of node n: a text node's text, or the
// concatenated text of an element's or the document's descendants.
// Whitespace-only text between child elements is not kept by the reader and
// so is not part of a container's string value.
func (d *Document) Text(n NodeID) string {
	nd := &d.nodes[n]
	if nd.kind() == TextNode {
		return d.span(nd.a, nd.b)
	}
	var first NodeID = None
	count := 0
	for i := n + 1; i < nd.end; i++ {
		if d.nodes[i].kind() == TextNode {
			if count == 0 {
				first = i
			}
			count++
		}
	}
	switch count {
	case 0:
		return ""
	case 1:
		return d.span(d.nodes[first].a, d.nodes[first].b)
	}
	var b strings.Builder
	for i := first; i < nd.end; i++ {
		if d.nodes[i].kind() == TextNode {
			b.WriteString(d.span(d.nodes[i].a, d.nodes[i].b))
		}
	}
	return b.String()
}

// span returns text without copying: the input is never modified after
// Parse, so a string header over it is safe.
func (d *Document) span(off, n uint32) string {
	if n == 0 {
		return ""
	}
	buf := d.src
	if off&auxBit != 0 {
		buf = d.aux
		off &^= auxBit
	}
	return unsafe.String(&buf[off], int(n))
}

// Path is an XPath locating node n, such as
// /Invoice/cac:InvoiceLine[3]/cbc:LineExtensionAmount. A position is given
// where the parent has more than one child of that name. prefix chooses how
// a namespace is written; nil means the prefixes the document used.
func (d *Document) Path(n NodeID, prefix func(space, written string) string) string {
	var steps []NodeID
	for c := n; c > 0; c = d.nodes[c].parent {
		steps = append(steps, c)
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		c := steps[i]
		nd := &d.nodes[c]
		b.WriteByte('/')
		if nd.kind() == TextNode {
			b.WriteString("text()")
			continue
		}
		name := nd.name()
		p := d.Prefix(name)
		if prefix != nil {
			p = prefix(d.nameSpace(name), p)
		}
		if p != "" {
			b.WriteString(p)
			b.WriteByte(':')
		}
		b.WriteString(d.nameLocal(name))
		pos, total := 0, 0
		for s := range d.ChildElements(nd.parent, name) {
			total++
			if s == c {
				pos = total
			}
		}
		if total > 1 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(pos))
			b.WriteByte(']')
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
