package peppol

import (
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Node is a node of the document tree.
type Node = xmltree.NodeID

const none = xmltree.None

// tree walks the document the way the official rules' paths do. Steps are
// written cacName or cbcName.
type tree struct {
	d  *xmltree.Document
	ix *index // the document's index (in its vars)
}

// index is what the rules look up once per document: the NameIDs of their
// steps, the root's children and the empty elements (R008). It lives in
// the document's vars, and its buffers are reused with them.
type index struct {
	d         *xmltree.Document
	empty     []Node // see emptyLeaves
	emptyDone bool
	// the root's children by NameID (see indexRoot): the root of a large
	// invoice has thousands of children, and scanning them again for each
	// rule costs a cache miss per line
	root    Node
	rkStart []int32 // by NameID: where its children start in rkAll; one more at the end
	rkAll   []Node
	ids     [numSteps]xmltree.NameID // by step: its NameID; unresolved until first use
	attrs   [numAttrs]xmltree.NameID // the same for attribute names
	// slab holds the node lists that all, kids and texts return, one
	// after the other, and strs the strings: one allocation now and then
	// instead of one per list
	slab []Node
	strs []string
}

// unresolved marks a step whose NameID is not looked up yet.
const unresolved = xmltree.NameID(-2)

// id is the NameID of a step in the document, -1 when no element has
// that name.
func (t tree) id(s step) xmltree.NameID {
	id := t.ix.ids[s]
	if id == unresolved {
		id = t.d.LookupKey(stepKeys[s])
		t.ix.ids[s] = id
	}
	return id
}

// stepKeys are the steps as look-up keys, hashed once.
var stepKeys = func() (out [numSteps]xmltree.NameKey) {
	for i, s := range stepNames {
		out[i] = xmltree.NewNameKey(split(s))
	}
	return out
}()

// init readies the index for document d, keeping its buffers.
func (x *index) init(d *xmltree.Document) {
	x.d = d
	for i := range x.ids {
		x.ids[i] = unresolved
	}
	for i := range x.attrs {
		x.attrs[i] = unresolved
	}
	x.empty, x.emptyDone = x.empty[:0], false
	x.slab, x.strs = x.slab[:0], x.strs[:0]
	x.rkStart, x.rkAll = x.rkStart[:0], x.rkAll[:0]
	x.root = d.Root()
	if x.root != none {
		x.indexRoot()
	}
}

// indexRoot sorts the root's child elements by NameID (a counting sort,
// each name's children in document order) into rkStart and rkAll.
func (x *index) indexRoot() {
	d, root := x.d, x.root
	top, total := xmltree.NameID(-1), 0
	for c := root + 1; c < d.End(root); c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			top = max(top, d.NameID(c))
			total++
		}
	}
	// counts sit two slots ahead of their name so that after placing,
	// rkStart[id] is where id begins
	start := slices.Grow(x.rkStart[:0], int(top)+3)[:top+3]
	clear(start)
	all := slices.Grow(x.rkAll[:0], total)[:total]
	for c := root + 1; c < d.End(root); c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			start[d.NameID(c)+2]++
		}
	}
	for k := 2; k < len(start); k++ {
		start[k] += start[k-1]
	}
	for c := root + 1; c < d.End(root); c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			id := d.NameID(c)
			all[start[id+1]] = c
			start[id+1]++
		}
	}
	x.rkStart, x.rkAll = start[:top+2], all
}

// rootNamed are the root's children with NameID id, nil when none. The
// slice is shared: do not write into it.
func (x *index) rootNamed(id xmltree.NameID) []Node {
	if id < 0 || int(id)+1 >= len(x.rkStart) {
		return nil
	}
	a, b := x.rkStart[id], x.rkStart[id+1]
	if a == b {
		return nil
	}
	return x.rkAll[a:b:b]
}

// nodes starts a list in the slab: append to the returned slice, then
// give it to keep.
func (x *index) nodes() []Node {
	if cap(x.slab)-len(x.slab) < 16 {
		// a new block; the lists in the old one stay where they are
		x.slab = make([]Node, 0, max(256, 2*cap(x.slab)))
	}
	return x.slab[len(x.slab):]
}

// keep ends a list started with nodes: it stays in the slab, and the
// slice returned has no room beyond its end, so that appending to it
// copies instead of overwriting the next list. An empty list is nil.
func (x *index) keep(l []Node) []Node {
	if len(l) == 0 {
		return nil
	}
	if cap(x.slab) > len(x.slab) && &l[0] == &x.slab[:len(x.slab)+1][len(x.slab)] {
		x.slab = x.slab[:len(x.slab)+len(l)]
	}
	return l[:len(l):len(l)]
}

// emptyLeaves are the elements without child elements whose text is
// whitespace or nothing (R008), found on first use.
func (x *index) emptyLeaves() []Node {
	if x.emptyDone {
		return x.empty
	}
	d := x.d
	for i := 1; i < d.Len(); i++ {
		n := Node(i)
		if d.Kind(n) != xmltree.ElementNode {
			continue
		}
		end := d.End(n)
		switch {
		case end == n+1:
			// no children at all
			x.empty = append(x.empty, n)
		case end == n+2:
			// one child: a leaf when it is text, empty when that is
			// whitespace
			if d.Kind(n+1) == xmltree.TextNode && trim(d.Text(n+1)) == "" {
				x.empty = append(x.empty, n)
			}
		case d.Kind(n+1) == xmltree.ElementNode:
			// the first child is an element: no leaf
		default:
			// an element is a leaf when it has no child element
			leaf := true
			for c := n + 1; c < end; c = d.End(c) {
				if d.Kind(c) == xmltree.ElementNode {
					leaf = false
					break
				}
			}
			if leaf && trim(d.Text(n)) == "" {
				x.empty = append(x.empty, n)
			}
		}
	}
	x.emptyDone = true
	return x.empty
}

// rootKids are the root's children with NameID id, when n is the root and
// the index has them.
func (t tree) rootKids(n Node, id xmltree.NameID) ([]Node, bool) {
	if n != t.ix.root {
		return nil, false
	}
	return t.ix.rootNamed(id), true
}

func split(step string) (ns, local string) {
	switch {
	case strings.HasPrefix(step, "cbc:"):
		return invoice.NSCBC, step[4:]
	case strings.HasPrefix(step, "cac:"):
		return invoice.NSCAC, step[4:]
	}
	return "", step
}

// kids are n's child elements named step. The slice may be shared: do
// not write into it.
func (t tree) kids(n Node, step step) []Node {
	if n == none {
		return nil
	}
	id := t.id(step)
	if id < 0 {
		return nil
	}
	if ks, ok := t.rootKids(n, id); ok {
		return ks
	}
	out := t.ix.nodes()
	for c := t.d.FirstChild(n); c != none; c = t.d.NextSibling(c) {
		if t.d.Kind(c) == xmltree.ElementNode && t.d.NameID(c) == id {
			out = append(out, c)
		}
	}
	return t.ix.keep(out)
}

// kid is n's first child element named step, or none.
func (t tree) kid(n Node, step step) Node {
	if n == none {
		return none
	}
	id := t.id(step)
	if id < 0 {
		return none
	}
	if ks, ok := t.rootKids(n, id); ok {
		if len(ks) == 0 {
			return none
		}
		return ks[0]
	}
	for c := t.d.FirstChild(n); c != none; c = t.d.NextSibling(c) {
		if t.d.Kind(c) == xmltree.ElementNode && t.d.NameID(c) == id {
			return c
		}
	}
	return none
}

// all is the node set n/step1/step2/... in document order.
func (t tree) all(n Node, steps ...step) []Node {
	if n == none {
		return nil
	}
	if len(steps) == 0 {
		return t.ix.keep(append(t.ix.nodes(), n))
	}
	// Depth first gives document order too, for child steps, and gathers
	// into one slice.
	return t.ix.keep(t.appendAll(t.ix.nodes(), n, steps))
}

// appendAll appends the nodes of n/steps... to out.
func (t tree) appendAll(out []Node, n Node, steps []step) []Node {
	id := t.id(steps[0])
	if id < 0 {
		return out
	}
	if ks, ok := t.rootKids(n, id); ok {
		if len(steps) == 1 {
			return append(out, ks...)
		}
		for _, c := range ks {
			out = t.appendAll(out, c, steps[1:])
		}
		return out
	}
	for c := t.d.FirstChild(n); c != none; c = t.d.NextSibling(c) {
		if t.d.Kind(c) != xmltree.ElementNode || t.d.NameID(c) != id {
			continue
		}
		if len(steps) == 1 {
			out = append(out, c)
		} else {
			out = t.appendAll(out, c, steps[1:])
		}
	}
	return out
}

// first is the first node of n/step1/step2/..., or none, in document
// order: found depth first, stopping at the first match.
func (t tree) first(n Node, steps ...step) Node {
	if n == none {
		return none
	}
	if len(steps) == 0 {
		return n
	}
	id := t.id(steps[0])
	if id < 0 {
		return none
	}
	if ks, ok := t.rootKids(n, id); ok {
		for _, c := range ks {
			if len(steps) == 1 {
				return c
			}
			if m := t.first(c, steps[1:]...); m != none {
				return m
			}
		}
		return none
	}
	for c := t.d.FirstChild(n); c != none; c = t.d.NextSibling(c) {
		if t.d.Kind(c) != xmltree.ElementNode || t.d.NameID(c) != id {
			continue
		}
		if len(steps) == 1 {
			return c
		}
		if m := t.first(c, steps[1:]...); m != none {
			return m
		}
	}
	return none
}

// has reports whether n/step1/... is not empty.
func (t tree) has(n Node, steps ...step) bool { return t.first(n, steps...) != none }

// text is the string value of n ("" for none).
func (t tree) text(n Node) string {
	if n == none {
		return ""
	}
	return t.d.Text(n)
}

// val is the string value of the first node of n/steps ("" when absent):
// what a function taking one string makes of the path.
func (t tree) val(n Node, steps ...step) string { return t.text(t.first(n, steps...)) }

// texts are the string values of n/steps.
func (t tree) texts(n Node, steps ...step) []string {
	ns := t.all(n, steps...)
	x := t.ix
	if cap(x.strs)-len(x.strs) < len(ns) {
		x.strs = make([]string, 0, max(64, 2*cap(x.strs), len(ns)))
	}
	out := x.strs[len(x.strs) : len(x.strs)+len(ns) : len(x.strs)+len(ns)]
	x.strs = x.strs[:len(x.strs)+len(ns)]
	for i, c := range ns {
		out[i] = t.d.Text(c)
	}
	return out
}

// anyIs is the general comparison n/steps = v: some value equals v.
func (t tree) anyIs(n Node, v string, steps ...step) bool {
	for _, c := range t.all(n, steps...) {
		if t.d.Text(c) == v {
			return true
		}
	}
	return false
}

// attr is n's attribute without namespace; ok is false when absent.
func (t tree) attr(n Node, name attrName) (string, bool) {
	if n == none {
		return "", false
	}
	id := t.ix.attrs[name]
	if id == unresolved {
		id = t.d.Lookup("", attrNames[name])
		t.ix.attrs[name] = id
	}
	if id < 0 {
		return "", false
	}
	for _, a := range t.d.Attrs(n) {
		if a.Name == id {
			return t.d.Value(a), true
		}
	}
	return "", false
}

// is reports whether element n has the name step.
func (t tree) is(n Node, step step) bool {
	return t.d.Kind(n) == xmltree.ElementNode && t.d.NameID(n) == t.id(step)
}

// parentIs reports whether n's parent is named step.
func (t tree) parentIs(n Node, step step) bool {
	p := t.d.Parent(n)
	return p > 0 && t.d.Kind(p) == xmltree.ElementNode && t.is(p, step)
}

// each calls f for every element in the document named one of steps (in
// document order for each name).
func (t tree) each(f func(n Node), steps ...step) {
	for _, s := range steps {
		for _, n := range t.d.Elements(t.id(s)) {
			f(n)
		}
	}
}
