package xpath

import (
	"fmt"
	"strings"
)

// compile turns a syntax tree into evaluators, resolving names, variables
// and functions: every static error is found here, with its position.
func (s *Scope) compile(a ast) (evaluator, error) {
	if !s.noFocus && !s.inCache && worthCaching(a) {
		if focus, local := s.deps(a, nil); !focus && !local {
			inner := *s
			inner.inCache = true
			e, err := inner.compile1(a)
			if err != nil {
				return nil, err
			}
			return &cachedE{id: s.cacheID(a), e: s.fold(e)}, nil
		}
	}
	if !s.inCache && !s.inVarMemo {
		if key, slots := s.varMemoKey(a); key != "" {
			inner := *s
			inner.inVarMemo = true
			e, err := inner.compile1(a)
			if err != nil {
				return nil, err
			}
			focus, _ := s.deps(a, nil)
			return &varMemoE{id: s.varMemoID(key), slots: slots, focus: focus, e: s.fold(e)}, nil
		}
	}
	if !s.noFocus && !s.inCache && !s.inStrMemo {
		if key := s.strKey(a); key != nil {
			inner := *s
			inner.inStrMemo = true
			k, err := inner.compile1(key)
			if err != nil {
				return nil, err
			}
			e, err := inner.compile1(a)
			if err != nil {
				return nil, err
			}
			s.c.nsmemos++
			return &strMemoE{id: s.c.nsmemos - 1, key: k, e: s.fold(e)}, nil
		}
	}
	e, err := s.compile1(a)
	if err != nil {
		return nil, err
	}
	if !s.noFocus && !s.inCache && s.nameOnly(a) {
		inner := *s
		inner.inCache = true
		e, err := inner.compile1(a)
		if err != nil {
			return nil, err
		}
		s.c.nmemos++
		return &nameMemoE{id: s.c.nmemos - 1, e: s.fold(e)}, nil
	}
	if key := s.memoKey(a); key != "" && !s.noFocus {
		id, ok := s.c.memos[key]
		if !ok {
			id = len(s.c.memos)
			s.c.memos[key] = id
		}
		return &memoE{id: id, e: e}, nil
	}
	return s.fold(e), nil
}

func (s *Scope) compile1(a ast) (evaluator, error) {
	switch a := a.(type) {
	case *aLiteral:
		return &litE{v: Single(a.it)}, nil
	case *aContext:
		if s.noFocus {
			return nil, &Error{Pos: a.p, Code: "XPDY0002", Msg: "there is no context item inside a function"}
		}
		return ctxE{}, nil
	case *aVar:
		b, ok := s.lookup(a.name)
		if !ok {
			return nil, &Error{Pos: a.p, Code: "XPST0008", Msg: fmt.Sprintf("variable $%s is not declared", a.name)}
		}
		if b.global != nil {
			return &globalVarE{g: b.global}, nil
		}
		return &localVarE{slot: b.slot, name: a.name}, nil
	case *aSeq:
		if len(a.items) == 0 {
			return &litE{}, nil
		}
		items, err := s.compileAll(a.items)
		if err != nil {
			return nil, err
		}
		return &seqE{items: items}, nil
	case *aFor:
		if r := someAsComparison(a); r != nil {
			return s.compile1(r)
		}
		return s.compileFor(a, 0)
	case *aIf:
		c, err := s.compile(a.cond)
		if err != nil {
			return nil, err
		}
		t, err := s.compile(a.then)
		if err != nil {
			return nil, err
		}
		e, err := s.compile(a.els)
		if err != nil {
			return nil, err
		}
		if ic := s.ifCast(a, c, t, e); ic != nil {
			return ic, nil
		}
		return &ifE{cond: c, then: t, els: e}, nil
	case *aBinary:
		return s.compileBinary(a)
	case *aUnary:
		x, err := s.compile(a.x)
		if err != nil {
			return nil, err
		}
		if a.neg {
			return &negE{x: x}, nil
		}
		return &plusE{x: x}, nil
	case *aType:
		return s.compileType(a)
	case *aPath:
		return s.compilePath(a)
	case *aFilter:
		x, err := s.compile(a.x)
		if err != nil {
			return nil, err
		}
		preds, err := s.compilePreds(a.preds)
		if err != nil {
			return nil, err
		}
		return &filterE{x: x, preds: preds}, nil
	case *aCall:
		return s.compileCall(a)
	case *aStep:
		return s.compilePath(&aPath{p: a.p, steps: []*aStep{a}})
	case *aCompiled:
		return a.e, nil
	}
	return nil, errorf(a.at(), "unsupported expression")
}

func (s *Scope) compileAll(as []ast) ([]evaluator, error) {
	out := make([]evaluator, len(as))
	for i, a := range as {
		e, err := s.compile(a)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// compileFor compiles binding i of a for/some/every/let and the rest
// inside it.
func (s *Scope) compileFor(a *aFor, i int) (evaluator, error) {
	if i == len(a.vars) {
		return s.compile(a.body)
	}
	v := a.vars[i]
	in, err := s.compile(v.in)
	if err != nil {
		return nil, err
	}
	inner := s.Child()
	slot := inner.Let(v.name)
	body, err := inner.compileFor(a, i+1)
	if err != nil {
		return nil, err
	}
	switch a.kind {
	case "for":
		return &forE{slot: slot, in: in, body: body}, nil
	case "let":
		return &letE{slot: slot, val: in, body: body}, nil
	}
	return &quantE{slot: slot, every: a.kind == "every", in: in, body: body}, nil
}

func (s *Scope) compileBinary(a *aBinary) (evaluator, error) {
	l, err := s.compile(a.l)
	if err != nil {
		return nil, err
	}
	rs := s
	if a.op == opMap {
		rs = s.focused()
	}
	r, err := rs.compile(a.r)
	if err != nil {
		return nil, err
	}
	switch a.op {
	case opOr:
		return &orE{l: l, r: r}, nil
	case opAnd:
		if isEmptyLeafTest(a) {
			return &emptyLeafE{asWritten: &andE{l: l, r: r}}, nil
		}
		return &andE{l: l, r: r}, nil
	case opGEq, opGNe, opGLt, opGLe, opGGt, opGGe:
		g := &genCmpE{op: a.op, l: l, r: r, rFirst: a.rFirst}
		if a.op == opGEq {
			g.set = stringSet(r)
		}
		if lit, ok := r.(*litE); ok && lit.v.n == 1 && lit.v.one.k == KString {
			g.lit, g.hasLit = lit.v.one.s, true
		}
		return g, nil
	case opVEq, opVNe, opVLt, opVLe, opVGt, opVGe:
		return &valCmpE{op: a.op, l: l, r: r}, nil
	case opIs, opBefore, opAfter:
		return &nodeCmpE{op: a.op, l: l, r: r}, nil
	case opTo:
		return &rangeE{l: l, r: r}, nil
	case opAdd, opSub, opMul, opDiv, opIdiv, opMod:
		return &arithE{op: a.op, l: l, r: r}, nil
	case opUnion, opIntersect, opExcept:
		return &setE{op: a.op, l: l, r: r}, nil
	case opConcat:
		return &concatE{l: l, r: r}, nil
	case opMap:
		return &mapE{l: l, r: r}, nil
	}
	return nil, errorf(a.p, "unsupported operator %s", a.op)
}

func (s *Scope) compileType(a *aType) (evaluator, error) {
	x, err := s.compile(a.x)
	if err != nil {
		return nil, err
	}
	t := a.typ
	if err := s.resolveType(&t, a.p); err != nil {
		return nil, err
	}
	switch a.op {
	case "cast", "castable":
		if t.item != "atomic" || t.atom == kAnyAtomic {
			return nil, errorf(a.p, "cannot cast to %s", t)
		}
		if a.op == "cast" {
			return &castE{x: x, k: t.atom, opt: t.occ == '?', tn: t.aname}, nil
		}
		return &castableE{x: x, k: t.atom, opt: t.occ == '?'}, nil
	case "instance":
		return &instanceE{x: x, typ: t}, nil
	}
	return &treatE{x: x, typ: t}, nil
}

// resolveTest resolves a node test's prefix and interns its name.
func (s *Scope) resolveTest(t *nodeTest, pos int) error {
	switch t.kind {
	case testName, testNsWild, testElement, testAttribute:
		if t.kind != testName && t.kind != testNsWild && t.local == "" {
			return nil
		}
		// In XPath 2.0 an unprefixed name test is in no namespace (the
		// rule files declare no default element namespace).
		uri, ok := s.resolve(t.prefix)
		if !ok {
			return &Error{Pos: pos, Code: "XPST0081", Msg: fmt.Sprintf("namespace prefix %q is not declared", t.prefix)}
		}
		t.space = uri
		if t.kind != testNsWild {
			t.name = s.c.name(uri, t.local)
		}
	}
	return nil
}

func (s *Scope) compilePath(a *aPath) (evaluator, error) {
	if e, ok, err := s.sharedPrefix(a); ok || err != nil {
		return e, err
	}
	p := &pathE{root: a.root != 0}
	if a.root == 2 && len(a.steps) > 0 {
		a.steps[0].desc = true
	}
	for i, as := range a.steps {
		preds, err := s.compilePreds(as.preds)
		if err != nil {
			return nil, err
		}
		st := &stepE{axis: as.axis, test: as.test, preds: preds}
		descDone := false
		if as.desc && as.expr != nil && len(as.preds) == 0 {
			if u, ok := descendantUnion(as.expr); ok {
				as = &aStep{p: as.p, expr: u}
				descDone = true
			}
		}
		fs := s
		if i > 0 || p.root {
			fs = s.focused()
		}
		if as.expr != nil {
			if st.expr, err = fs.compile(as.expr); err != nil {
				return nil, err
			}
		} else if err := s.resolveTest(&st.test, as.p); err != nil {
			return nil, err
		}
		if as.desc && !descDone {
			// "//" is /descendant-or-self::node()/; a child step without
			// positional predicates after it is one descendant step.
			if st.expr == nil && st.axis == axChild && !positional(preds) {
				st.axis = axDescendant
			} else if st.expr == nil && st.axis == axSelf && !positional(preds) {
				st.axis = axDescendantOrSelf
			} else if st.expr == nil && st.axis == axAttribute && !positional(preds) {
				st.axis = axDescAttr
			} else {
				p.steps = append(p.steps, &stepE{axis: axDescendantOrSelf, test: nodeTest{kind: testNode}})
			}
		}
		if err := s.eqIndexes(st, as.preds); err != nil {
			return nil, err
		}
		if i == 0 && !p.root && st.expr == nil && s.noFocus {
			return nil, &Error{Pos: as.p, Code: "XPDY0002", Msg: "there is no context node inside a function"}
		}
		p.steps = append(p.steps, st)
	}
	p.simple = p.streamable()
	p.plainKids()
	p.up = s.upNames(a)
	for _, st := range p.steps {
		if st.expr == nil && st.test.kind == testName {
			p.needs = append(p.needs, st.test.name)
		}
	}
	return p, nil
}

func positional(preds []*predE) bool {
	for _, p := range preds {
		if p.index > 0 || p.maybeNumeric || p.usesLast {
			return true
		}
	}
	return false
}

// focused returns a scope in which there is a context item (inside a
// predicate or after the first step of a path).
func (s *Scope) focused() *Scope {
	if !s.noFocus {
		return s
	}
	n := s.Child()
	n.noFocus = false
	return n
}

func (s *Scope) compilePreds(as []ast) ([]*predE, error) {
	var out []*predE
	fs := s.focused()
	for _, a := range as {
		e, err := fs.compile(a)
		if err != nil {
			return nil, err
		}
		p := &predE{e: e, maybeNumeric: maybeNumeric(a), usesLast: usesLast(a)}
		if focus, _ := fs.deps(a, nil); !focus {
			p.fixed = true
		}
		if lit, ok := a.(*aLiteral); ok && lit.it.k == KInteger && lit.it.n != bigInt {
			p.index = lit.it.i
			if p.index <= 0 {
				// [0] or [-1] selects nothing; keep it a runtime compare.
				p.index = 0
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// maybeNumeric reports whether a predicate's value could be a number (and
// so select by position).
func maybeNumeric(a ast) bool {
	switch a := a.(type) {
	case *aLiteral:
		return a.it.isNumeric()
	case *aBinary:
		switch a.op {
		case opAdd, opSub, opMul, opDiv, opIdiv, opMod, opTo:
			return true
		case opUnion, opIntersect, opExcept, opConcat:
			return false
		}
		return a.op == opMap
	case *aPath:
		if len(a.steps) == 0 {
			return false
		}
		last := a.steps[len(a.steps)-1]
		return last.expr != nil && maybeNumeric(last.expr)
	case *aStep:
		return a.expr != nil && maybeNumeric(a.expr)
	case *aFor:
		return a.kind == "for" || a.kind == "let"
	case *aType:
		return a.op == "cast" || a.op == "treat"
	case *aCall:
		if b, ok := builtins[a.name]; ok {
			return b.result == 0 || b.result == 'n'
		}
		return true
	case *aIf:
		return maybeNumeric(a.then) || maybeNumeric(a.els)
	case *aFilter:
		return maybeNumeric(a.x)
	}
	return true
}

func usesLast(a ast) bool {
	found := false
	walk(a, func(n ast) {
		if c, ok := n.(*aCall); ok && c.name == "last" {
			found = true
		}
	})
	return found
}

// walk visits every node of a syntax tree.
func walk(a ast, fn func(ast)) {
	if a == nil {
		return
	}
	fn(a)
	switch a := a.(type) {
	case *aSeq:
		for _, x := range a.items {
			walk(x, fn)
		}
	case *aFor:
		for _, v := range a.vars {
			walk(v.in, fn)
		}
		walk(a.body, fn)
	case *aIf:
		walk(a.cond, fn)
		walk(a.then, fn)
		walk(a.els, fn)
	case *aBinary:
		walk(a.l, fn)
		walk(a.r, fn)
	case *aUnary:
		walk(a.x, fn)
	case *aType:
		walk(a.x, fn)
	case *aPath:
		for _, st := range a.steps {
			walk(st, fn)
		}
	case *aStep:
		walk(a.expr, fn)
		for _, p := range a.preds {
			walk(p, fn)
		}
	case *aCall:
		for _, x := range a.args {
			walk(x, fn)
		}
	case *aFilter:
		walk(a.x, fn)
		for _, p := range a.preds {
			walk(p, fn)
		}
	}
}

func (s *Scope) compileCall(a *aCall) (evaluator, error) {
	prefix, local := splitQName(a.name)
	uri := NSFn
	if prefix != "" {
		u, ok := s.resolve(prefix)
		if !ok {
			return nil, &Error{Pos: a.p, Code: "XPST0081", Msg: fmt.Sprintf("namespace prefix %q is not declared", prefix)}
		}
		uri = u
	}
	args, err := s.compileAll(a.args)
	if err != nil {
		return nil, err
	}
	switch uri {
	case NSXS:
		k, ok := atomicTypes[local]
		if !ok || k == kAnyAtomic {
			return nil, &Error{Pos: a.p, Code: "XPST0017", Msg: fmt.Sprintf("unknown type constructor %s()", a.name)}
		}
		if len(args) != 1 {
			return nil, &Error{Pos: a.p, Code: "XPST0017", Msg: fmt.Sprintf("%s() takes one argument", a.name)}
		}
		return &castE{x: args[0], k: k, opt: true, tn: a.name}, nil
	case NSFn:
		b, ok := builtins[local]
		if !ok {
			return nil, &Error{Pos: a.p, Code: "XPST0017", Msg: fmt.Sprintf("function %s() is not supported", a.name)}
		}
		if len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
			return nil, &Error{Pos: a.p, Code: "XPST0017", Msg: fmt.Sprintf("%s() does not take %d arguments", a.name, len(args))}
		}
		if b.usesFocus && len(args) == 0 && s.noFocus && local != "position" && local != "last" {
			return nil, &Error{Pos: a.p, Code: "XPDY0002", Msg: fmt.Sprintf("%s() needs a context item, and there is none inside a function", a.name)}
		}
		c := &callE{name: local, fn: b, args: args, mod: s.mod, str: strFns[local]}
		if b.prepare != nil {
			if err := b.prepare(c); err != nil {
				e := err.(*Error)
				return nil, &Error{Pos: a.p, Code: e.Code, Msg: e.Msg}
			}
		}
		if local == "key" {
			if lit, ok := args[0].(*litE); ok && lit.v.n == 1 {
				k, ok := s.c.keys[keyKey(s.mod, lit.v.one.s)]
				if !ok {
					return nil, &Error{Pos: a.p, Code: "XTDE1260", Msg: fmt.Sprintf("key %q is not declared", lit.v.one.s)}
				}
				c.key = k
			}
		}
		if local == "contains" {
			return tokenContains(c), nil
		}
		return c, nil
	}
	f, ok := s.c.funcs[funcKey(s.mod, uri, local, len(args))]
	if !ok {
		return nil, &Error{Pos: a.p, Code: "XPST0017", Msg: fmt.Sprintf("function %s() with %d arguments is not declared", a.name, len(args))}
	}
	return &userCallE{f: f, args: args}, nil
}

func funcKey(mod int, uri, local string, arity int) string {
	return fmt.Sprintf("%d{%s}%s#%d", mod, uri, local, arity)
}

func keyKey(mod int, name string) string { return fmt.Sprintf("%d %s", mod, name) }

// fold evaluates at compile time an expression whose operands are all
// literals (tokenize('AE E S Z', '\s'), xs:decimal('0.02'), 10 * 10), so
// that documents do not pay for it. An expression that fails is left to
// fail at run time, where the error belongs to a rule.
func (s *Scope) fold(e evaluator) evaluator {
	lit := func(ev evaluator) bool { _, ok := ev.(*litE); return ok }
	switch v := e.(type) {
	case *callE:
		switch v.name {
		case "position", "last", "key", "root", "true", "false":
			return e
		}
		if v.fn.usesFocus && len(v.args) == 0 {
			return e
		}
		for _, a := range v.args {
			if !lit(a) {
				return e
			}
		}
	case *castE:
		if !lit(v.x) {
			return e
		}
	case *arithE:
		if !lit(v.l) || !lit(v.r) {
			return e
		}
	case *negE:
		if !lit(v.x) {
			return e
		}
	case *seqE:
		for _, a := range v.items {
			if !lit(a) {
				return e
			}
		}
	default:
		return e
	}
	x := &Context{c: s.c}
	r, err := e.eval(x, focus{})
	if err != nil {
		return e
	}
	for i := 0; i < r.n; i++ {
		if r.At(i).IsNode() {
			return e
		}
	}
	return &litE{v: r}
}

// someAsComparison rewrites "some $v in S satisfies E = $v" (E not using
// $v) as the general comparison "E = S", which means the same and is
// evaluated without binding $v for every item: the rule files test codes
// against lists of a few hundred codes this way.
func someAsComparison(a *aFor) ast {
	if a.kind != "some" || len(a.vars) != 1 {
		return nil
	}
	b, ok := a.body.(*aBinary)
	if !ok || b.op < opGEq || b.op > opGGe {
		return nil
	}
	name := a.vars[0].name
	isVar := func(x ast) bool { v, ok := x.(*aVar); return ok && v.name == name }
	uses := func(x ast) bool {
		found := false
		walk(x, func(n ast) {
			if v, ok := n.(*aVar); ok && v.name == name {
				found = true
			}
			if f, ok := n.(*aFor); ok {
				for _, v := range f.vars {
					if v.name == name {
						found = true // shadowing: leave it alone
					}
				}
			}
		})
		return found
	}
	switch {
	case isVar(b.r) && !uses(b.l):
		return &aBinary{p: b.p, op: b.op, l: b.l, r: a.vars[0].in, rFirst: true}
	case isVar(b.l) && !uses(b.r):
		return &aBinary{p: b.p, op: b.op, l: a.vars[0].in, r: b.r}
	}
	return nil
}

// descendantUnion turns the operand of "//(A | B)", where A and B are
// single child steps without positional predicates, into
// "descendant::A | descendant::B", which selects the same nodes without
// visiting every node of the document.
func descendantUnion(a ast) (ast, bool) {
	switch a := a.(type) {
	case *aBinary:
		if a.op != opUnion {
			return nil, false
		}
		l, ok := descendantUnion(a.l)
		if !ok {
			return nil, false
		}
		r, ok := descendantUnion(a.r)
		if !ok {
			return nil, false
		}
		return &aBinary{p: a.p, op: opUnion, l: l, r: r}, true
	case *aPath:
		if a.root != 0 || len(a.steps) != 1 {
			return nil, false
		}
		return descendantUnion(a.steps[0])
	case *aStep:
		if a.expr != nil || a.axis != axChild || a.desc {
			return nil, false
		}
		for _, p := range a.preds {
			if maybeNumeric(p) || usesLast(p) {
				return nil, false
			}
		}
		st := *a
		st.axis = axDescendant
		return &aPath{p: a.p, steps: []*aStep{&st}}, true
	}
	return nil, false
}

// sharedPrefix compiles a path from the root whose value does not depend
// on local variables as its prefix (all steps but the last), computed once
// per document and shared by every rule that uses the same prefix, and the
// last step applied to it. The billing rules test
// //cac:ClassifiedTaxCategory[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']
// followed by a different last step in a dozen rules.
func (s *Scope) sharedPrefix(a *aPath) (evaluator, bool, error) {
	if a.root == 0 || len(a.steps) < 2 || s.noFocus {
		return nil, false, nil
	}
	n := len(a.steps) - 1
	if a.steps[n].expr != nil {
		return nil, false, nil // a/b/xs:decimal(c): keep it streaming
	}
	prefix := &aPath{p: a.p, root: a.root, steps: a.steps[:n]}
	var b strings.Builder
	if !s.canon(prefix, nil, &b) {
		return nil, false, nil
	}
	key := b.String()
	id, ok := s.c.shared[key]
	if !ok {
		id = s.c.ncache
		s.c.ncache++
		s.c.shared[key] = id
	}
	inner := *s
	inner.inCache = true
	pe, err := inner.compilePath(prefix)
	if err != nil {
		return nil, true, err
	}
	last := *a.steps[n]
	rest := &aPath{p: a.p, steps: []*aStep{{p: a.p, expr: &aCompiled{p: a.p, e: &cachedE{id: id, e: pe}}}, &last}}
	e, err := s.focused().compilePath(rest)
	return e, true, err
}

// stringSet returns the strings of a constant list of at least 8 strings
// (a literal, or a global variable whose value is one), for lookups.
func stringSet(e evaluator) map[string]struct{} {
	if g, ok := e.(*globalVarE); ok && g.g.expr != nil && g.g.expr.own != nil {
		e = g.g.expr.e
	}
	lit, ok := e.(*litE)
	if !ok || lit.v.n < 8 {
		return nil
	}
	set := make(map[string]struct{}, lit.v.n)
	for i := 0; i < lit.v.n; i++ {
		it := lit.v.At(i)
		if it.k != KString {
			return nil
		}
		set[it.s] = struct{}{}
	}
	return set
}
