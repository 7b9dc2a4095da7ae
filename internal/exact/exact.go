// Package exact does the decimal arithmetic of the rules on
// shopspring/decimal values, with the same results to the exponent, in
// int64 while the figures fit. Every decimal.Decimal operation makes new
// big.Ints; a rule pack does thousands per document. Whenever a figure
// does not fit, the functions fall back to decimal.Decimal itself.
package exact

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// small is the coefficient and exponent of d when the coefficient has at
// most 18 digits.
func small(d decimal.Decimal) (c int64, exp int32, ok bool) {
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// scale is c × 10^k for k ≥ 0, unless that overflows.
func scale(c int64, k int64) (int64, bool) {
	if k == 0 {
		return c, true
	}
	if k < 0 || k >= int64(len(pow10)) || c == math.MinInt64 {
		return 0, c == 0
	}
	neg := c < 0
	if neg {
		c = -c
	}
	hi, lo := bits.Mul64(uint64(c), uint64(pow10[k]))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// align brings a×10^ea and b×10^eb to the smaller exponent.
func align(a int64, ea int32, b int64, eb int32) (int64, int64, int32, bool) {
	var ok bool
	switch {
	case ea > eb:
		a, ok = scale(a, int64(ea)-int64(eb))
		return a, b, eb, ok
	case eb > ea:
		b, ok = scale(b, int64(eb)-int64(ea))
		return a, b, ea, ok
	}
	return a, b, ea, true
}

// sum is a + b unless it overflows (or is math.MinInt64, which has no
// negation).
func sum(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) || s == math.MinInt64 {
		return 0, false
	}
	return s, true
}

// Add is a.Add(b).
func Add(a, b decimal.Decimal) decimal.Decimal {
	if ca, ea, ok := small(a); ok {
		if cb, eb, ok := small(b); ok {
			if x, y, e, ok := align(ca, ea, cb, eb); ok {
				if s, ok := sum(x, y); ok {
					return decimal.New(s, e)
				}
			}
		}
	}
	return a.Add(b)
}

// Sub is a.Sub(b).
func Sub(a, b decimal.Decimal) decimal.Decimal {
	if ca, ea, ok := small(a); ok {
		if cb, eb, ok := small(b); ok {
			if x, y, e, ok := align(ca, ea, cb, eb); ok {
				if s, ok := sum(x, -y); ok {
					return decimal.New(s, e)
				}
			}
		}
	}
	return a.Sub(b)
}

// Mul is a.Mul(b).
func Mul(a, b decimal.Decimal) decimal.Decimal {
	ca, ea, ok1 := small(a)
	cb, eb, ok2 := small(b)
	if e := int64(ea) + int64(eb); ok1 && ok2 && e >= math.MinInt32 && e <= math.MaxInt32 {
		hi, lo := bits.Mul64(uint64(abs(ca)), uint64(abs(cb)))
		if hi == 0 && lo <= math.MaxInt64 {
			p := int64(lo)
			if (ca < 0) != (cb < 0) {
				p = -p
			}
			return decimal.New(p, int32(e))
		}
	}
	return a.Mul(b)
}

// Abs is a.Abs().
func Abs(a decimal.Decimal) decimal.Decimal {
	if a.Sign() >= 0 {
		return a
	}
	if c, e, ok := small(a); ok {
		return decimal.New(-c, e)
	}
	return a.Abs()
}

// Cmp is a.Cmp(b).
func Cmp(a, b decimal.Decimal) int {
	if ca, ea, ok := small(a); ok {
		if cb, eb, ok := small(b); ok {
			if x, y, _, ok := align(ca, ea, cb, eb); ok {
				switch {
				case x < y:
					return -1
				case x > y:
					return 1
				}
				return 0
			}
		}
	}
	return a.Cmp(b)
}

// Equal is a.Equal(b).
func Equal(a, b decimal.Decimal) bool { return Cmp(a, b) == 0 }

// Round is XPath's round(d × 10^places) div 10^places for xs:decimal:
// halves go towards positive infinity (round(-2.5) is -2). The result has
// exponent -places, as d.Shift(places).Add(0.5).Floor().Shift(-places)
// gives it.
func Round(d decimal.Decimal, places int32) decimal.Decimal {
	if c, e, ok := small(d); ok {
		k := -(int64(e) + int64(places)) // d × 10^places = c / 10^k
		switch {
		case k <= 0:
			if r, ok := scale(c, -k); ok {
				return decimal.New(r, -places)
			}
		case k > 18:
			// |c / 10^k| < 0.1: it rounds to zero.
			return decimal.New(0, -places)
		default:
			// floor(c/10^k + 1/2) = floor((2c + 10^k) / (2·10^k))
			n, m := 2*c+pow10[k], 2*pow10[k]
			q := n / m
			if n%m != 0 && n < 0 {
				q--
			}
			return decimal.New(q, -places)
		}
	}
	half := decimal.New(5, -1)
	return d.Shift(places).Add(half).Floor().Shift(-places)
}

func abs(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// Sum adds decimals as a chain of Decimal.Add and Decimal.Sub from the
// zero Decimal would: the same value with the same exponent (the smallest
// of 0 and the terms'). The zero Sum is empty.
type Sum struct {
	c   int64
	exp int32
	big bool            // the sum no longer fits: d holds it
	d   decimal.Decimal // when big
}

// Add adds d.
func (s *Sum) Add(d decimal.Decimal) { s.add(d, false) }

// Sub subtracts d.
func (s *Sum) Sub(d decimal.Decimal) { s.add(d, true) }

func (s *Sum) add(d decimal.Decimal, neg bool) {
	if !s.big {
		if c, e, ok := small(d); ok {
			if neg {
				c = -c
			}
			if a, b, exp, ok := align(s.c, s.exp, c, e); ok {
				if r, ok := sum(a, b); ok {
					s.c, s.exp = r, exp
					return
				}
			}
		}
		s.big, s.d = true, decimal.New(s.c, s.exp)
	}
	if neg {
		s.d = s.d.Sub(d)
	} else {
		s.d = s.d.Add(d)
	}
}

// Value is the sum.
func (s *Sum) Value() decimal.Decimal {
	if s.big {
		return s.d
	}
	return decimal.New(s.c, s.exp)
}

// CmpDiff compares |a − b| with tol, as a.Sub(b).Abs().Cmp(tol) does.
func CmpDiff(a, b, tol decimal.Decimal) int {
	ca, ea, ok1 := small(a)
	cb, eb, ok2 := small(b)
	ct, et, ok3 := small(tol)
	if ok1 && ok2 && ok3 {
		if x, y, e, ok := align(ca, ea, cb, eb); ok {
			if d, ok := sum(x, -y); ok {
				if d, t, _, ok := align(abs(d), e, ct, et); ok {
					switch {
					case d < t:
						return -1
					case d > t:
						return 1
					}
					return 0
				}
			}
		}
	}
	return a.Sub(b).Abs().Cmp(tol)
}
