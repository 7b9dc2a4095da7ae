package xpath

import "strings"

// ifCastE is "if (p) then xs:decimal(p) else e" for a path p of child
// name steps (the Peppol line rules' lets): on an element, p is
// evaluated once, for the test and for the cast.
type ifCastE struct {
	asWritten *ifE
	cast      *castE // its operand is p
	p         *pathE
}

// ifCast returns the ifCastE for a compiled if (a: the syntax tree), or
// nil.
func (s *Scope) ifCast(a *aIf, cond, then, els evaluator) *ifCastE {
	cp, ok := cond.(*pathE)
	if !ok || cp.kids == nil || cp.kidAttr >= 0 {
		return nil
	}
	ce, ok := then.(*castE)
	if !ok {
		return nil
	}
	p, ok := ce.x.(*pathE)
	if !ok || p.kids == nil || p.kidAttr >= 0 {
		return nil
	}
	call, ok := a.then.(*aCall)
	if !ok || len(call.args) != 1 {
		return nil
	}
	var x, y strings.Builder
	if !s.canon(a.cond, nil, &x) || !s.canon(call.args[0], nil, &y) || x.String() != y.String() {
		return nil
	}
	return &ifCastE{asWritten: &ifE{cond: cond, then: then, els: els}, cast: ce, p: p}
}

func (e *ifCastE) eval(x *Context, f focus) (Seq, error) {
	if f.pos == 0 || f.it.k != KNode {
		return e.asWritten.eval(x, f)
	}
	// Child elements of a node: the test is whether there are any, and
	// nothing can fail before the cast.
	s, err := e.p.eval(x, f)
	if err != nil {
		return Empty, err
	}
	switch s.n {
	case 0:
		return e.asWritten.els.eval(x, f)
	case 1:
		r, err := cast(x.atomize(s.one), e.cast.k)
		if err != nil {
			return Empty, err
		}
		return Single(r), nil
	}
	return Empty, dynErr("XPTY0004", "%s must be a single value, not a sequence of %d", desc{format: "the value cast to %s", name: e.cast.tn}, s.n)
}
