package exact

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Fixed is a decimal c × 10^e whose coefficient fits an int64: the plain
// amounts, quantities and rates that every document holds. Working on
// them this way makes no decimal.Decimal (each of which allocates big.Int
// space). Every operation says, with ok false, when its exact result does
// not fit; the caller then works in decimal.Decimal instead, so that both
// ways always give the same value. The zero Fixed is 0.
type Fixed struct {
	c int64
	e int32
}

// NewFixed is c × 10^e.
func NewFixed(c int64, e int32) Fixed { return Fixed{c, e} }

// FixedOf reads an xs:decimal lexical form (XML whitespace around it, an
// optional sign, digits with at most one point, at least one digit), as
// lexical.Decimal accepts it. ok is false when s is no xs:decimal; fits
// is false when it is one with more than 18 digits (leading and trailing
// zeros count), which the caller then reads as a decimal.Decimal.
func FixedOf(s string) (f Fixed, ok, fits bool) {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	s = s[i:j]
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	digits, dot := 0, -1
	var c int64
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9':
			digits++
			if digits <= 18 {
				c = c*10 + int64(b-'0')
			}
		case b == '.' && dot < 0:
			dot = i
		default:
			return Fixed{}, false, false
		}
	}
	switch {
	case digits == 0:
		return Fixed{}, false, false
	case digits > 18:
		return Fixed{}, true, false
	}
	if neg {
		c = -c
	}
	if dot >= 0 {
		f.e = -int32(len(s) - dot - 1)
	}
	f.c = c
	return f, true, true
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// FixedOfDec is d as a Fixed, with d's exponent, when its coefficient has
// at most 18 digits.
func FixedOfDec(d decimal.Decimal) (Fixed, bool) {
	c, e, ok := small(d)
	return Fixed{c, e}, ok
}

// Dec is f as a decimal.Decimal, with f's exponent.
func (f Fixed) Dec() decimal.Decimal { return decimal.New(f.c, f.e) }

// Coef is f's coefficient c of c × 10^e.
func (f Fixed) Coef() int64 { return f.c }

// Exp is f's exponent e of c × 10^e.
func (f Fixed) Exp() int32 { return f.e }

// Sign is -1, 0 or 1 as f is negative, zero or positive.
func (f Fixed) Sign() int {
	switch {
	case f.c < 0:
		return -1
	case f.c > 0:
		return 1
	}
	return 0
}

// Add is f + g, at the smaller of their exponents (as decimal.Add).
func (f Fixed) Add(g Fixed) (Fixed, bool) {
	x, y, e, ok := align(f.c, f.e, g.c, g.e)
	if !ok {
		return Fixed{}, false
	}
	s, ok := sum(x, y)
	return Fixed{s, e}, ok
}

// Neg is -f.
func (f Fixed) Neg() (Fixed, bool) {
	return Fixed{-f.c, f.e}, f.c != math.MinInt64
}

// Sub is f - g, at the smaller of their exponents (as decimal.Sub).
func (f Fixed) Sub(g Fixed) (Fixed, bool) {
	if g.c == math.MinInt64 {
		return Fixed{}, false
	}
	return f.Add(Fixed{-g.c, g.e})
}

// Abs is |f|.
func (f Fixed) Abs() (Fixed, bool) {
	if f.c < 0 {
		return f.Neg()
	}
	return f, true
}

// Mul is f × g, at the sum of their exponents (as decimal.Mul).
func (f Fixed) Mul(g Fixed) (Fixed, bool) {
	e := int64(f.e) + int64(g.e)
	if e < math.MinInt32 || e > math.MaxInt32 || f.c == math.MinInt64 || g.c == math.MinInt64 {
		return Fixed{}, false
	}
	hi, lo := bits.Mul64(uint64(abs(f.c)), uint64(abs(g.c)))
	if hi != 0 || lo > math.MaxInt64 {
		return Fixed{}, false
	}
	p := int64(lo)
	if (f.c < 0) != (g.c < 0) {
		p = -p
	}
	return Fixed{p, int32(e)}, true
}

// Cmp compares f and g: -1, 0 or 1.
func (f Fixed) Cmp(g Fixed) (int, bool) {
	x, y, _, ok := align(f.c, f.e, g.c, g.e)
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

// Round is Round (XPath's round(f × 10^places) div 10^places: halves go
// towards positive infinity) with exponent -places. decimal.Round, which
// takes halves away from zero, is another rounding; no rule needs it on a
// Fixed.
func (f Fixed) Round(places int32) (Fixed, bool) {
	k := -(int64(f.e) + int64(places)) // f × 10^places = c / 10^k
	switch {
	case k <= 0:
		c, ok := scale(f.c, -k)
		return Fixed{c, -places}, ok
	case k >= int64(len(pow10)) || f.c > 1<<61 || f.c < -(1<<61):
		// Let decimal.Decimal decide.
		return Fixed{}, false
	}
	// floor(c/10^k + 1/2) = floor((2c + 10^k) / (2·10^k))
	n, m := 2*f.c+pow10[k], 2*pow10[k]
	q := n / m
	if n%m != 0 && n < 0 {
		q--
	}
	return Fixed{q, -places}, true
}
