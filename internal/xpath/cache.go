package xpath

// Many rule tests and context predicates contain parts that do not depend
// on the node being checked: "//cac:AccountingSupplierParty/cac:Party[...]
// = 'SE'", "exists(//cac:InvoiceLine)". Such a part has one value per
// document, so it is computed once per document and remembered.

// cachedE evaluates e once per document.
type cachedE struct {
	id int
	e  evaluator
}

// cacheSlot returns the slot of cached expression id, growing the cache
// for expressions compiled after the context was made.
func (x *Context) cacheSlot(id int) *slot {
	for id >= len(x.cache) {
		x.cache = append(x.cache, slot{})
	}
	return &x.cache[id]
}

func (c *cachedE) eval(x *Context, f focus) (Seq, error) {
	s := x.cacheSlot(c.id)
	if s.state == slotDone {
		return s.val, s.err
	}
	v, err := c.e.eval(x, f)
	s = &x.cache[c.id]
	*s = slot{state: slotDone, val: v, err: err}
	return v, err
}

func (c *cachedE) ebv(x *Context, f focus) (bool, error) {
	s := x.cacheSlot(c.id)
	switch s.state {
	case slotDone:
		return x.ebv(s.val)
	case slotBool:
		return s.b, s.err
	}
	b, err := x.ebvOf(c.e, f)
	s = &x.cache[c.id]
	*s = slot{state: slotBool, b: b, err: err}
	return b, err
}

// deps reports whether a depends on the focus (the context item, position
// or size) or on local variables other than those bound inside it
// (bound).
func (s *Scope) deps(a ast, bound []string) (focus, local bool) {
	or := func(f, l bool) {
		focus = focus || f
		local = local || l
	}
	onlyLocal := func(x ast, b []string) {
		_, l := s.deps(x, b)
		local = local || l
	}
	switch a := a.(type) {
	case *aLiteral:
	case *aContext:
		focus = true
	case *aVar:
		for _, b := range bound {
			if b == a.name {
				return false, false
			}
		}
		b, ok := s.lookup(a.name)
		if !ok || b.global == nil {
			local = true
		}
	case *aSeq:
		for _, x := range a.items {
			or(s.deps(x, bound))
		}
	case *aFor:
		b := bound
		for _, v := range a.vars {
			or(s.deps(v.in, b))
			b = append(b[:len(b):len(b)], v.name)
		}
		or(s.deps(a.body, b))
	case *aIf:
		or(s.deps(a.cond, bound))
		or(s.deps(a.then, bound))
		or(s.deps(a.els, bound))
	case *aBinary:
		or(s.deps(a.l, bound))
		if a.op == opMap {
			onlyLocal(a.r, bound)
		} else {
			or(s.deps(a.r, bound))
		}
	case *aUnary:
		or(s.deps(a.x, bound))
	case *aType:
		or(s.deps(a.x, bound))
	case *aPath:
		for i, st := range a.steps {
			if i == 0 && a.root == 0 {
				if st.expr == nil {
					focus = true
				} else {
					or(s.deps(st.expr, bound))
				}
			} else if st.expr != nil {
				onlyLocal(st.expr, bound)
			}
			for _, p := range st.preds {
				onlyLocal(p, bound)
			}
		}
	case *aStep:
		or(s.deps(&aPath{p: a.p, steps: []*aStep{a}}, bound))
	case *aFilter:
		or(s.deps(a.x, bound))
		for _, p := range a.preds {
			onlyLocal(p, bound)
		}
	case *aCall:
		_, local := splitQName(a.name)
		if b, ok := builtins[local]; ok && b.usesFocus && len(a.args) == 0 {
			focus = true
		}
		for _, x := range a.args {
			or(s.deps(x, bound))
		}
	default:
		return true, true
	}
	return focus, local
}

// worthCaching reports whether a reads the document from its root (a path
// from "/" or "//", or key()), which is what caching saves.
func worthCaching(a ast) bool {
	found := false
	walk(a, func(n ast) {
		switch n := n.(type) {
		case *aPath:
			if n.root != 0 {
				found = true
			}
		case *aCall:
			if n.name == "key" {
				found = true
			}
		}
	})
	return found
}
