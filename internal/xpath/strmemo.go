package xpath

import "github.com/ehf-project/ehf/internal/xmltree"

// The code-list rules test 40,000 currencyID and unitCode attributes of a
// large invoice with contains(' AED AFN ... ', concat(' ',
// normalize-space(@currencyID), ' ')), nearly all with the same value. A
// test that reads the focus only through the string value of one key (.
// or one @name) and otherwise only literals, global variables and
// functions of values has the same result for the same key, so it is
// remembered for the last key seen.

// strMemoE remembers e's value for the last key's presence and string.
type strMemoE struct {
	id  int
	key evaluator // . or @name
	e   evaluator
}

type strMemo struct {
	ok      bool
	present bool
	key     string
	hasVal  bool
	val     Seq
	hasB    bool
	b       bool
}

// keyOf is the key's presence and string value, or ok false when the
// value is not to be remembered (no node focus, a container's text).
func (m *strMemoE) keyOf(x *Context, f focus) (present bool, s string, ok bool) {
	if f.pos == 0 || !f.it.IsNode() {
		return false, "", false
	}
	ks, err := m.key.eval(x, f)
	if err != nil || ks.n > 1 {
		return false, "", false
	}
	if ks.n == 0 {
		return false, "", true
	}
	it := ks.At(0)
	if it.k == KNode {
		n := xmltree.NodeID(it.n)
		if x.d.End(n)-n > 2 {
			return false, "", false
		}
	} else if it.k != KAttr {
		return false, "", false
	}
	return true, x.str(it), true
}

func (m *strMemoE) slot(x *Context) *strMemo {
	for m.id >= len(x.strMemos) {
		x.strMemos = append(x.strMemos, strMemo{})
	}
	return &x.strMemos[m.id]
}

func (m *strMemoE) eval(x *Context, f focus) (Seq, error) {
	present, k, ok := m.keyOf(x, f)
	if !ok {
		return m.e.eval(x, f)
	}
	if e := m.slot(x); e.ok && e.hasVal && e.present == present && e.key == k {
		return e.val, nil
	}
	v, err := m.e.eval(x, f)
	if err != nil {
		return v, err
	}
	e := m.slot(x)
	if !e.ok || e.present != present || e.key != k {
		*e = strMemo{ok: true, present: present, key: k}
	}
	e.hasVal, e.val = true, v
	return v, nil
}

func (m *strMemoE) ebv(x *Context, f focus) (bool, error) {
	present, k, ok := m.keyOf(x, f)
	if !ok {
		return x.ebvOf(m.e, f)
	}
	if e := m.slot(x); e.ok && e.hasB && e.present == present && e.key == k {
		return e.b, nil
	}
	b, err := x.ebvOf(m.e, f)
	if err != nil {
		return b, err
	}
	e := m.slot(x)
	if !e.ok || e.present != present || e.key != k {
		*e = strMemo{ok: true, present: present, key: k}
	}
	e.hasB, e.b = true, b
	return b, nil
}

// strKeyFns take their arguments' values only: a node argument counts by
// its presence and string value, never by its name, kind or place.
var strKeyFns = map[string]bool{
	"string": true, "normalize-space": true, "contains": true, "starts-with": true, "ends-with": true,
	"substring": true, "substring-before": true, "substring-after": true, "string-length": true,
	"concat": true, "upper-case": true, "lower-case": true, "translate": true, "matches": true,
	"replace": true, "number": true, "not": true, "boolean": true, "exists": true, "empty": true,
	"true": true, "false": true, "abs": true, "round": true, "floor": true, "ceiling": true,
}

// focusFns read the context item's string value when called without
// arguments.
var focusFns = map[string]bool{"string": true, "normalize-space": true, "string-length": true, "number": true}

// strKey returns the key (. or @name) through which alone a depends on
// the focus, or nil. The key is only ever atomized, so a's value is
// atomic and a function of the key's presence and string value.
func (s *Scope) strKey(a ast) ast {
	var key ast
	size := 0
	same := func(k ast) bool {
		if key == nil {
			key = k
			return true
		}
		switch k := k.(type) {
		case *aContext:
			_, ok := key.(*aContext)
			return ok
		case *aPath:
			p, ok := key.(*aPath)
			return ok && p.steps[0].test.prefix == k.steps[0].test.prefix && p.steps[0].test.local == k.steps[0].test.local
		}
		return false
	}
	isKey := func(a ast) bool {
		switch a := a.(type) {
		case *aContext:
			return true
		case *aPath:
			if a.root != 0 || len(a.steps) != 1 {
				return false
			}
			st := a.steps[0]
			return st.expr == nil && !st.desc && len(st.preds) == 0 && st.axis == axAttribute && st.test.kind == testName
		}
		return false
	}
	var ok func(a ast, atomized bool) bool
	ok = func(a ast, atomized bool) bool {
		size++
		if isKey(a) {
			return atomized && same(a)
		}
		switch a := a.(type) {
		case *aLiteral:
			return true
		case *aVar:
			b, found := s.lookup(a.name)
			return found && b.global != nil
		case *aCall:
			prefix, local := splitQName(a.name)
			switch {
			case prefix == "xs" && len(a.args) == 1:
			case (prefix == "" || prefix == "fn") && strKeyFns[local]:
				if len(a.args) == 0 && focusFns[local] && !same(&aContext{}) {
					return false
				}
			default:
				return false
			}
			for _, x := range a.args {
				if !ok(x, true) {
					return false
				}
			}
			return true
		case *aBinary:
			switch {
			case a.op <= opVGe, a.op >= opAdd && a.op <= opMod, a.op == opConcat:
				return ok(a.l, true) && ok(a.r, true)
			}
			return false
		case *aUnary:
			return ok(a.x, true)
		case *aType:
			return (a.op == "cast" || a.op == "castable") && ok(a.x, true)
		case *aIf:
			return ok(a.cond, true) && ok(a.then, false) && ok(a.els, false)
		}
		return false
	}
	if !ok(a, false) || key == nil || size < 6 {
		return nil
	}
	return key
}
