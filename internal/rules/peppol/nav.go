package peppol

import (
	"strings"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Node is a node of the document tree.
type Node = xmltree.NodeID

const none = xmltree.None

// tree walks the document the way the official rules' paths do. Steps are
// written "cac:Name" or "cbc:Name".
type tree struct{ d *xmltree.Document }

func split(step string) (ns, local string) {
	switch {
	case strings.HasPrefix(step, "cbc:"):
		return invoice.NSCBC, step[4:]
	case strings.HasPrefix(step, "cac:"):
		return invoice.NSCAC, step[4:]
	}
	return "", step
}

// kids are n's child elements named step.
func (t tree) kids(n Node, step string) []Node {
	if n == none {
		return nil
	}
	id := t.d.Lookup(split(step))
	if id < 0 {
		return nil
	}
	var out []Node
	for c := range t.d.ChildElements(n, id) {
		out = append(out, c)
	}
	return out
}

// kid is n's first child element named step, or none.
func (t tree) kid(n Node, step string) Node {
	if n == none {
		return none
	}
	id := t.d.Lookup(split(step))
	if id < 0 {
		return none
	}
	for c := range t.d.ChildElements(n, id) {
		return c
	}
	return none
}

// all is the node set n/step1/step2/... in document order.
func (t tree) all(n Node, steps ...string) []Node {
	if n == none {
		return nil
	}
	cur := []Node{n}
	for _, s := range steps {
		var next []Node
		for _, c := range cur {
			next = append(next, t.kids(c, s)...)
		}
		if len(next) == 0 {
			return nil
		}
		cur = next
	}
	return cur
}

// first is the first node of n/step1/step2/..., or none.
func (t tree) first(n Node, steps ...string) Node {
	switch len(steps) {
	case 0:
		return n
	case 1:
		return t.kid(n, steps[0])
	}
	if ns := t.all(n, steps...); len(ns) > 0 {
		return ns[0]
	}
	return none
}

// has reports whether n/step1/... is not empty.
func (t tree) has(n Node, steps ...string) bool { return t.first(n, steps...) != none }

// text is the string value of n ("" for none).
func (t tree) text(n Node) string {
	if n == none {
		return ""
	}
	return t.d.Text(n)
}

// val is the string value of the first node of n/steps ("" when absent):
// what a function taking one string makes of the path.
func (t tree) val(n Node, steps ...string) string { return t.text(t.first(n, steps...)) }

// texts are the string values of n/steps.
func (t tree) texts(n Node, steps ...string) []string {
	ns := t.all(n, steps...)
	out := make([]string, len(ns))
	for i, c := range ns {
		out[i] = t.d.Text(c)
	}
	return out
}

// anyIs is the general comparison n/steps = v: some value equals v.
func (t tree) anyIs(n Node, v string, steps ...string) bool {
	for _, c := range t.all(n, steps...) {
		if t.d.Text(c) == v {
			return true
		}
	}
	return false
}

// attr is n's attribute without namespace; ok is false when absent.
func (t tree) attr(n Node, name string) (string, bool) {
	if n == none {
		return "", false
	}
	return t.d.Attr(n, "", name)
}

// is reports whether element n has the name step.
func (t tree) is(n Node, step string) bool {
	ns, local := split(step)
	name := t.d.Name(n)
	return name.Local == local && name.Space == ns
}

// parentIs reports whether n's parent is named step.
func (t tree) parentIs(n Node, step string) bool {
	p := t.d.Parent(n)
	return p > 0 && t.d.Kind(p) == xmltree.ElementNode && t.is(p, step)
}

// each calls f for every element in the document named one of steps, in
// document order.
func (t tree) each(f func(n Node), steps ...string) {
	var ids [16]xmltree.NameID
	k := 0
	for _, s := range steps {
		if id := t.d.Lookup(split(s)); id >= 0 && k < len(ids) {
			ids[k] = id
			k++
		}
	}
	if k == 0 {
		return
	}
	for i := 1; i < t.d.Len(); i++ {
		n := Node(i)
		if t.d.Kind(n) != xmltree.ElementNode {
			continue
		}
		name := t.d.NameID(n)
		for _, id := range ids[:k] {
			if id == name {
				f(n)
				break
			}
		}
	}
}
