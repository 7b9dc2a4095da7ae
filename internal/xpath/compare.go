package xpath

import (
	"math"
	"strings"
)

// cmpResult turns a three-way comparison into the answer for a value
// comparison operator.
func cmpResult(c int, o op) bool {
	switch o {
	case opVEq:
		return c == 0
	case opVNe:
		return c != 0
	case opVLt:
		return c < 0
	case opVLe:
		return c <= 0
	case opVGt:
		return c > 0
	case opVGe:
		return c >= 0
	}
	return false
}

// valueOp maps a general comparison operator to its value comparison.
func valueOp(o op) op {
	if o >= opGEq && o <= opGGe {
		return o - opGEq + opVEq
	}
	return o
}

// compareAtoms applies a value comparison to two atomic values (untyped
// values already converted by the caller's rules).
func compareAtoms(a, b Item, o op) (bool, error) {
	switch {
	case a.isNumeric() && b.isNumeric():
		if a.k == KDouble || b.k == KDouble {
			x, y := toDouble(a), toDouble(b)
			if math.IsNaN(x) || math.IsNaN(y) {
				return o == opVNe, nil
			}
			switch {
			case x < y:
				return cmpResult(-1, o), nil
			case x > y:
				return cmpResult(1, o), nil
			}
			return cmpResult(0, o), nil
		}
		if a.k == KInteger && b.k == KInteger && a.n != bigInt && b.n != bigInt {
			switch {
			case a.i < b.i:
				return cmpResult(-1, o), nil
			case a.i > b.i:
				return cmpResult(1, o), nil
			}
			return cmpResult(0, o), nil
		}
		if c, ok := smallCmp(a, b); ok {
			return cmpResult(c, o), nil
		}
		return cmpResult(a.dec().Cmp(b.dec()), o), nil
	case isStringy(a) && isStringy(b):
		return cmpResult(strings.Compare(a.s, b.s), o), nil
	case a.k == KBool && b.k == KBool:
		return cmpResult(int(a.i-b.i), o), nil
	case a.k == KDate && b.k == KDate:
		x, y := dateMinutes(a), dateMinutes(b)
		switch {
		case x < y:
			return cmpResult(-1, o), nil
		case x > y:
			return cmpResult(1, o), nil
		}
		return cmpResult(0, o), nil
	}
	return false, dynErr("XPTY0004", "cannot compare %s with %s", a.k, b.k)
}

func isStringy(it Item) bool { return it.k == KString || it.k == KUntyped }

// dateMinutes is the start of a date in minutes since the epoch, in UTC;
// a date without timezone is taken as UTC.
func dateMinutes(it Item) int64 {
	m := it.i * 1440
	if it.n != noTZ {
		m -= int64(it.n)
	}
	return m
}

// generalPair compares one pair of a general comparison: an untyped value
// takes the type of the other operand (xs:double against a number, the
// string type against a string).
func generalPair(a, b Item, o op) (bool, error) {
	var err error
	switch {
	case a.k == KUntyped && b.k == KUntyped, a.k == KUntyped && b.k == KString, a.k == KString && b.k == KUntyped:
	case a.k == KUntyped:
		if a, err = untypedAs(a, b); err != nil {
			return false, err
		}
	case b.k == KUntyped:
		if b, err = untypedAs(b, a); err != nil {
			return false, err
		}
	}
	return compareAtoms(a, b, valueOp(o))
}

func untypedAs(u, other Item) (Item, error) {
	if other.isNumeric() {
		v, ok := parseDouble(u.s)
		if !ok {
			return Item{}, dynErr("FORG0001", "%s is not a number", quote(u.s))
		}
		return dblItem(v), nil
	}
	return cast(u, other.k)
}

// generalCompare is the existential comparison of two sequences.
func (x *Context) generalCompare(l, r Seq, o op) (bool, error) {
	for i := 0; i < l.n; i++ {
		a := x.atomize(l.At(i))
		for j := 0; j < r.n; j++ {
			b := x.atomize(r.At(j))
			ok, err := generalPair(a, b, o)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
		}
	}
	return false, nil
}
