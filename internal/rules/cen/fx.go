package cen

import (
	"math"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/shopspring/decimal"
)

// The totals rules that every document meets read and compute their
// plain amounts as exact.Fixed: no decimal.Decimal (each of which
// allocates). Whenever a value is not plain or a step overflows, the rule
// goes the general way, with decimal.Decimal, so that the two ways always
// agree (see exact's tests).

// fxOf reads an xs:decimal of at most 18 digits (false for anything else,
// which the general reader then decides on).
func fxOf(s string) (exact.Fixed, bool) {
	f, ok, fits := exact.FixedOf(s)
	return f, ok && fits
}

// fxNode reads node n (false when absent or not a plain decimal).
func (e *ev) fxNode(n node) (exact.Fixed, bool) {
	if n == none {
		return exact.Fixed{}, false
	}
	return fxOf(e.str(n))
}

// fxWithinOne is a − 1 < want < a + 1 with a = |ta| (the ±1 tolerance of
// the VAT amount rules).
func fxWithinOne(ta, want exact.Fixed) (bool, bool) {
	a, ok0 := ta.Abs()
	lo, ok1 := a.Sub(one1)
	hi, ok2 := a.Add(one1)
	c1, ok3 := lo.Cmp(want)
	c2, ok4 := hi.Cmp(want)
	return c1 < 0 && c2 > 0, ok0 && ok1 && ok2 && ok3 && ok4
}

var one1 = exact.NewFixed(1, 0)

// fxVAT is round(|taxable| × rate / 100, 2): the VAT of a breakdown.
func fxVAT(taxable, rate exact.Fixed) (exact.Fixed, bool) {
	a, ok := taxable.Abs()
	if !ok || rate.Exp() < math.MinInt32+2 {
		return exact.Fixed{}, false
	}
	p, ok := a.Mul(exact.NewFixed(rate.Coef(), rate.Exp()-2))
	if !ok {
		return exact.Fixed{}, false
	}
	return p.Round(2)
}

// fxSum adds the plain decimals of ns; false when one is not plain or the
// sum overflows.
func (e *ev) fxSum(ns []node) (exact.Fixed, bool) {
	var acc exact.Fixed
	for _, n := range ns {
		v, ok := e.fxNode(n)
		if !ok {
			return exact.Fixed{}, false
		}
		if acc, ok = acc.Add(v); !ok {
			return exact.Fixed{}, false
		}
	}
	return acc, true
}

// numSign is the sign of num(n), read without a decimal.Decimal when the
// value is plain.
func (e *ev) numSign(n node) (int, bool) {
	if x, ok := e.fxNode(n); ok {
		return x.Sign(), true
	}
	d, ok := e.num(n)
	return d.Sign(), ok
}

// isRate makes the test whether a Percent node's xs:decimal equals rate
// (an unreadable one does not).
func (e *ev) isRate(rate decimal.Decimal) rateTest {
	rf, small := exact.FixedOfDec(rate)
	return rateTest{e: e, rate: rate, rf: rf, small: small}
}

type rateTest struct {
	e      *ev
	rate   decimal.Decimal
	rf     exact.Fixed
	small  bool
	fromFx bool // rate is rf (see isRateFx)
}

func (t rateTest) is(pc node) bool {
	if t.small {
		if x, ok := t.e.fxNode(pc); ok {
			if c, ok := x.Cmp(t.rf); ok {
				return c == 0
			}
		}
	}
	d, ok := t.e.dec(pc)
	rate := t.rate
	if t.fromFx {
		rate = t.rf.Dec()
	}
	return ok && exact.Equal(d, rate)
}

// isRateFx is isRate of a plain rate, making no decimal.Decimal unless a
// Percent is not plain.
func (e *ev) isRateFx(rate exact.Fixed) rateTest {
	return rateTest{e: e, rf: rate, small: true, fromFx: true}
}

// pow10f are the powers of ten that a float64 holds exactly.
var pow10f = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fxFloat is x as the nearest float64, when that is one correctly rounded
// division (as decimal.Decimal.Float64 gives it).
func fxFloat(x exact.Fixed) (float64, bool) {
	c, s := x.Coef(), -x.Exp()
	if s < 0 || int(s) >= len(pow10f) || c > 1<<53 || c < -(1<<53) {
		return 0, false
	}
	return float64(c) / pow10f[s], true
}

// fxWithinOneDouble is exact.WithinOne (x − 1 < s < x + 1 in xs:double)
// where it decides in float64; false (ok) where it would look closer.
func fxWithinOneDouble(x, s exact.Fixed) (in, ok bool) {
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
