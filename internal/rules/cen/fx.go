package cen

import (
	"math"
	"math/bits"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/shopspring/decimal"
)

// fx is a plain decimal, m × 10^-s (s ≥ 0), for the totals rules that
// every document meets: reading and adding amounts this way makes no
// decimal.Decimal (each of which allocates). Every operation says when it
// cannot give the exact result in an int64 (more than 18 digits read, an
// overflow); the rule then goes the general way, with decimal.Decimal, so
// that the two ways always agree (see fx_test.go).
type fx struct {
	m int64
	s int32
}

// fxOf reads an xs:decimal that fastDec can read.
func fxOf(s string) (fx, bool) {
	m, sc, ok := fastDec(s)
	return fx{m, int32(sc)}, ok
}

// fxNode reads node n (false when absent or not a plain decimal).
func (e *ev) fxNode(n node) (fx, bool) {
	if n == none {
		return fx{}, false
	}
	return fxOf(e.str(n))
}

// fxAlign brings a and b to the larger scale.
func fxAlign(a, b fx) (x, y int64, s int32, ok bool) {
	switch {
	case a.s < b.s:
		x, ok = mul10(a.m, int(b.s-a.s))
		return x, b.m, b.s, ok
	case b.s < a.s:
		y, ok = mul10(b.m, int(a.s-b.s))
		return a.m, y, a.s, ok
	}
	return a.m, b.m, a.s, true
}

func fxAdd(a, b fx) (fx, bool) {
	x, y, s, ok := fxAlign(a, b)
	if !ok {
		return fx{}, false
	}
	r := x + y
	if (x >= 0) == (y >= 0) && (r >= 0) != (x >= 0) || r == math.MinInt64 {
		return fx{}, false
	}
	return fx{r, s}, true
}

func fxSub(a, b fx) (fx, bool) {
	if b.m == math.MinInt64 {
		return fx{}, false
	}
	return fxAdd(a, fx{-b.m, b.s})
}

func fxMul(a, b fx) (fx, bool) {
	if a.m == math.MinInt64 || b.m == math.MinInt64 {
		return fx{}, false
	}
	hi, lo := bits.Mul64(uint64(fxAbs(a).m), uint64(fxAbs(b).m))
	if hi != 0 || lo > math.MaxInt64 || a.s+b.s > 1<<20 {
		return fx{}, false
	}
	p := int64(lo)
	if (a.m < 0) != (b.m < 0) {
		p = -p
	}
	return fx{p, a.s + b.s}, true
}

func fxAbs(a fx) fx {
	if a.m < 0 {
		a.m = -a.m
	}
	return a
}

// fxRound is XPath's round(a × 10^places) div 10^places: halves go
// towards positive infinity.
func fxRound(a fx, places int32) (fx, bool) {
	if a.s <= places {
		m, ok := mul10(a.m, int(places-a.s))
		return fx{m, places}, ok
	}
	k := a.s - places // a × 10^places = m / 10^k
	if k >= int32(len(pow10)) || a.m > 1<<61 || a.m < -(1<<61) {
		return fx{}, false
	}
	// floor(m/10^k + 1/2) = floor((2m + 10^k) / (2·10^k))
	n, d := 2*a.m+pow10[k], 2*pow10[k]
	q := n / d
	if n%d != 0 && n < 0 {
		q--
	}
	return fx{q, places}, true
}

// fxCmp compares a and b.
func fxCmp(a, b fx) (int, bool) {
	x, y, _, ok := fxAlign(a, b)
	switch {
	case !ok:
		return 0, false
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// fxWithinOne is a − 1 < want < a + 1 with a = |ta| (the ±1 tolerance of
// the VAT amount rules).
func fxWithinOne(ta, want fx) (bool, bool) {
	a := fxAbs(ta)
	lo, ok1 := fxSub(a, fx{1, 0})
	hi, ok2 := fxAdd(a, fx{1, 0})
	c1, ok3 := fxCmp(lo, want)
	c2, ok4 := fxCmp(hi, want)
	return c1 < 0 && c2 > 0, ok1 && ok2 && ok3 && ok4
}

// fxVAT is round(|taxable| × rate / 100, 2): the VAT of a breakdown.
func fxVAT(taxable, rate fx) (fx, bool) {
	p, ok := fxMul(fxAbs(taxable), fx{rate.m, rate.s + 2})
	if !ok {
		return fx{}, false
	}
	return fxRound(p, 2)
}

// fxSum adds the plain decimals of ns; false when one is not plain or the
// sum overflows.
func (e *ev) fxSum(ns []node) (fx, bool) {
	var acc fx
	for _, n := range ns {
		v, ok := e.fxNode(n)
		if !ok {
			return fx{}, false
		}
		if acc, ok = fxAdd(acc, v); !ok {
			return fx{}, false
		}
	}
	return acc, true
}

// numSign is the sign of num(n), read without a decimal.Decimal when the
// value is plain.
func (e *ev) numSign(n node) (int, bool) {
	if x, ok := e.fxNode(n); ok {
		switch {
		case x.m > 0:
			return 1, true
		case x.m < 0:
			return -1, true
		}
		return 0, true
	}
	d, ok := e.num(n)
	return d.Sign(), ok
}

// fxOfDec is d as an fx, when it fits.
func fxOfDec(d decimal.Decimal) (fx, bool) {
	if d.NumDigits() > 18 {
		return fx{}, false
	}
	c, exp := d.CoefficientInt64(), d.Exponent()
	if exp <= 0 {
		return fx{c, -exp}, true
	}
	m, ok := mul10(c, int(exp))
	return fx{m, 0}, ok
}

// isRate makes the test whether a Percent node's xs:decimal equals rate
// (an unreadable one does not).
func (e *ev) isRate(rate decimal.Decimal) rateTest {
	rf, small := fxOfDec(rate)
	return rateTest{e: e, rate: rate, rf: rf, small: small}
}

type rateTest struct {
	e      *ev
	rate   decimal.Decimal
	rf     fx
	small  bool
	fromFx bool // rate is rf (see isRateFx)
}

func (t rateTest) is(pc node) bool {
	if t.small {
		if x, ok := t.e.fxNode(pc); ok {
			if c, ok := fxCmp(x, t.rf); ok {
				return c == 0
			}
		}
	}
	d, ok := t.e.dec(pc)
	rate := t.rate
	if t.fromFx {
		rate = decimal.New(t.rf.m, -t.rf.s)
	}
	return ok && exact.Equal(d, rate)
}

// isRateFx is isRate of a plain rate, making no decimal.Decimal unless a
// Percent is not plain.
func (e *ev) isRateFx(rate fx) rateTest {
	return rateTest{e: e, rf: rate, small: true, fromFx: true}
}

// pow10f are the powers of ten that a float64 holds exactly.
var pow10f = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fxFloat is x as the nearest float64, when that is one correctly rounded
// division (as decimal.Decimal.Float64 gives it).
func fxFloat(x fx) (float64, bool) {
	if x.s < 0 || int(x.s) >= len(pow10f) || x.m > 1<<53 || x.m < -(1<<53) {
		return 0, false
	}
	return float64(x.m) / pow10f[x.s], true
}

// fxWithinOneDouble is exact.WithinOne (x − 1 < s < x + 1 in xs:double)
// where it decides in float64; false (ok) where it would look closer.
func fxWithinOneDouble(x, s fx) (in, ok bool) {
	f, ok1 := fxFloat(x)
	g, ok2 := fxFloat(s)
	if !ok1 || !ok2 {
		return false, false
	}
	lo, hi := f-1, f+1
	margin := 1e-9 * (math.Abs(g) + 1)
	switch {
	case g < lo-margin || g > hi+margin:
		return false, true
	case g > lo+margin && g < hi-margin:
		return true, true
	}
	return false, false
}
