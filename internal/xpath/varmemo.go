package xpath

import (
	"fmt"
	"strings"
)

// BR-S-08 and its kin test, for each VAT breakdown and "$rate", the same
// sum over every invoice line twice (once against the taxable amount
// minus one, once plus one). An aggregate over a path that reads local
// variables is therefore remembered for the last context node and values
// of the variables it reads: identical aggregates share one entry, so the
// second sum is the first one's value.

// varMemoE remembers e's value for the last context node (when e depends
// on it) and values of the local variable slots e reads.
type varMemoE struct {
	id    int
	slots []int // local slots read by e, in the current frame
	focus bool  // e depends on the context node
	e     evaluator
}

type varMemo struct {
	ok   bool
	it   Item
	vals []Seq // by slots
	val  Seq
}

// doneLocal returns the value of local slot i when it has been computed;
// the memo never forces a variable the expression might not read.
func (x *Context) doneLocal(i int) (Seq, bool) {
	if j := x.base + i; j < len(x.stack) && x.stack[j].state == slotDone && x.stack[j].err == nil {
		return x.stack[j].val, true
	}
	return Empty, false
}

func (m *varMemoE) eval(x *Context, f focus) (Seq, error) {
	if m.focus && (f.pos == 0 || f.it.k > KAttr) {
		return m.e.eval(x, f)
	}
	for m.id >= len(x.varMemos) {
		x.varMemos = append(x.varMemos, varMemo{})
	}
	if e := &x.varMemos[m.id]; e.ok && (!m.focus || e.it.k == f.it.k && e.it.n == f.it.n && e.it.i == f.it.i) && len(e.vals) == len(m.slots) {
		hit := true
		for k, sl := range m.slots {
			v, ok := x.doneLocal(sl)
			if !ok || !sameSeq(v, e.vals[k]) {
				hit = false
				break
			}
		}
		if hit {
			return e.val, nil
		}
	}
	v, err := m.e.eval(x, f)
	e := &x.varMemos[m.id]
	e.ok = false
	if err != nil {
		// An error is not shared: another place would report its own.
		return v, err
	}
	vals := e.vals[:0]
	for _, sl := range m.slots {
		lv, ok := x.doneLocal(sl)
		if !ok {
			return v, nil
		}
		vals = append(vals, lv)
	}
	*e = varMemo{ok: true, it: f.it, vals: vals, val: v}
	return v, nil
}

// sameSeq reports whether a and b hold the same items, atomic values
// with the same type and lexical scale, so that any expression gives the
// same result on either.
func sameSeq(a, b Seq) bool {
	if a.n != b.n {
		return false
	}
	for i := 0; i < a.n; i++ {
		p, q := a.At(i), b.At(i)
		if p.k != q.k || p.e != q.e || p.n != q.n || p.i != q.i || p.s != q.s {
			return false
		}
		if (p.k == KInteger && p.n == bigInt) || (p.k == KDecimal && p.n != smallDec) {
			if !p.d.Equal(q.d) || p.d.Exponent() != q.d.Exponent() {
				return false
			}
		}
	}
	return true
}

// aggregates are the functions whose calls over a path varMemoKey
// considers: each reads a whole node set to give one small value.
var aggregates = map[string]bool{"sum": true, "count": true, "exists": true, "empty": true, "avg": true, "min": true, "max": true}

// varMemoKey returns the memo key of a and the local slots it reads, or
// "" when a is not an aggregate over a path that reads local variables
// and depends on the focus through the context node only.
func (s *Scope) varMemoKey(a ast) (string, []int) {
	c, ok := a.(*aCall)
	if !ok || len(c.args) != 1 {
		return "", nil
	}
	if prefix, local := splitQName(c.name); (prefix != "" && prefix != "fn") || !aggregates[local] {
		return "", nil
	}
	if _, ok := c.args[0].(*aPath); !ok {
		return "", nil
	}
	if _, local := s.deps(a, nil); !local {
		return "", nil
	}
	if hasCall(a, "position") || hasCall(a, "last") {
		return "", nil
	}
	t := *s
	var slots []int
	t.canonSlots = &slots
	var b strings.Builder
	if !t.canon(a, nil, &b) {
		return "", nil
	}
	key := b.String()
	if hasCall(a, "key") {
		key = fmt.Sprintf("m%d:", s.mod) + key
	}
	return key, slots
}

// varMemoID is the memo id for key.
func (s *Scope) varMemoID(key string) int {
	if s.c.varMemos == nil {
		s.c.varMemos = map[string]int{}
	}
	id, ok := s.c.varMemos[key]
	if !ok {
		id = len(s.c.varMemos)
		s.c.varMemos[key] = id
	}
	return id
}
