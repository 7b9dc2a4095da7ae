package peppol

import (
	"math"
	"math/bits"
)

// fixed is a decimal c × 10^e whose coefficient fits an int64. The
// common amounts and quantities are such numbers: working on them in
// int64 spares the big.Int that every decimal.Decimal holds. Each
// operation says when it does not fit, and the caller then works in
// decimal.Decimal as before; a fixed result is always the exact value.
type fixed struct {
	c int64
	e int32
}

// fixedOf reads the xs:decimal lexical form as lexical.Decimal does. ok
// is false when s is no decimal; fits is false when it is one with more
// than 18 digits.
func fixedOf(s string) (f fixed, ok, fits bool) {
	s = trim(s)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	digits, dot := 0, -1
	var c int64
	for i := 0; i < len(body); i++ {
		switch b := body[i]; {
		case b >= '0' && b <= '9':
			digits++
			if digits <= 18 {
				c = c*10 + int64(b-'0')
			}
		case b == '.' && dot < 0:
			dot = i
		default:
			return fixed{}, false, false
		}
	}
	if digits == 0 {
		return fixed{}, false, false
	}
	if digits > 18 {
		return fixed{}, true, false
	}
	if s[0] == '-' {
		c = -c
	}
	if dot >= 0 {
		f.e = -int32(len(body) - dot - 1)
	}
	f.c = c
	return f, true, true
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// scaleUp is c × 10^k (k ≥ 0), unless that overflows.
func scaleUp(c int64, k int32) (int64, bool) {
	if k == 0 || c == 0 {
		return c, true
	}
	if k < 0 || int(k) >= len(pow10) || c == math.MinInt64 {
		return 0, false
	}
	a := c
	if a < 0 {
		a = -a
	}
	hi, lo := bits.Mul64(uint64(a), uint64(pow10[k]))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if c < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// align gives a and b's coefficients at the smaller exponent.
func align(a, b fixed) (x, y int64, e int32, ok bool) {
	switch {
	case a.e > b.e:
		x, ok = scaleUp(a.c, a.e-b.e)
		return x, b.c, b.e, ok
	case b.e > a.e:
		y, ok = scaleUp(b.c, b.e-a.e)
		return a.c, y, a.e, ok
	}
	return a.c, b.c, a.e, true
}

// add is a + b.
func (a fixed) add(b fixed) (fixed, bool) {
	x, y, e, ok := align(a, b)
	if !ok {
		return fixed{}, false
	}
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) || s == math.MinInt64 {
		return fixed{}, false
	}
	return fixed{s, e}, true
}

// neg is -a.
func (a fixed) neg() (fixed, bool) {
	if a.c == math.MinInt64 {
		return fixed{}, false
	}
	return fixed{-a.c, a.e}, true
}

// sub is a - b.
func (a fixed) sub(b fixed) (fixed, bool) {
	nb, ok := b.neg()
	if !ok {
		return fixed{}, false
	}
	return a.add(nb)
}

// mul is a × b.
func (a fixed) mul(b fixed) (fixed, bool) {
	e := int64(a.e) + int64(b.e)
	if e < math.MinInt32 || e > math.MaxInt32 || a.c == math.MinInt64 || b.c == math.MinInt64 {
		return fixed{}, false
	}
	x, y := a.c, b.c
	neg := (x < 0) != (y < 0)
	if x < 0 {
		x = -x
	}
	if y < 0 {
		y = -y
	}
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	if hi != 0 || lo > math.MaxInt64 {
		return fixed{}, false
	}
	p := int64(lo)
	if neg {
		p = -p
	}
	return fixed{p, int32(e)}, true
}

// cmp compares a and b: -1, 0 or 1; ok is false when they cannot be
// aligned in an int64.
func (a fixed) cmp(b fixed) (int, bool) {
	x, y, _, ok := align(a, b)
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

// isOne reports whether a equals 1.
func (a fixed) isOne() bool {
	c, ok := a.cmp(fixed{1, 0})
	return ok && c == 0
}

// round2 is round(a × 100) div 100 with XPath's round (halves towards
// positive infinity), as lineNet rounds the allowance and charge sums.
func (a fixed) round2() (fixed, bool) {
	k := -(a.e + 2) // a × 100 = c / 10^k
	switch {
	case k <= 0:
		return a, true
	case k > 18:
		// |a × 100| < 1 only when c has fewer digits than k; let decimal
		// decide
		return fixed{}, false
	}
	if a.c > math.MaxInt64/2-pow10[k] || a.c < math.MinInt64/2+pow10[k] {
		return fixed{}, false
	}
	// floor(c/10^k + 1/2) = floor((2c + 10^k) / (2·10^k))
	n, m := 2*a.c+pow10[k], 2*pow10[k]
	q := n / m
	if n%m != 0 && n < 0 {
		q--
	}
	return fixed{q, -2}, true
}

// within reports whether |a - b| ≤ tol; ok is false when that does not fit.
func within(a, b, tol fixed) (in, ok bool) {
	d, ok := a.sub(b)
	if !ok {
		return false, false
	}
	if d.c < 0 {
		if d, ok = d.neg(); !ok {
			return false, false
		}
	}
	c, ok := d.cmp(tol)
	return c <= 0, ok
}
