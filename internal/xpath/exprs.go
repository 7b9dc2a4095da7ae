package xpath

import (
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// The evaluator nodes for everything but paths and function calls.

type litE struct{ v Seq }

func (e *litE) eval(*Context, focus) (Seq, error) { return e.v, nil }

type ctxE struct{}

func (ctxE) eval(_ *Context, f focus) (Seq, error) {
	if f.pos == 0 {
		return Empty, dynErr("XPDY0002", "there is no context item here")
	}
	return Single(f.it), nil
}

type seqE struct{ items []evaluator }

func (e *seqE) eval(x *Context, f focus) (Seq, error) {
	var b seqBuilder
	for _, it := range e.items {
		s, err := it.eval(x, f)
		if err != nil {
			return Empty, err
		}
		b.add(s)
	}
	return b.seq(), nil
}

type localVarE struct {
	slot int
	name string
}

func (e *localVarE) eval(x *Context, _ focus) (Seq, error) { return x.local(e.slot) }

type globalVarE struct{ g *Global }

func (e *globalVarE) eval(x *Context, _ focus) (Seq, error) { return x.global(e.g) }

func (x *Context) setLocal(i int, v Seq) {
	x.stack[x.base+i] = slot{state: slotDone, val: v}
}

type forE struct {
	slot     int
	in, body evaluator
}

func (e *forE) eval(x *Context, f focus) (Seq, error) {
	in, err := e.in.eval(x, f)
	if err != nil {
		return Empty, err
	}
	var b seqBuilder
	if in.n > 1 {
		// Most bodies give one item per item ("$i - 48").
		b.items = make([]Item, 0, in.n)
	}
	for i := 0; i < in.n; i++ {
		x.setLocal(e.slot, Single(in.At(i)))
		s, err := e.body.eval(x, f)
		if err != nil {
			return Empty, err
		}
		b.add(s)
	}
	return b.seq(), nil
}

type quantE struct {
	slot     int
	every    bool
	in, body evaluator
}

func (e *quantE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	return Single(boolItem(b)), err
}

func (e *quantE) ebv(x *Context, f focus) (bool, error) {
	in, err := e.in.eval(x, f)
	if err != nil {
		return false, err
	}
	for i := 0; i < in.n; i++ {
		x.setLocal(e.slot, Single(in.At(i)))
		ok, err := x.ebvOf(e.body, f)
		if err != nil {
			return false, err
		}
		if ok != e.every {
			return ok, nil
		}
	}
	return e.every, nil
}

type letE struct {
	slot      int
	val, body evaluator
}

func (e *letE) eval(x *Context, f focus) (Seq, error) {
	v, err := e.val.eval(x, f)
	if err != nil {
		return Empty, err
	}
	x.setLocal(e.slot, v)
	return e.body.eval(x, f)
}

type ifE struct{ cond, then, els evaluator }

func (e *ifE) eval(x *Context, f focus) (Seq, error) {
	ok, err := x.ebvOf(e.cond, f)
	if err != nil {
		return Empty, err
	}
	if ok {
		return e.then.eval(x, f)
	}
	return e.els.eval(x, f)
}

func (e *ifE) ebv(x *Context, f focus) (bool, error) {
	ok, err := x.ebvOf(e.cond, f)
	if err != nil {
		return false, err
	}
	if ok {
		return x.ebvOf(e.then, f)
	}
	return x.ebvOf(e.els, f)
}

type andE struct{ l, r evaluator }

func (e *andE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	return Single(boolItem(b)), err
}

func (e *andE) ebv(x *Context, f focus) (bool, error) {
	ok, err := x.ebvOf(e.l, f)
	if err != nil || !ok {
		return false, err
	}
	return x.ebvOf(e.r, f)
}

type orE struct{ l, r evaluator }

func (e *orE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	return Single(boolItem(b)), err
}

func (e *orE) ebv(x *Context, f focus) (bool, error) {
	ok, err := x.ebvOf(e.l, f)
	if err != nil || ok {
		return ok, err
	}
	return x.ebvOf(e.r, f)
}

type genCmpE struct {
	op     op
	l, r   evaluator
	rFirst bool
	// set holds r's strings when r is a constant list of strings (a code
	// list): "=" against it is a lookup.
	set map[string]struct{}
	// lit: r is one xs:string literal (normalize-space(cbc:ID) = 'S'), to
	// which strings and nodes compare without atomizing.
	lit    string
	hasLit bool
}

// strLitCompare is ebv when r is the string literal e.lit: the same
// answers as generalCompare, which compares a string, an untyped value or
// a node's string value with it as strings.
func (x *Context) strLitCompare(e *genCmpE, f focus) (bool, error) {
	o := valueOp(e.op)
	if c, ok := e.l.(*callE); ok && c.str != nil {
		// normalize-space(), upper-case() ...: exactly one xs:string.
		s, err := c.str(x, f, c)
		if err != nil {
			return false, err
		}
		return cmpResult(strings.Compare(s, e.lit), o), nil
	}
	if p, ok := e.l.(*pathE); ok {
		if found, ok, err := x.pathStrMatch(p, f, e.lit, o); ok {
			return found, err
		}
	}
	l, err := e.l.eval(x, f)
	if err != nil || l.n == 0 {
		return false, err
	}
	for i := 0; i < l.n; i++ {
		a := l.At(i)
		var s string
		switch a.k {
		case KNode, KAttr:
			s = x.str(a)
		case KString, KUntyped:
			s = a.s
		default:
			ok, err := generalPair(a, strItem(e.lit), e.op)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
			continue
		}
		if cmpResult(strings.Compare(s, e.lit), o) {
			return true, nil
		}
	}
	return false, nil
}

// pathStrMatch compares the nodes a path selects with a string literal
// one by one, stopping at the first that fits, without collecting them
// (//cac:TaxCategory/cbc:ID = 'AE' on every line's category). ok is false
// when the path cannot be streamed or gives an atomic value; then the
// general comparison decides.
func (x *Context) pathStrMatch(p *pathE, f focus, lit string, o op) (found, ok bool, err error) {
	if len(p.needs) > 0 && p.absent(x) {
		return false, true, nil
	}
	c := collector{cmp: x, lit: lit, o: o}
	switch {
	case p.kids != nil && f.pos != 0 && f.it.k == KNode:
		x.kidPath(p.kids, p.kidAttr, xmltree.NodeID(f.it.n), &c)
	case p.simple:
		if err := x.stream(p, f, &c); err != nil {
			if err == errNested {
				return false, false, nil
			}
			return false, true, err
		}
	default:
		return false, false, nil
	}
	if c.other || c.nodes > 0 {
		return false, false, nil
	}
	return c.found, true, nil
}

// setCompare is "l = r" for a constant r of strings; ok is false when an
// item of l is not a string, and the general comparison must decide.
func (x *Context) setCompare(l Seq, set map[string]struct{}) (found, ok bool) {
	for i := 0; i < l.n; i++ {
		it := l.At(i)
		var s string
		switch it.k {
		case KNode, KAttr:
			s = x.str(it)
		case KString, KUntyped:
			s = it.s
		default:
			return false, false
		}
		if _, hit := set[s]; hit {
			return true, true
		}
	}
	return false, true
}

func (e *genCmpE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	return Single(boolItem(b)), err
}

func (e *genCmpE) ebv(x *Context, f focus) (bool, error) {
	if e.hasLit && e.set == nil {
		return x.strLitCompare(e, f)
	}
	if e.rFirst {
		r, err := e.r.eval(x, f)
		if err != nil || r.n == 0 {
			return false, err
		}
		l, err := e.l.eval(x, f)
		if err != nil {
			return false, err
		}
		if e.set != nil {
			if found, ok := x.setCompare(l, e.set); ok {
				return found, nil
			}
		}
		return x.generalCompare(l, r, e.op)
	}
	l, err := e.l.eval(x, f)
	if err != nil || l.n == 0 {
		return false, err
	}
	if e.set != nil {
		if found, ok := x.setCompare(l, e.set); ok {
			return found, nil
		}
	}
	r, err := e.r.eval(x, f)
	if err != nil {
		return false, err
	}
	return x.generalCompare(l, r, e.op)
}

type valCmpE struct {
	op   op
	l, r evaluator
}

func (e *valCmpE) eval(x *Context, f focus) (Seq, error) {
	a, ok, err := x.evalAtom(e.l, f, opDesc(e.op))
	if err != nil || !ok {
		return Empty, err
	}
	b, ok, err := x.evalAtom(e.r, f, opDesc(e.op))
	if err != nil || !ok {
		return Empty, err
	}
	if a.k == KUntyped {
		a.k = KString
	}
	if b.k == KUntyped {
		b.k = KString
	}
	r, err := compareAtoms(a, b, e.op)
	if err != nil {
		return Empty, err
	}
	return Single(boolItem(r)), nil
}

type nodeCmpE struct {
	op   op
	l, r evaluator
}

func (e *nodeCmpE) eval(x *Context, f focus) (Seq, error) {
	get := func(ev evaluator) (Item, bool, error) {
		s, err := ev.eval(x, f)
		if err != nil || s.n == 0 {
			return Item{}, false, err
		}
		if s.n > 1 || !s.one.IsNode() {
			return Item{}, false, dynErr("XPTY0004", "an operand of '%s' must be a single node", e.op)
		}
		return s.one, true, nil
	}
	a, ok, err := get(e.l)
	if err != nil || !ok {
		return Empty, err
	}
	b, ok, err := get(e.r)
	if err != nil || !ok {
		return Empty, err
	}
	c := docOrder(a, b)
	switch e.op {
	case opIs:
		return Single(boolItem(c == 0)), nil
	case opBefore:
		return Single(boolItem(c < 0)), nil
	}
	return Single(boolItem(c > 0)), nil
}

type rangeE struct{ l, r evaluator }

// maxRange bounds "a to b" so that a hostile document cannot make the
// engine build a huge sequence.
const maxRange = 1 << 20

func (e *rangeE) eval(x *Context, f focus) (Seq, error) {
	get := func(ev evaluator) (int64, bool, error) {
		it, ok, err := x.evalAtom(ev, f, opDesc(opTo))
		if err != nil || !ok {
			return 0, false, err
		}
		if it.k == KUntyped {
			it, err = cast(it, KInteger)
			if err != nil {
				return 0, false, err
			}
		}
		if it.k != KInteger || it.n == bigInt {
			return 0, false, dynErr("XPTY0004", "an operand of 'to' must be an integer, not %s", it.k)
		}
		return it.i, true, nil
	}
	a, ok, err := get(e.l)
	if err != nil || !ok {
		return Empty, err
	}
	b, ok, err := get(e.r)
	if err != nil || !ok || a > b {
		return Empty, err
	}
	if b-a >= maxRange {
		return Empty, dynErr("XPDY0130", "the range %d to %d is too long", a, b)
	}
	items := make([]Item, 0, b-a+1)
	for i := a; i <= b; i++ {
		items = append(items, intItem(i))
	}
	return SeqOf(items), nil
}

type arithE struct {
	op   op
	l, r evaluator
}

func (e *arithE) eval(x *Context, f focus) (Seq, error) {
	r, ok, err := e.atom(x, f)
	if err != nil || !ok {
		return Empty, err
	}
	return Single(r), nil
}

// atom is eval's one value, if any.
func (e *arithE) atom(x *Context, f focus) (Item, bool, error) {
	a, ok, err := x.evalAtom(e.l, f, opDesc(e.op))
	if err != nil || !ok {
		return Item{}, false, err
	}
	b, ok, err := x.evalAtom(e.r, f, opDesc(e.op))
	if err != nil || !ok {
		return Item{}, false, err
	}
	r, err := arith(a, b, e.op)
	if err != nil {
		return Item{}, false, err
	}
	return r, true, nil
}

type negE struct{ x evaluator }

func (e *negE) eval(x *Context, f focus) (Seq, error) {
	a, ok, err := x.evalAtom(e.x, f, desc{format: "the operand of unary '-'"})
	if err != nil || !ok {
		return Empty, err
	}
	r, err := negate(a)
	if err != nil {
		return Empty, err
	}
	return Single(r), nil
}

// plusE is unary plus: it checks the operand is numeric.
type plusE struct{ x evaluator }

func (e *plusE) eval(x *Context, f focus) (Seq, error) {
	a, ok, err := x.evalAtom(e.x, f, desc{format: "the operand of unary '+'"})
	if err != nil || !ok {
		return Empty, err
	}
	r, err := numericOperand(a, opAdd)
	if err != nil {
		return Empty, err
	}
	return Single(r), nil
}

type setE struct {
	op   op
	l, r evaluator
}

func (e *setE) eval(x *Context, f focus) (Seq, error) {
	l, err := e.l.eval(x, f)
	if err != nil {
		return Empty, err
	}
	r, err := e.r.eval(x, f)
	if err != nil {
		return Empty, err
	}
	for _, s := range []Seq{l, r} {
		for i := 0; i < s.n; i++ {
			if !s.At(i).IsNode() {
				return Empty, dynErr("XPTY0004", "an operand of '%s' contains an atomic value", e.op)
			}
		}
	}
	switch e.op {
	case opUnion:
		// (cac:InvoiceLine | cac:CreditNoteLine) on an invoice: one side
		// is empty and the other a path's nodes, already in order.
		if r.n == 0 && inOrder(l) {
			return l, nil
		}
		if l.n == 0 && inOrder(r) {
			return r, nil
		}
		items := make([]Item, 0, l.n+r.n)
		items = l.appendTo(items)
		items = r.appendTo(items)
		return SeqOf(sortNodes(items)), nil
	}
	in := func(it Item, s Seq) bool {
		for i := 0; i < s.n; i++ {
			if docOrder(it, s.At(i)) == 0 {
				return true
			}
		}
		return false
	}
	var items []Item
	for i := 0; i < l.n; i++ {
		it := l.At(i)
		if in(it, r) == (e.op == opIntersect) {
			items = append(items, it)
		}
	}
	return SeqOf(sortNodes(items)), nil
}

type concatE struct{ l, r evaluator }

func (e *concatE) eval(x *Context, f focus) (Seq, error) {
	a, err := x.evalString(e.l, f, opDesc(opConcat))
	if err != nil {
		return Empty, err
	}
	b, err := x.evalString(e.r, f, opDesc(opConcat))
	if err != nil {
		return Empty, err
	}
	return Single(strItem(a + b)), nil
}

type mapE struct{ l, r evaluator }

func (e *mapE) eval(x *Context, f focus) (Seq, error) {
	l, err := e.l.eval(x, f)
	if err != nil {
		return Empty, err
	}
	var b seqBuilder
	for i := 0; i < l.n; i++ {
		s, err := e.r.eval(x, focus{it: l.At(i), pos: i + 1, size: l.n})
		if err != nil {
			return Empty, err
		}
		b.add(s)
	}
	return b.seq(), nil
}

type castE struct {
	x   evaluator
	k   Kind
	opt bool // "?": the empty sequence is allowed
	tn  string
}

func (e *castE) eval(x *Context, f focus) (Seq, error) {
	r, ok, err := e.atom(x, f)
	if err != nil || !ok {
		return Empty, err
	}
	return Single(r), nil
}

// atom is eval's one value, if any.
func (e *castE) atom(x *Context, f focus) (Item, bool, error) {
	a, ok, err := x.evalAtom(e.x, f, desc{format: "the value cast to %s", name: e.tn})
	if err != nil {
		return Item{}, false, err
	}
	if !ok {
		if e.opt {
			return Item{}, false, nil
		}
		return Item{}, false, dynErr("XPTY0004", "an empty sequence cannot be cast to %s", e.tn)
	}
	r, err := cast(a, e.k)
	if err != nil {
		return Item{}, false, err
	}
	return r, true, nil
}

type castableE struct {
	x   evaluator
	k   Kind
	opt bool
}

func (e *castableE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	return Single(boolItem(b)), err
}

func (e *castableE) ebv(x *Context, f focus) (bool, error) {
	s, err := e.x.eval(x, f)
	if err != nil {
		return false, err
	}
	switch s.n {
	case 0:
		return e.opt, nil
	case 1:
		return castable(x.atomize(s.one), e.k), nil
	}
	return false, nil
}

type instanceE struct {
	x   evaluator
	typ seqType
}

func (e *instanceE) eval(x *Context, f focus) (Seq, error) {
	s, err := e.x.eval(x, f)
	if err != nil {
		return Empty, err
	}
	return Single(boolItem(x.matchesType(s, e.typ))), nil
}

type treatE struct {
	x   evaluator
	typ seqType
}

func (e *treatE) eval(x *Context, f focus) (Seq, error) {
	s, err := e.x.eval(x, f)
	if err != nil {
		return Empty, err
	}
	if !x.matchesType(s, e.typ) {
		return Empty, dynErr("XPDY0050", "the value does not match the type %s", e.typ)
	}
	return s, nil
}

// matchesType is "instance of".
func (x *Context) matchesType(s Seq, t seqType) bool {
	if t.item == "empty" {
		return s.n == 0
	}
	switch t.occ {
	case 0:
		if s.n != 1 {
			return false
		}
	case '?':
		if s.n > 1 {
			return false
		}
	case '+':
		if s.n == 0 {
			return false
		}
	}
	for i := 0; i < s.n; i++ {
		if !x.itemMatches(s.At(i), t) {
			return false
		}
	}
	return true
}

func (x *Context) itemMatches(it Item, t seqType) bool {
	switch t.item {
	case "item":
		return true
	case "node":
		return it.IsNode()
	case "attribute":
		return it.k == KAttr
	case "element":
		return it.k == KNode && x.d.Kind(xmltree.NodeID(it.n)) == xmltree.ElementNode
	case "text":
		return it.k == KNode && x.d.Kind(xmltree.NodeID(it.n)) == xmltree.TextNode
	case "document":
		return it.k == KNode && x.d.Kind(xmltree.NodeID(it.n)) == xmltree.DocumentNode
	}
	if it.IsNode() {
		return false
	}
	switch t.atom {
	case kAnyAtomic:
		return true
	case KDecimal:
		return it.k == KDecimal || it.k == KInteger
	}
	return it.k == t.atom
}

// docOrder compares two nodes' positions in document order.
func docOrder(a, b Item) int {
	if a.n != b.n {
		if a.n < b.n {
			return -1
		}
		return 1
	}
	// Same node or owner: the element comes before its attributes.
	ai, bi := int64(-1), int64(-1)
	if a.k == KAttr {
		ai = a.i
	}
	if b.k == KAttr {
		bi = b.i
	}
	switch {
	case ai < bi:
		return -1
	case ai > bi:
		return 1
	}
	return 0
}

// inOrder reports whether the nodes of s are in document order without
// duplicates.
func inOrder(s Seq) bool {
	for i := 1; i < s.n; i++ {
		if docOrder(s.many[i-1], s.many[i]) >= 0 {
			return false
		}
	}
	return true
}

// sortNodes puts nodes in document order without duplicates.
func sortNodes(items []Item) []Item {
	sorted := true
	for i := 1; i < len(items); i++ {
		if docOrder(items[i-1], items[i]) >= 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return items
	}
	slices.SortFunc(items, docOrder)
	out := items[:0]
	for i, it := range items {
		if i > 0 && docOrder(out[len(out)-1], it) == 0 {
			continue
		}
		out = append(out, it)
	}
	return out
}
