package xpath

import (
	"fmt"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// focus is the context item, position and size.
type focus struct {
	it   Item
	pos  int // 0: no context item (inside a function body)
	size int
}

// evaluator is a compiled expression node.
type evaluator interface {
	eval(x *Context, f focus) (Seq, error)
}

// boolEvaluator is implemented by nodes that can give their effective
// boolean value without building a sequence.
type boolEvaluator interface {
	ebv(x *Context, f focus) (bool, error)
}

func (x *Context) ebvOf(e evaluator, f focus) (bool, error) {
	if b, ok := e.(boolEvaluator); ok {
		return b.ebv(x, f)
	}
	s, err := e.eval(x, f)
	if err != nil {
		return false, err
	}
	return x.ebv(s)
}

// ebv is the effective boolean value of a sequence.
func (x *Context) ebv(s Seq) (bool, error) {
	if s.n == 0 {
		return false, nil
	}
	it := s.At(0)
	if it.IsNode() {
		return true, nil
	}
	if s.n > 1 {
		return false, dynErr("FORG0006", "the effective boolean value of a sequence of %d atomic values is not defined", s.n)
	}
	switch it.k {
	case KBool:
		return it.boolean(), nil
	case KString, KUntyped:
		return it.s != "", nil
	case KInteger:
		if it.n == bigInt {
			return !it.d.IsZero(), nil
		}
		return it.i != 0, nil
	case KDecimal:
		if it.n == smallDec {
			return it.i != 0, nil
		}
		return !it.d.IsZero(), nil
	case KDouble:
		v := it.dbl()
		return v == v && v != 0, nil
	}
	return false, dynErr("FORG0006", "the effective boolean value of an %s is not defined", it.k)
}

// str is the string value of an item.
func (x *Context) str(it Item) string {
	switch it.k {
	case KNode:
		return x.d.Text(xmltree.NodeID(it.n))
	case KAttr:
		return x.d.Value(x.d.Attrs(xmltree.NodeID(it.n))[it.i])
	case KString, KUntyped:
		return it.s
	}
	return atomString(it)
}

// atomize returns the typed value of an item: nodes become
// xs:untypedAtomic.
func (x *Context) atomize(it Item) Item {
	if it.IsNode() {
		return untyped(x.str(it))
	}
	return it
}

func (x *Context) joinStrings(s Seq, sep string) string {
	switch s.n {
	case 0:
		return ""
	case 1:
		return x.str(s.one)
	}
	var b strings.Builder
	for i, it := range s.many {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(x.str(it))
	}
	return b.String()
}

// desc names an operand in error messages. It is formatted only when an
// error is reported, so that evaluating costs no string building.
type desc struct {
	format string // with %s for name, and %d before it when arg > 0
	name   string
	arg    int
}

func (d desc) String() string {
	switch {
	case d.arg > 0:
		return fmt.Sprintf(d.format, d.arg, d.name)
	case d.name != "":
		return fmt.Sprintf(d.format, d.name)
	}
	return d.format
}

func opDesc(o op) desc { return desc{format: "an operand of '%s'", name: o.String()} }

// evalAtom evaluates e and atomizes the result, which must have at most
// one item; ok is false for the empty sequence.
func (x *Context) evalAtom(e evaluator, f focus, what desc) (it Item, ok bool, err error) {
	// The commonest operands of arithmetic and casts give their value
	// without a sequence: the same value, emptiness and errors as the
	// general case below.
	switch e := e.(type) {
	case *litE:
		if e.v.n == 1 && !e.v.one.IsNode() {
			return e.v.one, true, nil
		}
	case *castE:
		return e.atom(x, f)
	case *arithE:
		return e.atom(x, f)
	case *pathE:
		if e.kids != nil && f.pos != 0 && f.it.k == KNode {
			if len(e.needs) > 0 && e.absent(x) {
				return Item{}, false, nil
			}
			var c collector
			x.kidPath(e.kids, e.kidAttr, xmltree.NodeID(f.it.n), &c)
			switch c.n {
			case 0:
				return Item{}, false, nil
			case 1:
				return x.atomize(c.one), true, nil
			}
			return Item{}, false, dynErr("XPTY0004", "%s must be a single value, not a sequence of %d", what, c.n)
		}
	}
	s, err := e.eval(x, f)
	if err != nil {
		return Item{}, false, err
	}
	switch s.n {
	case 0:
		return Item{}, false, nil
	case 1:
		return x.atomize(s.one), true, nil
	}
	return Item{}, false, dynErr("XPTY0004", "%s must be a single value, not a sequence of %d", what, s.n)
}

// evalString evaluates e as an optional string argument: the empty
// sequence is "".
func (x *Context) evalString(e evaluator, f focus, what desc) (string, error) {
	switch e := e.(type) {
	case *litE:
		if e.v.n == 1 && (e.v.one.k == KString || e.v.one.k == KUntyped) {
			return e.v.one.s, nil
		}
	case strEvaluator:
		return e.evalStr(x, f, what)
	}
	return x.evalStringSeq(e, f, what)
}

// evalStringSeq is evalString through the sequence e gives.
func (x *Context) evalStringSeq(e evaluator, f focus, what desc) (string, error) {
	it, ok, err := x.evalAtom(e, f, what)
	if err != nil || !ok {
		return "", err
	}
	return x.str(it), nil
}

// seqBuilder collects items.
type seqBuilder struct {
	items []Item
}

func (b *seqBuilder) add(s Seq) { b.items = s.appendTo(b.items) }

func (b *seqBuilder) seq() Seq { return SeqOf(b.items) }
