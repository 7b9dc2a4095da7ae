package xpath

import (
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"
)

// bigItem holds a decimal in math/big form, as values too large for the
// small form are.
func bigItem(d decimal.Decimal) Item { return Item{k: KDecimal, d: d} }

// The small decimals give what math/big gives, coefficient and exponent
// alike (the exponent decides the scale of a later division).
func TestSmallDecimalAgreesWithBig(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	gen := func() decimal.Decimal {
		var c int64
		switch rng.Intn(4) {
		case 0:
			c = rng.Int63n(2000) - 1000
		case 1:
			c = rng.Int63n(2_000_000_000) - 1_000_000_000
		case 2:
			c = rng.Int63() >> uint(rng.Intn(63))
			if rng.Intn(2) == 0 {
				c = -c
			}
		default:
			c = int64(rng.Intn(3)-1) * 1000
		}
		return decimal.New(c, int32(rng.Intn(12)-8))
	}
	same := func(a, b Item) bool {
		x, y := a.dec(), b.dec()
		return a.k == b.k && x.Equal(y) && x.Exponent() == y.Exponent() && x.Coefficient().Cmp(y.Coefficient()) == 0
	}
	for i := 0; i < 50000; i++ {
		A, B := gen(), gen()
		if rng.Intn(3) == 0 {
			A, B = strip(A), strip(B)
		}
		sa, sb := decItem(A), decItem(B)
		if rng.Intn(4) == 0 {
			sb = intItem(B.IntPart())
		}
		ba, bb := bigItem(sa.dec()), bigItem(sb.dec())
		if sb.k == KInteger {
			bb = Item{k: KInteger, n: bigInt, d: sb.dec()}
		}
		for _, o := range []op{opAdd, opSub, opMul, opDiv} {
			got, err1 := arith(sa, sb, o)
			want, err2 := arith(ba, bb, o)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s %s %s: error %v, want %v", A, o, B, err1, err2)
			}
			if err1 == nil && !same(got, want) {
				t.Fatalf("%s %s %s: %s (exp %d), want %s (exp %d)", A, o, B, got.dec(), got.dec().Exponent(), want.dec(), want.dec().Exponent())
			}
		}
		for _, o := range []op{opVEq, opVLt, opVGt} {
			got, _ := compareAtoms(sa, sb, o)
			want, _ := compareAtoms(ba, bb, o)
			if got != want {
				t.Fatalf("%s %s %s: %v, want %v", A, o, B, got, want)
			}
		}
		if got, want := toDouble(sa), toDouble(ba); got != want {
			t.Fatalf("double of %s: %v, want %v", A, got, want)
		}
		if got, want := atomString(sa), A.String(); got != want {
			t.Fatalf("string of %s: %q", A, got)
		}
	}
}

// Casting text to xs:decimal gives the same item on both paths.
func TestParseSmallDecimal(t *testing.T) {
	for _, s := range []string{"0", "-0", "+0.00", "1.50", " 12.3400\n", "100", "100.", ".5", "-.5", "123456789012345678", "1234567890123456789",
		"0.000000000000000001", "1,5", "", ".", "-", "1.2.3", "1e5", "\u00a01", "00012.000"} {
		got, ok1 := parseSmallDecimal(s)
		d, ok2 := parseDecimal(s)
		if !ok1 {
			continue // the general path decides
		}
		if !ok2 {
			t.Fatalf("%q: small path accepts what the general one refuses", s)
		}
		if g := got.dec(); !g.Equal(d) || g.Exponent() != d.Exponent() {
			t.Fatalf("%q: %s (exp %d), want %s (exp %d)", s, g, g.Exponent(), d, d.Exponent())
		}
	}
}

// round() and abs() of small decimals give what math/big gives,
// coefficient and exponent alike.
func TestRoundAbsSmallAgreesWithBig(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	same := func(a, b Item) bool {
		x, y := a.dec(), b.dec()
		return a.k == b.k && x.Equal(y) && x.Exponent() == y.Exponent() && x.Coefficient().Cmp(y.Coefficient()) == 0
	}
	tried := 0
	for i := 0; i < 100000; i++ {
		var c int64
		switch rng.Intn(4) {
		case 0:
			c = rng.Int63n(20000) - 10000
		case 1:
			c = rng.Int63() >> uint(rng.Intn(63))
		case 2:
			c = int64(rng.Intn(2001)-1000)*5 + []int64{0, 5, -5}[rng.Intn(3)]
		default:
			c = maxSmallCoef - 1 - rng.Int63n(3)
		}
		if rng.Intn(2) == 0 {
			c = -c
		}
		e, p := int32(rng.Intn(30)-22), int32(rng.Intn(24)-6)
		A := decimal.New(c, e)
		it := decItem(A)
		if it.n != smallDec {
			continue
		}
		tried++
		want := decItem(roundDecimal(A, p))
		if got, ok := roundSmall(it.i, int32(it.e), p); ok && !same(got, want) {
			t.Fatalf("round(%s, %d) = %s (exp %d), want %s (exp %d)", A, p, got.dec(), got.dec().Exponent(), want.dec(), want.dec().Exponent())
		}
		abs := Single(decItem(A.Abs()))
		call := &callE{name: "abs", args: []evaluator{&litE{v: Single(it)}}}
		if got, err := fnAbs(nil, focus{}, call); err != nil || !same(got.one, abs.one) {
			t.Fatalf("abs(%s) = %s (exp %d), %v", A, got.one.dec(), got.one.dec().Exponent(), err)
		}
	}
	if tried < 50000 {
		t.Fatalf("only %d small decimals tried", tried)
	}
}

// sum() of small integers and decimals gives what adding them one by one
// with arith gives, kind, coefficient and exponent alike.
func TestSumSmallAgreesWithArith(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	same := func(a, b Item) bool {
		x, y := a.dec(), b.dec()
		return a.k == b.k && x.Equal(y) && x.Exponent() == y.Exponent() && x.Coefficient().Cmp(y.Coefficient()) == 0
	}
	answered := 0
	for i := 0; i < 20000; i++ {
		n := 2 + rng.Intn(6)
		items := make([]Item, n)
		for j := range items {
			var c int64
			switch rng.Intn(3) {
			case 0:
				c = rng.Int63n(200000) - 100000
			case 1:
				c = rng.Int63() >> uint(rng.Intn(63))
			default:
				c = int64(rng.Intn(5)) * 100
			}
			if rng.Intn(2) == 0 {
				c = -c
			}
			if rng.Intn(3) == 0 {
				items[j] = intItem(c)
			} else {
				items[j] = decItem(decimal.New(c, int32(rng.Intn(8)-6)))
			}
		}
		want := items[0]
		var err error
		for _, it := range items[1:] {
			if want, err = arith(want, it, opAdd); err != nil {
				t.Fatal(err)
			}
		}
		got, ok := sumSmall(SeqOf(items))
		if !ok {
			continue
		}
		answered++
		if !same(got, want) {
			t.Fatalf("sum of %v: %s (%s), want %s (%s)", items, got.dec(), got.k, want.dec(), want.k)
		}
	}
	if answered < 10000 {
		t.Fatalf("only %d sums answered", answered)
	}
}
