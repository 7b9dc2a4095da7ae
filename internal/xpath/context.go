package xpath

import (
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Context evaluates a Compiler's expressions against one document. It
// caches per-document state (resolved names, global variable values, name
// and key indexes) and is not safe for concurrent use: give each goroutine
// its own.
type Context struct {
	c        *Compiler
	d        *xmltree.Document
	ids      []xmltree.NameID // per Compiler name; unresolved until first use
	globals  []slot
	stack    []slot
	base     int
	keys     map[*Key]map[string][]xmltree.NodeID
	calls    int // depth of user function calls
	marks    []frameMark
	cache    []slot   // values of cachedE nodes for this document
	qnames   []string // prefixed names by NameID
	kids     map[xmltree.NodeID]*xmltree.ChildIndex
	root     xmltree.NodeID // the document element
	memos    []memo
	varMemos []varMemo
	// byNameMemo holds nameMemoE values: by memo id, then element name.
	byNameMemo [][]memo
	strMemos   []strMemo // by strMemoE id
	eqs        []eqData  // by eqIndex id
	eqLits     []eqLit   // by eqIndex lid
	// args holds user function calls' arguments as a stack, so that a
	// call (u:slack on every line) allocates none.
	args []Seq
	// scratch is memory for the items of an operand that are not kept
	// (evalScratch).
	scratch []Item
}

const unresolved xmltree.NameID = -2

// maxCalls bounds user function recursion (u:addPIVA recurses once per
// digit).
const maxCalls = 2000

// slot holds a variable's value; a lazy slot computes it on first use.
type slot struct {
	state uint8 // slotEmpty, slotLazy, slotBusy, slotDone, slotBool
	b     bool  // slotBool: only the effective boolean value is known
	val   Seq
	err   error
	e     evaluator
	own   *Frame
	f     focus
	base  int
}

const (
	slotEmpty uint8 = iota
	slotLazy
	slotBusy
	slotDone
	slotBool
)

// NewContext prepares to evaluate c's expressions on d.
func (c *Compiler) NewContext(d *xmltree.Document) *Context {
	x := &Context{c: c}
	x.Reset(d)
	return x
}

// Reset reuses the context for another document.
func (x *Context) Reset(d *xmltree.Document) {
	x.d = d
	if cap(x.ids) < len(x.c.names) {
		x.ids = make([]xmltree.NameID, len(x.c.names))
	}
	x.ids = x.ids[:len(x.c.names)]
	for i := range x.ids {
		x.ids[i] = unresolved
	}
	if cap(x.globals) < len(x.c.globals) {
		x.globals = make([]slot, len(x.c.globals))
	}
	x.globals = x.globals[:len(x.c.globals)]
	for i := range x.globals {
		x.globals[i] = slot{}
	}
	if cap(x.cache) < x.c.ncache {
		x.cache = make([]slot, x.c.ncache)
	}
	x.cache = x.cache[:x.c.ncache]
	for i := range x.cache {
		x.cache[i] = slot{}
	}
	x.stack = x.stack[:0]
	x.base = 0
	x.kids = nil
	x.root = xmltree.None
	if d != nil {
		x.root = d.Root()
	}
	for i := range x.memos {
		x.memos[i] = memo{}
	}
	for i := range x.varMemos {
		x.varMemos[i] = varMemo{vals: x.varMemos[i].vals[:0]}
	}
	clear(x.strMemos)
	for i := range x.byNameMemo {
		x.byNameMemo[i] = x.byNameMemo[i][:0]
	}
	clear(x.eqs)
	clear(x.eqLits)
	x.qnames = x.qnames[:0]
	x.keys = nil
	x.calls = 0
	x.marks = x.marks[:0]
}

// Document is the document being evaluated.
func (x *Context) Document() *xmltree.Document { return x.d }

// id resolves a compiler name to this document's NameID (-1 when the
// document has no such name).
func (x *Context) id(i int32) xmltree.NameID {
	for int(i) >= len(x.ids) {
		x.ids = append(x.ids, unresolved)
	}
	v := x.ids[i]
	if v == unresolved {
		v = x.d.LookupKey(x.c.nameKeys[i])
		x.ids[i] = v
	}
	return v
}

// Enter pushes the slots of frame f; every Enter needs a Leave. Rules use
// it around their lets and asserts.
func (x *Context) Enter(f *Frame) {
	x.marks = append(x.marks, x.push(f))
}

// Leave pops the frame pushed by the matching Enter.
func (x *Context) Leave() {
	m := x.marks[len(x.marks)-1]
	x.marks = x.marks[:len(x.marks)-1]
	x.popTo(m)
}

type frameMark struct{ base, top int }

func (x *Context) push(f *Frame) frameMark {
	m := frameMark{base: x.base, top: len(x.stack)}
	x.base = len(x.stack)
	for range f.size {
		x.stack = append(x.stack, slot{})
	}
	return m
}

func (x *Context) popTo(m frameMark) {
	for i := m.top; i < len(x.stack); i++ {
		x.stack[i] = slot{}
	}
	x.stack = x.stack[:m.top]
	x.base = m.base
}

// BindLazy gives local slot i of the current frame the value of e, with
// node n as context item, computed when first used.
func (x *Context) BindLazy(i int, e *Expr, n xmltree.NodeID) {
	x.stack[x.base+i] = slot{state: slotLazy, e: e.e, own: e.own, f: focus{it: nodeItem(n), pos: 1, size: 1}, base: x.base}
}

func (x *Context) local(i int) (Seq, error) {
	s := &x.stack[x.base+i]
	switch s.state {
	case slotDone:
		return s.val, s.err
	case slotLazy:
		return x.force(s, x.base+i)
	case slotBusy:
		return Empty, dynErr("XTDE0640", "variable refers to itself")
	}
	return Empty, dynErr("XPDY0002", "variable has no value")
}

// force evaluates a lazy slot: stack index si, or global -si-1 when si <
// 0.
func (x *Context) force(s *slot, si int) (Seq, error) {
	s.state = slotBusy
	e, f, own, base := s.e, s.f, s.own, s.base
	saved := x.base
	var v Seq
	var err error
	if own != nil {
		m := x.push(own)
		v, err = e.eval(x, f)
		x.popTo(m)
	} else {
		x.base = base
		v, err = e.eval(x, f)
	}
	x.base = saved
	// The stack (or the globals) may have grown and moved while
	// evaluating.
	if si >= 0 {
		s = &x.stack[si]
	} else {
		s = &x.globals[-si-1]
	}
	*s = slot{state: slotDone, val: v, err: err}
	return v, err
}

func (x *Context) global(g *Global) (Seq, error) {
	for g.index >= len(x.globals) {
		x.globals = append(x.globals, slot{})
	}
	s := &x.globals[g.index]
	switch s.state {
	case slotDone:
		return s.val, s.err
	case slotBusy:
		return Empty, dynErr("XTDE0640", "global variable $%s refers to itself", g.Name)
	}
	if g.expr == nil {
		return Empty, dynErr("XPST0008", "global variable $%s has no value", g.Name)
	}
	*s = slot{state: slotLazy, e: g.expr.e, own: g.expr.own, f: focus{it: nodeItem(0), pos: 1, size: 1}}
	return x.force(s, -g.index-1)
}

// eval evaluates a compiled expression with node n as context item.
func (x *Context) eval(e *Expr, n xmltree.NodeID) (Seq, error) {
	f := focus{it: nodeItem(n), pos: 1, size: 1}
	if e.own != nil {
		m := x.push(e.own)
		v, err := e.e.eval(x, f)
		x.popTo(m)
		return v, err
	}
	return e.e.eval(x, f)
}

// Eval evaluates e with node n as the context item.
func (x *Context) Eval(e *Expr, n xmltree.NodeID) (Seq, error) { return x.eval(e, n) }

// Bool evaluates e with node n as context item and returns its effective
// boolean value.
func (x *Context) Bool(e *Expr, n xmltree.NodeID) (bool, error) {
	f := focus{it: nodeItem(n), pos: 1, size: 1}
	if e.own != nil {
		m := x.push(e.own)
		v, err := x.ebvOf(e.e, f)
		x.popTo(m)
		return v, err
	}
	return x.ebvOf(e.e, f)
}

// String evaluates e with node n as context item and returns the string
// values of the items, separated by sep (as xsl:value-of does).
func (x *Context) String(e *Expr, n xmltree.NodeID, sep string) (string, error) {
	v, err := x.eval(e, n)
	if err != nil {
		return "", err
	}
	return x.joinStrings(v, sep), nil
}

// StringValue is the string value of an item.
func (x *Context) StringValue(it Item) string { return x.str(it) }
