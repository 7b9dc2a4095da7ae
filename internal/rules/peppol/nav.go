package peppol

import (
	"strings"
	"sync"

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
	ix *index // the document's index, when built
}

// index is what the rules look up once per document: the NameIDs of their
// steps, the root's children and the empty elements (R008).
type index struct {
	d         *xmltree.Document
	empty     []Node // see emptyLeaves
	emptyDone bool
	// the root's children by NameID: the root of a large invoice has
	// thousands of children, and scanning them again for each rule costs
	// a cache miss per line
	root     Node
	rootKids *xmltree.ChildIndex
	ids      [numSteps]xmltree.NameID // by step: its NameID; unresolved until first use
	attrs    [numAttrs]xmltree.NameID // the same for attribute names
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

// buildIndex makes the index: the element lists are the document's own
// (xmltree.Document.Elements); the index resolves the rules' names and
// lists the root's children.
func buildIndex(d *xmltree.Document) *index {
	ix := indexes.Get().(*index)
	ix.d = d
	for i := range ix.ids {
		ix.ids[i] = unresolved
	}
	for i := range ix.attrs {
		ix.attrs[i] = unresolved
	}
	ix.root = d.Root()
	if ix.root != none {
		ix.rootKids = d.IndexChildren(ix.root)
	}
	return ix
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
		// an element is a leaf when it has no child element
		leaf := true
		for c := n + 1; c < d.End(n); c = d.End(c) {
			if d.Kind(c) == xmltree.ElementNode {
				leaf = false
				break
			}
		}
		if leaf && trim(d.Text(n)) == "" {
			x.empty = append(x.empty, n)
		}
	}
	x.emptyDone = true
	return x.empty
}

// indexes keeps the indexes of finished checks for the next ones.
var indexes = sync.Pool{New: func() any { return new(index) }}

// release gives the index back for another document.
func (x *index) release() {
	*x = index{empty: x.empty[:0]}
	indexes.Put(x)
}

// byName lists the elements with NameID id (shared: do not write into
// it), and whether id is a name of the document.
func (x *index) byName(id xmltree.NameID) ([]Node, bool) {
	if id < 0 {
		return nil, false
	}
	return x.d.Elements(id), true
}

// rootKids are the root's children with NameID id, when n is the root and
// the index has them.
func (t tree) rootKids(n Node, id xmltree.NameID) ([]Node, bool) {
	if n != t.ix.root || t.ix.rootKids == nil {
		return nil, false
	}
	return t.ix.rootKids.Named(id), true
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
	var out []Node
	for c := t.d.FirstChild(n); c != none; c = t.d.NextSibling(c) {
		if t.d.Kind(c) == xmltree.ElementNode && t.d.NameID(c) == id {
			out = append(out, c)
		}
	}
	return out
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
		return []Node{n}
	}
	// Depth first gives document order too, for child steps, and gathers
	// into one slice.
	return t.appendAll(nil, n, steps)
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
	out := make([]string, len(ns))
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
