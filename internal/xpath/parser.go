package xpath

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"
)

// maxDepth bounds nesting so that hostile expressions cannot exhaust the
// stack.
const maxDepth = 200

type parser struct {
	toks  []token
	i     int
	depth int
}

// parse reads a complete expression.
func parse(src string) (ast, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.k != tEOF {
		return nil, errorf(t.pos, "unexpected %s", t)
	}
	return e, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.k != tEOF {
		p.i++
	}
	return t
}

// isWord reports whether the next token is the name w (a keyword in
// operator position).
func (p *parser) isWord(w string) bool {
	t := p.peek()
	return t.k == tName && t.v == w
}

func (p *parser) expect(k tokKind) (token, error) {
	t := p.peek()
	if t.k != k {
		return t, errorf(t.pos, "expected %s, found %s", tokNames[k], t)
	}
	return p.advance(), nil
}

func (p *parser) expectWord(w string) error {
	t := p.peek()
	if !p.isWord(w) {
		return errorf(t.pos, "expected '%s', found %s", w, t)
	}
	p.advance()
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errorf(p.peek().pos, "expression is nested too deeply")
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// Expr ::= ExprSingle ("," ExprSingle)*
func (p *parser) expr() (ast, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	start := p.peek().pos
	e, err := p.exprSingle()
	if err != nil {
		return nil, err
	}
	if p.peek().k != tComma {
		return e, nil
	}
	items := []ast{e}
	for p.peek().k == tComma {
		p.advance()
		e, err := p.exprSingle()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return &aSeq{p: start, items: items}, nil
}

func (p *parser) exprSingle() (ast, error) {
	t := p.peek()
	if t.k == tName && p.peekAt(1).k == tVar {
		switch t.v {
		case "for", "some", "every", "let":
			return p.flwor()
		}
	}
	if t.k == tName && t.v == "if" && t.lparen {
		return p.ifExpr()
	}
	return p.orExpr()
}

// for/some/every/let: bindings, then return/satisfies.
func (p *parser) flwor() (ast, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	kw := p.advance()
	f := &aFor{p: kw.pos, kind: kw.v}
	for {
		v, err := p.expect(tVar)
		if err != nil {
			return nil, err
		}
		if kw.v == "let" {
			if _, err := p.expect(tAssign); err != nil {
				return nil, err
			}
		} else if err := p.expectWord("in"); err != nil {
			return nil, err
		}
		in, err := p.exprSingle()
		if err != nil {
			return nil, err
		}
		f.vars = append(f.vars, aBinding{p: v.pos, name: v.v, in: in})
		if p.peek().k != tComma {
			break
		}
		p.advance()
	}
	end := "return"
	if kw.v == "some" || kw.v == "every" {
		end = "satisfies"
	}
	if err := p.expectWord(end); err != nil {
		return nil, err
	}
	body, err := p.exprSingle()
	if err != nil {
		return nil, err
	}
	f.body = body
	return f, nil
}

func (p *parser) ifExpr() (ast, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	kw := p.advance()
	if _, err := p.expect(tLParen); err != nil {
		return nil, err
	}
	cond, err := p.expr()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	if err := p.expectWord("then"); err != nil {
		return nil, err
	}
	then, err := p.exprSingle()
	if err != nil {
		return nil, err
	}
	if err := p.expectWord("else"); err != nil {
		return nil, err
	}
	els, err := p.exprSingle()
	if err != nil {
		return nil, err
	}
	return &aIf{p: kw.pos, cond: cond, then: then, els: els}, nil
}

func (p *parser) orExpr() (ast, error) {
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") {
		t := p.advance()
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opOr, l: l, r: r}
	}
	return l, nil
}

func (p *parser) andExpr() (ast, error) {
	l, err := p.comparison()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") {
		t := p.advance()
		r, err := p.comparison()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opAnd, l: l, r: r}
	}
	return l, nil
}

func (p *parser) compOp() (op, bool) {
	t := p.peek()
	switch t.k {
	case tEq:
		return opGEq, true
	case tNe:
		return opGNe, true
	case tLt:
		return opGLt, true
	case tLe:
		return opGLe, true
	case tGt:
		return opGGt, true
	case tGe:
		return opGGe, true
	case tLtLt:
		return opBefore, true
	case tGtGt:
		return opAfter, true
	case tName:
		switch t.v {
		case "eq":
			return opVEq, true
		case "ne":
			return opVNe, true
		case "lt":
			return opVLt, true
		case "le":
			return opVLe, true
		case "gt":
			return opVGt, true
		case "ge":
			return opVGe, true
		case "is":
			return opIs, true
		}
	}
	return 0, false
}

func (p *parser) comparison() (ast, error) {
	l, err := p.concat()
	if err != nil {
		return nil, err
	}
	if o, ok := p.compOp(); ok {
		t := p.advance()
		r, err := p.concat()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: o, l: l, r: r}
		if _, again := p.compOp(); again {
			t := p.peek()
			return nil, errorf(t.pos, "comparisons cannot be chained; add parentheses")
		}
	}
	return l, nil
}

func (p *parser) concat() (ast, error) {
	l, err := p.rangeExpr()
	if err != nil {
		return nil, err
	}
	for p.peek().k == tConcat {
		t := p.advance()
		r, err := p.rangeExpr()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opConcat, l: l, r: r}
	}
	return l, nil
}

func (p *parser) rangeExpr() (ast, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	if p.isWord("to") {
		t := p.advance()
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opTo, l: l, r: r}
	}
	return l, nil
}

func (p *parser) additive() (ast, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		var o op
		switch t.k {
		case tPlus:
			o = opAdd
		case tMinus:
			o = opSub
		default:
			return l, nil
		}
		p.advance()
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: o, l: l, r: r}
	}
}

func (p *parser) multiplicative() (ast, error) {
	l, err := p.union()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		var o op
		switch {
		case t.k == tStar:
			o = opMul
		case p.isWord("div"):
			o = opDiv
		case p.isWord("idiv"):
			o = opIdiv
		case p.isWord("mod"):
			o = opMod
		default:
			return l, nil
		}
		p.advance()
		r, err := p.union()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: o, l: l, r: r}
	}
}

func (p *parser) union() (ast, error) {
	l, err := p.intersect()
	if err != nil {
		return nil, err
	}
	for p.peek().k == tPipe || p.isWord("union") {
		t := p.advance()
		r, err := p.intersect()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opUnion, l: l, r: r}
	}
	return l, nil
}

func (p *parser) intersect() (ast, error) {
	l, err := p.instanceOf()
	if err != nil {
		return nil, err
	}
	for p.isWord("intersect") || p.isWord("except") {
		t := p.advance()
		o := opIntersect
		if t.v == "except" {
			o = opExcept
		}
		r, err := p.instanceOf()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: o, l: l, r: r}
	}
	return l, nil
}

func (p *parser) instanceOf() (ast, error) {
	l, err := p.treat()
	if err != nil {
		return nil, err
	}
	if p.isWord("instance") && p.peekAt(1).k == tName && p.peekAt(1).v == "of" {
		t := p.advance()
		p.advance()
		typ, err := p.seqType(false)
		if err != nil {
			return nil, err
		}
		l = &aType{p: t.pos, op: "instance", x: l, typ: typ}
	}
	return l, nil
}

func (p *parser) treat() (ast, error) {
	l, err := p.castable()
	if err != nil {
		return nil, err
	}
	if p.isWord("treat") && p.peekAt(1).k == tName && p.peekAt(1).v == "as" {
		t := p.advance()
		p.advance()
		typ, err := p.seqType(false)
		if err != nil {
			return nil, err
		}
		l = &aType{p: t.pos, op: "treat", x: l, typ: typ}
	}
	return l, nil
}

func (p *parser) castable() (ast, error) {
	l, err := p.cast()
	if err != nil {
		return nil, err
	}
	if p.isWord("castable") && p.peekAt(1).k == tName && p.peekAt(1).v == "as" {
		t := p.advance()
		p.advance()
		typ, err := p.seqType(true)
		if err != nil {
			return nil, err
		}
		l = &aType{p: t.pos, op: "castable", x: l, typ: typ}
	}
	return l, nil
}

func (p *parser) cast() (ast, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	if p.isWord("cast") && p.peekAt(1).k == tName && p.peekAt(1).v == "as" {
		t := p.advance()
		p.advance()
		typ, err := p.seqType(true)
		if err != nil {
			return nil, err
		}
		l = &aType{p: t.pos, op: "cast", x: l, typ: typ}
	}
	return l, nil
}

// seqType reads a SequenceType, or a SingleType (an atomic type name and an
// optional '?') when single is set.
func (p *parser) seqType(single bool) (seqType, error) {
	t := p.peek()
	var st seqType
	switch {
	case t.k == tName && t.lparen && !single:
		p.advance()
		p.advance() // (
		switch t.v {
		case "item", "node", "text", "empty-sequence":
			st.item = t.v
			if t.v == "empty-sequence" {
				st.item = "empty"
			}
		case "element", "attribute", "document-node":
			st.item = t.v
			if t.v == "document-node" {
				st.item = "document"
			}
			// element(name) and the like: the name is not checked.
			for p.peek().k != tRParen && p.peek().k != tEOF {
				p.advance()
			}
		default:
			return st, errorf(t.pos, "unknown item type %s()", t.v)
		}
		if _, err := p.expect(tRParen); err != nil {
			return st, err
		}
		if st.item == "empty" {
			return st, nil
		}
	case t.k == tName:
		p.advance()
		st.item = "atomic"
		st.aname = t.v
	default:
		return st, errorf(t.pos, "expected a type name, found %s", t)
	}
	switch n := p.peek(); {
	case n.k == tQuest:
		st.occ = '?'
		p.advance()
	case !single && n.k == tStar:
		st.occ = '*'
		p.advance()
	case !single && n.k == tPlus:
		st.occ = '+'
		p.advance()
	}
	return st, nil
}

func (p *parser) unary() (ast, error) {
	t := p.peek()
	if t.k == tMinus || t.k == tPlus {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.advance()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &aUnary{p: t.pos, neg: t.k == tMinus, x: x}, nil
	}
	return p.simpleMap()
}

func (p *parser) simpleMap() (ast, error) {
	l, err := p.path()
	if err != nil {
		return nil, err
	}
	for p.peek().k == tBang {
		t := p.advance()
		r, err := p.path()
		if err != nil {
			return nil, err
		}
		l = &aBinary{p: t.pos, op: opMap, l: l, r: r}
	}
	return l, nil
}

// startsStep reports whether t can begin a relative path step.
func startsStep(t token) bool {
	switch t.k {
	case tName, tStar, tNsWild, tLocalWild, tAt, tDot, tDot2, tAxis, tVar, tString,
		tInteger, tDecimal, tDouble, tLParen:
		return true
	}
	return false
}

func (p *parser) path() (ast, error) {
	t := p.peek()
	switch t.k {
	case tSlash:
		p.advance()
		path := &aPath{p: t.pos, root: 1}
		if !startsStep(p.peek()) || p.operatorWord() {
			return path, nil
		}
		return p.relPath(path, false)
	case tSlash2:
		p.advance()
		return p.relPath(&aPath{p: t.pos, root: 2}, true)
	}
	path := &aPath{p: t.pos}
	e, err := p.relPath(path, false)
	if err != nil {
		return nil, err
	}
	// A relative path of one filter step is just that expression.
	if len(path.steps) == 1 && path.steps[0].expr != nil {
		s := path.steps[0]
		if len(s.preds) == 0 {
			return s.expr, nil
		}
		return &aFilter{p: s.p, x: s.expr, preds: s.preds}, nil
	}
	return e, nil
}

// operatorWord reports whether the next token is a name that, after a lone
// "/", must be an operator ("/ and ...", "/ = x" is handled by startsStep).
func (p *parser) operatorWord() bool {
	t := p.peek()
	if t.k != tName || t.lparen {
		return false
	}
	switch t.v {
	case "and", "or", "div", "idiv", "mod", "union", "intersect", "except", "to", "eq", "ne", "lt",
		"le", "gt", "ge", "is", "instance", "treat", "castable", "cast", "return", "satisfies", "then", "else", "in":
		n := p.peekAt(1)
		return n.k != tSlash && n.k != tSlash2 && n.k != tLBracket
	}
	return false
}

func (p *parser) relPath(path *aPath, desc bool) (ast, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	for {
		s, err := p.step()
		if err != nil {
			return nil, err
		}
		s.desc = desc
		path.steps = append(path.steps, s)
		switch p.peek().k {
		case tSlash:
			desc = false
		case tSlash2:
			desc = true
		default:
			return path, nil
		}
		p.advance()
	}
}

var kindTests = map[string]testKind{
	"node": testNode, "text": testText, "element": testElement, "attribute": testAttribute,
	"document-node": testDocument, "comment": testComment, "processing-instruction": testPI,
}

func (p *parser) step() (*aStep, error) {
	t := p.peek()
	s := &aStep{p: t.pos}
	switch t.k {
	case tDot2:
		p.advance()
		s.axis = axParent
		s.test = nodeTest{kind: testNode}
		return s, p.predicates(s)
	case tAt:
		p.advance()
		s.axis = axAttribute
		test, err := p.nodeTest()
		if err != nil {
			return nil, err
		}
		s.test = test
		return s, p.predicates(s)
	case tAxis:
		p.advance()
		ax, ok := axisNames[t.v]
		if !ok {
			return nil, errorf(t.pos, "unknown axis %s::", t.v)
		}
		if ax == axNamespace {
			return nil, errorf(t.pos, "the namespace axis is not supported")
		}
		s.axis = ax
		test, err := p.nodeTest()
		if err != nil {
			return nil, err
		}
		s.test = test
		return s, p.predicates(s)
	case tStar, tNsWild, tLocalWild:
		test, err := p.nodeTest()
		if err != nil {
			return nil, err
		}
		s.test = test
		return s, p.predicates(s)
	case tName:
		if _, kind := kindTests[t.v]; kind && t.lparen {
			test, err := p.nodeTest()
			if err != nil {
				return nil, err
			}
			s.test = test
			if test.kind == testAttribute {
				s.axis = axAttribute
			}
			return s, p.predicates(s)
		}
		if !t.lparen {
			test, err := p.nodeTest()
			if err != nil {
				return nil, err
			}
			s.test = test
			return s, p.predicates(s)
		}
	}
	e, err := p.primary()
	if err != nil {
		return nil, err
	}
	s.expr = e
	return s, p.predicates(s)
}

func (p *parser) nodeTest() (nodeTest, error) {
	t := p.advance()
	switch t.k {
	case tStar:
		return nodeTest{kind: testAny}, nil
	case tNsWild:
		return nodeTest{kind: testNsWild, prefix: t.v}, nil
	case tLocalWild:
		return nodeTest{kind: testLocalWild, local: t.v}, nil
	case tName:
		if k, ok := kindTests[t.v]; ok && t.lparen {
			p.advance() // (
			nt := nodeTest{kind: k}
			if n := p.peek(); (k == testElement || k == testAttribute) && (n.k == tName || n.k == tStar) {
				p.advance()
				if n.k == tName {
					nt.prefix, nt.local = splitQName(n.v)
				}
				if p.peek().k == tComma {
					return nt, errorf(p.peek().pos, "typed element and attribute tests are not supported")
				}
			} else if k == testPI && (n.k == tName || n.k == tString) {
				p.advance()
				nt.local = n.v
			}
			if _, err := p.expect(tRParen); err != nil {
				return nt, err
			}
			return nt, nil
		}
		prefix, local := splitQName(t.v)
		return nodeTest{kind: testName, prefix: prefix, local: local}, nil
	}
	return nodeTest{}, errorf(t.pos, "expected a name test, found %s", t)
}

func splitQName(q string) (prefix, local string) {
	for i := 0; i < len(q); i++ {
		if q[i] == ':' {
			return q[:i], q[i+1:]
		}
	}
	return "", q
}

func (p *parser) predicates(s *aStep) error {
	for p.peek().k == tLBracket {
		p.advance()
		e, err := p.expr()
		if err != nil {
			return err
		}
		if _, err := p.expect(tRBracket); err != nil {
			return err
		}
		s.preds = append(s.preds, e)
	}
	return nil
}

func (p *parser) primary() (ast, error) {
	t := p.peek()
	switch t.k {
	case tString:
		p.advance()
		return &aLiteral{p: t.pos, it: strItem(t.v)}, nil
	case tInteger:
		p.advance()
		if v, err := strconv.ParseInt(t.v, 10, 64); err == nil {
			return &aLiteral{p: t.pos, it: intItem(v)}, nil
		}
		d, err := decimal.NewFromString(t.v)
		if err != nil {
			return nil, errorf(t.pos, "malformed number %q", t.v)
		}
		return &aLiteral{p: t.pos, it: bigIntItem(d)}, nil
	case tDecimal:
		p.advance()
		d, err := decimal.NewFromString(t.v)
		if err != nil {
			return nil, errorf(t.pos, "malformed number %q", t.v)
		}
		return &aLiteral{p: t.pos, it: decItem(strip(d))}, nil
	case tDouble:
		p.advance()
		f, err := strconv.ParseFloat(t.v, 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, errorf(t.pos, "malformed number %q", t.v)
		}
		return &aLiteral{p: t.pos, it: dblItem(f)}, nil
	case tVar:
		p.advance()
		return &aVar{p: t.pos, name: t.v}, nil
	case tDot:
		p.advance()
		return &aContext{p: t.pos}, nil
	case tLParen:
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.advance()
		if p.peek().k == tRParen {
			p.advance()
			return &aSeq{p: t.pos}, nil
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return e, nil
	case tName:
		if t.lparen {
			return p.call()
		}
	}
	return nil, errorf(t.pos, "unexpected %s", t)
}

func (p *parser) call() (ast, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	name := p.advance()
	switch name.v {
	case "if", "typeswitch", "switch", "function", "map", "array":
		return nil, errorf(name.pos, "%s expressions are not supported", name.v)
	}
	p.advance() // (
	c := &aCall{p: name.pos, name: name.v}
	if p.peek().k == tRParen {
		p.advance()
		return c, nil
	}
	for {
		a, err := p.exprSingle()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, a)
		if p.peek().k == tComma {
			p.advance()
			continue
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return c, nil
	}
}
