package xpath

import (
	"fmt"
	"strings"
)

// User functions are the xsl:function definitions the Peppol and EHF rule
// files embed. Their bodies are a small XSLT sequence-constructor
// language: xsl:variable, xsl:sequence, xsl:value-of, xsl:choose and
// literal text, which is all those files use.

// Function is a declared user function.
type Function struct {
	Name   string // as written, for messages
	params []fparam
	result *seqType
	frame  *Frame
	body   []Instr
	// resultWhat names the result in conversion errors.
	resultWhat string
	// native, when set, is a Go implementation of the body (see
	// UseIntrinsic).
	native    func(x *Context, args []Seq) (Seq, bool)
	intrinsic string
}

type fparam struct {
	name string
	typ  *seqType
	slot int
	what string // "parameter $name of f()", for conversion errors
}

// Param is a function parameter: a name and an optional type.
type Param struct {
	Name string
	Type *SequenceType // nil: any value
}

// DeclareFunction declares a function named qname (prefix:local, resolved
// in s) with the given parameters and result type (nil: any). It returns
// the scope its body is compiled in; give the body with SetBody. Declare
// every function before compiling any expression that calls one.
func (s *Scope) DeclareFunction(qname string, params []Param, result *SequenceType) (*Function, *Scope, error) {
	prefix, local := splitQName(qname)
	if prefix == "" {
		return nil, nil, &Error{Pos: -1, Code: "XTSE0740", Msg: fmt.Sprintf("function %s must have a namespace prefix", qname)}
	}
	uri, ok := s.resolve(prefix)
	if !ok {
		return nil, nil, &Error{Pos: -1, Code: "XPST0081", Msg: fmt.Sprintf("namespace prefix %q of function %s is not declared", prefix, qname)}
	}
	if uri == NSFn || uri == NSXS || uri == NSXSL {
		return nil, nil, &Error{Pos: -1, Code: "XTSE0740", Msg: fmt.Sprintf("function %s is in a reserved namespace", qname)}
	}
	key := funcKey(s.mod, uri, local, len(params))
	if _, dup := s.c.funcs[key]; dup {
		return nil, nil, &Error{Pos: -1, Code: "XTSE0770", Msg: fmt.Sprintf("function %s with %d parameters is declared twice", qname, len(params))}
	}
	body := s.NewFrame()
	body.noFocus = true
	f := &Function{Name: qname, frame: body.frame, resultWhat: "the result of " + qname + "()"}
	if result != nil {
		t := result.t
		f.result = &t
	}
	for _, p := range params {
		fp := fparam{name: p.Name, slot: body.Let(p.Name), what: fmt.Sprintf("parameter $%s of %s()", p.Name, qname)}
		if p.Type != nil {
			t := p.Type.t
			fp.typ = &t
		}
		f.params = append(f.params, fp)
	}
	s.c.funcs[key] = f
	return f, body, nil
}

// SetBody gives the function its instructions.
func (f *Function) SetBody(body []Instr) { f.body = body }

// Instr is an instruction of a function body or variable content.
type Instr interface {
	run(x *Context, f focus, out *seqBuilder) error
}

type sequenceI struct{ e *Expr }

func (i *sequenceI) run(x *Context, f focus, out *seqBuilder) error {
	s, err := i.e.e.eval(x, f)
	if err != nil {
		return err
	}
	out.add(s)
	return nil
}

// Sequence is xsl:sequence select="e".
func Sequence(e *Expr) Instr { return &sequenceI{e: e} }

type valueOfI struct {
	e   *Expr
	sep string
}

// A text node made by xsl:value-of is represented by its string as an
// untyped value: that is what the calling expressions see when they
// atomize it.
func (i *valueOfI) run(x *Context, f focus, out *seqBuilder) error {
	s, err := i.e.e.eval(x, f)
	if err != nil {
		return err
	}
	out.add(Single(untyped(x.joinStrings(s, i.sep))))
	return nil
}

// ValueOf is xsl:value-of select="e" separator="sep".
func ValueOf(e *Expr, sep string) Instr { return &valueOfI{e: e, sep: sep} }

type textI struct{ s string }

func (i *textI) run(_ *Context, _ focus, out *seqBuilder) error {
	out.add(Single(untyped(i.s)))
	return nil
}

// Text is literal text (xsl:text, or text inside a variable).
func Text(s string) Instr { return &textI{s: s} }

// When is one branch of xsl:choose.
type When struct {
	Test *Expr
	Body []Instr
}

type chooseI struct {
	whens     []When
	otherwise []Instr
}

func (i *chooseI) run(x *Context, f focus, out *seqBuilder) error {
	for _, w := range i.whens {
		ok, err := x.ebvOf(w.Test.e, f)
		if err != nil {
			return err
		}
		if ok {
			return runAll(x, f, w.Body, out)
		}
	}
	return runAll(x, f, i.otherwise, out)
}

// Choose is xsl:choose.
func Choose(whens []When, otherwise []Instr) Instr {
	return &chooseI{whens: whens, otherwise: otherwise}
}

func runAll(x *Context, f focus, body []Instr, out *seqBuilder) error {
	for _, in := range body {
		if err := in.run(x, f, out); err != nil {
			return err
		}
	}
	return nil
}

// variableI binds a variable lazily: its value is computed when first
// used, so that an unused variable cannot fail (as in the reference
// engine).
type variableI struct {
	slot int
	e    evaluator
}

func (i *variableI) run(x *Context, f focus, _ *seqBuilder) error {
	x.stack[x.base+i.slot] = slot{state: slotLazy, e: i.e, f: f, base: x.base}
	return nil
}

// contentE evaluates variable content (a sequence constructor).
type contentE struct {
	body []Instr
	typ  *seqType
	what string
}

func (e *contentE) eval(x *Context, f focus) (Seq, error) {
	var b seqBuilder
	if err := runAll(x, f, e.body, &b); err != nil {
		return Empty, err
	}
	s := b.seq()
	if e.typ != nil {
		return x.convert(s, *e.typ, e.what)
	}
	// Without a type, content makes a temporary document whose string
	// value is the text.
	var sb strings.Builder
	for _, it := range b.items {
		sb.WriteString(x.str(it))
	}
	return Single(untyped(sb.String())), nil
}

// typedE converts a variable's select value to its declared type.
type typedE struct {
	e    evaluator
	typ  seqType
	what string
}

func (e *typedE) eval(x *Context, f focus) (Seq, error) {
	s, err := e.e.eval(x, f)
	if err != nil {
		return Empty, err
	}
	return x.convert(s, e.typ, e.what)
}

// Variable is xsl:variable: name bound to sel, or to content when sel is
// nil, converted to typ when given. It returns the scope in which the
// following instructions see the variable.
func (s *Scope) Variable(name string, sel *Expr, content []Instr, typ *SequenceType) (Instr, *Scope) {
	inner := s.Child()
	slot := inner.Let(name)
	what := "variable $" + name
	var e evaluator
	switch {
	case sel != nil:
		e = sel.e
		if typ != nil {
			e = &typedE{e: e, typ: typ.t, what: what}
		}
	default:
		c := &contentE{body: content, what: what}
		if typ != nil {
			t := typ.t
			c.typ = &t
		}
		e = c
	}
	return &variableI{slot: slot, e: e}, inner
}

// userCallE calls a user function.
type userCallE struct {
	f    *Function
	args []evaluator
}

// dropArgs pops a call's arguments, clearing them so that the stack
// keeps no sequence alive.
func (x *Context) dropArgs(base int) {
	clear(x.args[base:])
	x.args = x.args[:base]
}

func (e *userCallE) eval(x *Context, f focus) (Seq, error) {
	fn := e.f
	base := len(x.args)
	defer x.dropArgs(base)
	for i, a := range e.args {
		v, err := a.eval(x, f)
		if err != nil {
			return Empty, err
		}
		if t := fn.params[i].typ; t != nil {
			if v, err = x.convert(v, *t, fn.params[i].what); err != nil {
				return Empty, err
			}
		}
		x.args = append(x.args, v)
	}
	// A call in an argument may have grown the stack: take the view now.
	vals := x.args[base:]
	if fn.native != nil {
		if s, ok := fn.native(x, vals); ok {
			if fn.result != nil {
				return x.convert(s, *fn.result, fn.resultWhat)
			}
			return s, nil
		}
	}
	if x.calls >= maxCalls {
		return Empty, dynErr("XTDE0000", "%s() recurses too deeply", fn.Name)
	}
	x.calls++
	m := x.push(fn.frame)
	for i, p := range fn.params {
		x.setLocal(p.slot, vals[i])
	}
	var s Seq
	var err error
	if len(fn.body) == 1 {
		// A body of one xsl:sequence (u:slack, u:gln): its value, without
		// collecting it.
		if sq, ok := fn.body[0].(*sequenceI); ok {
			s, err = sq.e.e.eval(x, focus{})
			goto done
		}
	}
	{
		var b seqBuilder
		err = runAll(x, focus{}, fn.body, &b)
		s = b.seq()
	}
done:
	x.popTo(m)
	x.calls--
	if err != nil {
		return Empty, err
	}
	if fn.result != nil {
		return x.convert(s, *fn.result, fn.resultWhat)
	}
	return s, nil
}

// convert applies the function conversion rules: atomize for an atomic
// type, cast untyped values, promote numbers, check the cardinality.
func (x *Context) convert(s Seq, t seqType, what string) (Seq, error) {
	if t.item == "atomic" && s.n == 1 {
		// One value, the usual case: no slice.
		it := x.atomize(s.one)
		switch {
		case t.atom == kAnyAtomic || it.k == t.atom:
		case it.k == KUntyped:
			c, err := cast(it, t.atom)
			if err != nil {
				return Empty, err
			}
			it = c
		case t.atom == KDecimal && it.k == KInteger:
		case t.atom == KDouble && (it.k == KInteger || it.k == KDecimal):
			it = dblItem(toDouble(it))
		default:
			return Empty, dynErr("XPTY0004", "%s must be %s, not %s", what, t, it.k)
		}
		s = Single(it)
	} else if t.item == "atomic" {
		items := make([]Item, s.n)
		for i := range items {
			it := x.atomize(s.At(i))
			switch {
			case t.atom == kAnyAtomic || it.k == t.atom:
			case it.k == KUntyped:
				c, err := cast(it, t.atom)
				if err != nil {
					return Empty, err
				}
				it = c
			case t.atom == KDecimal && it.k == KInteger:
			case t.atom == KDouble && (it.k == KInteger || it.k == KDecimal):
				it = dblItem(toDouble(it))
			case t.atom == KString && it.k == KUntyped:
				it.k = KString
			default:
				return Empty, dynErr("XPTY0004", "%s must be %s, not %s", what, t, it.k)
			}
			items[i] = it
		}
		s = SeqOf(items)
	} else if t.item != "empty" && t.item != "item" {
		for i := 0; i < s.n; i++ {
			if !x.itemMatches(s.At(i), t) {
				return Empty, dynErr("XPTY0004", "%s must be %s", what, t)
			}
		}
	}
	switch t.occ {
	case 0:
		if s.n != 1 {
			return Empty, dynErr("XPTY0004", "%s must be exactly one %s, not %d items", what, t, s.n)
		}
	case '?':
		if s.n > 1 {
			return Empty, dynErr("XPTY0004", "%s must be at most one %s, not %d items", what, t, s.n)
		}
	case '+':
		if s.n == 0 {
			return Empty, dynErr("XPTY0004", "%s must not be empty", what)
		}
	}
	if t.item == "empty" && s.n > 0 {
		return Empty, dynErr("XPTY0004", "%s must be empty", what)
	}
	return s, nil
}
