package xpath

import (
	"fmt"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

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

// cacheID is the cache slot of a, which depends on neither the focus nor
// local variables. Expressions that mean the same (canon) share a slot:
// //cac:ClassifiedTaxCategory/cbc:ID = 'B' is asked twice in BR-B-01
// and twice in BR-B-02, each a pass over every invoice line. key() names
// keys of its own rule file, so a part with a key call is shared within
// its file only.
func (s *Scope) cacheID(a ast) int {
	var b strings.Builder
	if s.canon(a, nil, &b) {
		key := b.String()
		if hasCall(a, "key") {
			key = fmt.Sprintf("m%d:", s.mod) + key
		}
		if s.c.cached == nil {
			s.c.cached = map[string]int{}
		}
		if id, ok := s.c.cached[key]; ok {
			return id
		}
		s.c.cached[key] = s.c.ncache
	}
	s.c.ncache++
	return s.c.ncache - 1
}

// hasCall reports whether a calls the function named name (unprefixed).
func hasCall(a ast, name string) bool {
	found := false
	walk(a, func(n ast) {
		if c, ok := n.(*aCall); ok {
			if prefix, local := splitQName(c.name); local == name && (prefix == "" || prefix == "fn") {
				found = true
			}
		}
	})
	return found
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

// The same node-set expression often starts the tests of many rules with
// one context: some 130 CEN syntax rules on the invoice element begin with
// "(cac:InvoiceLine | cac:CreditNoteLine)/". Such a union, which depends on
// the context node only, is computed once per context node: identical
// unions share one memo entry, which remembers the last node it was
// computed for.

// memoE remembers e's value for the last context node.
type memoE struct {
	id int
	e  evaluator
}

type memo struct {
	ok  bool
	it  Item
	val Seq
	err error
}

func (m *memoE) eval(x *Context, f focus) (Seq, error) {
	for m.id >= len(x.memos) {
		x.memos = append(x.memos, memo{})
	}
	e := &x.memos[m.id]
	if e.ok && e.it.k == f.it.k && e.it.n == f.it.n && e.it.i == f.it.i && f.pos != 0 {
		return e.val, e.err
	}
	v, err := m.e.eval(x, f)
	e = &x.memos[m.id]
	*e = memo{ok: f.pos != 0, it: f.it, val: v, err: err}
	return v, err
}

// memoKey is a canonical text of a union expression that depends on the
// context node only, or "" when it should not be memoized.
func (s *Scope) memoKey(a ast) string {
	// normalize-space(cbc:ID) is compared with 'S', 'AE', 'E' ... in the
	// contexts of a dozen VAT rules tried one after another on one node.
	if c, ok := a.(*aCall); ok && c.name == "normalize-space" && len(c.args) == 1 {
		if p, ok := c.args[0].(*aPath); ok && p.root == 0 && len(p.steps) > 0 {
			if k := s.memoKey(&aBinary{op: opUnion, l: p, r: p}); k != "" {
				return "normalize-space" + k
			}
		}
		return ""
	}
	b, ok := a.(*aBinary)
	if !ok || b.op != opUnion {
		return ""
	}
	if _, local := s.deps(a, nil); local {
		return ""
	}
	var sb strings.Builder
	ok = true
	var write func(a ast)
	write = func(a ast) {
		switch a := a.(type) {
		case *aBinary:
			if a.op != opUnion {
				ok = false
				return
			}
			sb.WriteString("(")
			write(a.l)
			sb.WriteString("|")
			write(a.r)
			sb.WriteString(")")
		case *aPath:
			if a.root != 0 {
				ok = false
				return
			}
			for _, st := range a.steps {
				if st.expr != nil || len(st.preds) > 0 || st.desc {
					ok = false
					return
				}
				uri, found := s.resolve(st.test.prefix)
				if !found {
					ok = false
					return
				}
				fmt.Fprintf(&sb, "/%d:%d{%s}%s", st.axis, st.test.kind, uri, st.test.local)
			}
		default:
			ok = false
		}
	}
	write(a)
	if !ok {
		return ""
	}
	return sb.String()
}

// Rule contexts such as //*[ends-with(name(), 'Amount')] test every
// element, and their predicates depend on nothing but the element's name:
// such a part is computed once per element name.

// nameMemoE remembers e's value per element name.
type nameMemoE struct {
	id int
	e  evaluator
}

func (m *nameMemoE) eval(x *Context, f focus) (Seq, error) {
	if f.pos == 0 || f.it.k != KNode || x.d.Kind(xmltree.NodeID(f.it.n)) != xmltree.ElementNode {
		return m.e.eval(x, f)
	}
	for m.id >= len(x.byNameMemo) {
		x.byNameMemo = append(x.byNameMemo, nil)
	}
	id := x.d.NameID(xmltree.NodeID(f.it.n))
	l := x.byNameMemo[m.id]
	for int(id) >= len(l) {
		l = append(l, memo{})
	}
	x.byNameMemo[m.id] = l
	if e := &l[id]; e.ok {
		return e.val, e.err
	}
	v, err := m.e.eval(x, f)
	x.byNameMemo[m.id][id] = memo{ok: true, val: v, err: err}
	return v, err
}

// nameOnly reports whether a depends on the focus only through the
// name of the context node (name(), local-name(), namespace-uri()) and
// uses it.
func (s *Scope) nameOnly(a ast) bool {
	uses := false
	var ok func(a ast) bool
	ok = func(a ast) bool {
		switch a := a.(type) {
		case *aLiteral:
			return true
		case *aVar:
			b, found := s.lookup(a.name)
			return found && b.global != nil
		case *aCall:
			prefix, local := splitQName(a.name)
			if prefix == "" || prefix == "fn" {
				switch local {
				case "name", "local-name", "namespace-uri":
					if len(a.args) == 0 {
						uses = true
						return true
					}
				case "position", "last", "key", "root":
					return false
				}
				if b, found := builtins[local]; found && b.usesFocus && len(a.args) == 0 {
					return false
				}
			}
			for _, x := range a.args {
				if !ok(x) {
					return false
				}
			}
			return true
		case *aBinary:
			return a.op != opMap && ok(a.l) && ok(a.r)
		case *aUnary:
			return ok(a.x)
		case *aType:
			return ok(a.x)
		case *aIf:
			return ok(a.cond) && ok(a.then) && ok(a.els)
		case *aSeq:
			for _, x := range a.items {
				if !ok(x) {
					return false
				}
			}
			return true
		}
		return false
	}
	return ok(a) && uses
}
