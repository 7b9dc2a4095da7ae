package totals

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// The arithmetic of a check, in int64 while the figures fit. Every
// decimal.Decimal operation makes new big.Ints, and a validation checks
// the totals of every document: these give the same values, to the
// exponent, as the decimal.Decimal operations they stand for, and fall
// back to them when a figure does not fit.

// pow10 are the powers of ten that fit an int64.
var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// small is d's coefficient and exponent when the coefficient fits an
// int64 with room to negate it.
func small(d decimal.Decimal) (int64, int32, bool) {
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

// round2 is d.Round(2): to cents, halves away from zero, with exponent
// −2.
func round2(d decimal.Decimal) decimal.Decimal {
	c, e, ok := small(d)
	switch {
	case e == -2:
		return d // as Round, which returns d itself
	case !ok:
	case e > -2:
		if k := int(e) + 2; k < len(pow10) {
			if hi, lo := bits.Mul64(uint64(abs(c)), uint64(pow10[k])); hi == 0 && lo <= math.MaxInt64 {
				if c < 0 {
					return decimal.New(-int64(lo), -2)
				}
				return decimal.New(int64(lo), -2)
			}
		}
	default:
		k := -2 - int(e) // cents = c / 10^k
		if k >= len(pow10) {
			return decimal.New(0, -2) // |d| < 10^18 / 10^19: less than half a cent
		}
		q, r := c/pow10[k], c%pow10[k]
		if 2*abs(r) >= pow10[k] {
			if c < 0 {
				q--
			} else {
				q++
			}
		}
		return decimal.New(q, -2)
	}
	return d.Round(2)
}

// percentOf is amount × rate ÷ 100, exactly, with the product's exponent
// less two.
func percentOf(amount, rate decimal.Decimal) decimal.Decimal {
	ca, ea, ok1 := small(amount)
	cr, er, ok2 := small(rate)
	if e := int64(ea) + int64(er) - 2; ok1 && ok2 && e >= math.MinInt32 && e <= math.MaxInt32 {
		if hi, lo := bits.Mul64(uint64(abs(ca)), uint64(abs(cr))); hi == 0 && lo <= math.MaxInt64 {
			p := int64(lo)
			if (ca < 0) != (cr < 0) {
				p = -p
			}
			return decimal.New(p, int32(e))
		}
	}
	return amount.Mul(rate).Shift(-2)
}

func abs(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// rateKey stands for a VAT category and rate: equal rates, however
// written (25, 25.0), have the same key, as they have the same String.
type rateKey struct {
	cat string
	c   int64  // the rate's coefficient without trailing zeros
	exp int32  // and its exponent
	s   string // the rate's String, when c cannot hold it
}

func keyOf(cat string, rate decimal.Decimal) rateKey {
	c, e, ok := small(rate)
	if !ok {
		// Written out, the rate has no trailing zeros; read back, it
		// may fit after all.
		s := rate.String()
		d, err := decimal.NewFromString(s)
		if err != nil {
			return rateKey{cat: cat, s: s}
		}
		if c, e, ok = small(d); !ok {
			return rateKey{cat: cat, s: s}
		}
	}
	if c == 0 {
		return rateKey{cat: cat}
	}
	for c%10 == 0 {
		c /= 10
		e++
	}
	return rateKey{cat: cat, c: c, exp: e}
}
