package totals

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// The sums and comparisons below are exact, as decimal.Decimal's are,
// but done in int64 while the figures fit, which they do for any real
// invoice: every decimal.Decimal operation makes a new big.Int, and a
// 10,000-line invoice would make several per line. Whenever a figure
// does not fit, they fall back to decimal.Decimal.

// small is the coefficient and exponent of d when the coefficient has at
// most 18 digits.
func small(d decimal.Decimal) (c int64, exp int32, ok bool) {
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// scale is c × 10^k, k ≥ 0, unless that overflows.
func scale(c int64, k int32) (int64, bool) {
	if k == 0 {
		return c, true
	}
	if k < 0 || int(k) >= len(pow10) {
		return 0, c == 0
	}
	hi, lo := bits.Mul64(uint64(abs64(c)), uint64(pow10[k]))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if c < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

func abs64(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// align brings a×10^ea and b×10^eb to the smaller exponent.
func align(a int64, ea int32, b int64, eb int32) (int64, int64, int32, bool) {
	var ok bool
	switch {
	case ea > eb:
		a, ok = scale(a, ea-eb)
		return a, b, eb, ok
	case eb > ea:
		b, ok = scale(b, eb-ea)
		return a, b, ea, ok
	}
	return a, b, ea, true
}

// add is a + b unless it overflows.
func add(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

// sum adds decimals as a chain of Decimal.Add from zero would: the same
// value with the same exponent (the smallest of 0 and the addends').
type sum struct {
	c   int64
	exp int32
	big bool            // the sum no longer fits: d holds it
	d   decimal.Decimal // when big
}

// add adds d, or subtracts it when neg.
func (s *sum) add(d decimal.Decimal, neg bool) {
	if !s.big {
		if c, e, ok := small(d); ok {
			if neg {
				c = -c
			}
			if a, b, exp, ok := align(s.c, s.exp, c, e); ok {
				if r, ok := add(a, b); ok {
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

// value is the sum as a Decimal.
func (s *sum) value() decimal.Decimal {
	if s.big {
		return s.d
	}
	return decimal.New(s.c, s.exp)
}

// cmpDiff compares |a − b| with tol, as a.Sub(b).Abs().Cmp(tol) does.
func cmpDiff(a, b, tol decimal.Decimal) int {
	ca, ea, ok1 := small(a)
	cb, eb, ok2 := small(b)
	ct, et, ok3 := small(tol)
	if ok1 && ok2 && ok3 {
		if x, y, e, ok := align(ca, ea, cb, eb); ok {
			if d, ok := add(x, -y); ok {
				if d, t, _, ok := align(abs64(d), e, ct, et); ok {
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

// mul is a × b as a.Mul(b) gives it.
func mul(a, b decimal.Decimal) decimal.Decimal {
	ca, ea, ok1 := small(a)
	cb, eb, ok2 := small(b)
	if e := int64(ea) + int64(eb); ok1 && ok2 && e >= math.MinInt32 && e <= math.MaxInt32 {
		hi, lo := bits.Mul64(uint64(abs64(ca)), uint64(abs64(cb)))
		if hi == 0 && lo <= math.MaxInt64 {
			p := int64(lo)
			if (ca < 0) != (cb < 0) {
				p = -p
			}
			return decimal.New(p, ea+eb)
		}
	}
	return a.Mul(b)
}
