package xpath

import "github.com/ehf-project/ehf/internal/xmltree"

// The Peppol rule against empty elements has the context
// //*[not(*) and not(normalize-space())], tried on every element of every
// document (a 10,000-line invoice has 230,000). Its predicate is answered
// by one look at the element's children instead of two function calls and
// a path.

// emptyLeafE is "not(*) and not(normalize-space())": true for an element
// without element children whose text is all whitespace. Other context
// items (none, an attribute) go to the expression as written.
type emptyLeafE struct{ asWritten evaluator }

func (e *emptyLeafE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	if err != nil {
		return Empty, err
	}
	return Single(boolItem(b)), nil
}

func (e *emptyLeafE) ebv(x *Context, f focus) (bool, error) {
	if f.pos == 0 || f.it.k != KNode {
		return x.ebvOf(e.asWritten, f)
	}
	n := xmltree.NodeID(f.it.n)
	if x.d.Kind(n) != xmltree.ElementNode {
		return x.ebvOf(e.asWritten, f)
	}
	return x.IsEmptyLeaf(n), nil
}

// IsEmptyLeaf reports whether element n has no element children and only
// whitespace text: the value of not(*) and not(normalize-space()) on it.
func (x *Context) IsEmptyLeaf(n xmltree.NodeID) bool {
	d := x.d
	end := d.End(n)
	for c := n + 1; c < end; c = d.End(c) {
		switch d.Kind(c) {
		case xmltree.ElementNode:
			return false
		case xmltree.TextNode:
			s := d.Text(c)
			for i := 0; i < len(s); i++ {
				if !isXMLSpace(s[i]) {
					return false
				}
			}
		}
	}
	return true
}

// isEmptyLeafTest recognises not(*) and not(normalize-space()).
func isEmptyLeafTest(a *aBinary) bool {
	if a.op != opAnd {
		return false
	}
	l, ok := a.l.(*aCall)
	if !ok || l.name != "not" || len(l.args) != 1 || !isChildStar(l.args[0]) {
		return false
	}
	r, ok := a.r.(*aCall)
	if !ok || r.name != "not" || len(r.args) != 1 {
		return false
	}
	ns, ok := r.args[0].(*aCall)
	return ok && ns.name == "normalize-space" && len(ns.args) == 0
}

// isChildStar recognises "*" (child::*, without predicates).
func isChildStar(a ast) bool {
	if p, ok := a.(*aPath); ok {
		if p.root != 0 || len(p.steps) != 1 {
			return false
		}
		a = p.steps[0]
	}
	st, ok := a.(*aStep)
	return ok && !st.desc && st.expr == nil && st.axis == axChild && st.test.kind == testAny && len(st.preds) == 0
}

// EmptyLeafOnly reports whether p matches only elements that
// IsEmptyLeaf accepts: its one alternative ends in a step whose first
// predicate is not(*) and not(normalize-space()). A caller may skip Match
// for the other elements.
func (p *Pattern) EmptyLeafOnly() bool {
	if len(p.alts) != 1 {
		return false
	}
	a := p.alts[0]
	if len(a.steps) == 0 {
		return false
	}
	st := a.steps[len(a.steps)-1]
	if len(st.preds) == 0 {
		return false
	}
	_, ok := st.preds[0].e.(*emptyLeafE)
	return ok
}
