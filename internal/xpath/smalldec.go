package xpath

import (
	"math"
	"math/bits"

	"github.com/ehf-project/ehf/internal/lexical"
)

// Amounts, quantities and percentages fit in an int64 coefficient with a
// small exponent. Items hold such decimals without math/big (see
// smallDec), and the operations the rule files apply to them most
// (casting text, +, -, *, div, comparing) run on the coefficients. Every
// result equals, coefficient and exponent alike, what the math/big code
// would give; anything that might not fit goes that way instead.

// pow10f are the powers of ten that are exact in a float64.
var pow10f = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// smallToDouble converts c × 10^e to the nearest double, when one IEEE
// operation on exact operands gives it.
func smallToDouble(c int64, e int32) (float64, bool) {
	if c > 1<<53 || c < -(1<<53) || e < -22 || e > 22 {
		return 0, false
	}
	if e >= 0 {
		return float64(c) * pow10f[e], true
	}
	return float64(c) / pow10f[-e], true
}

// mulPow10 is c × 10^k, when it fits.
func mulPow10(c int64, k int32) (int64, bool) {
	if k < 0 || k > 18 {
		return 0, false
	}
	return mul64(c, pow10[k])
}

// mul64 multiplies without overflow.
func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a == math.MinInt64 || b == math.MinInt64 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// stripSmall removes trailing zeros as strip does (zero is 0 × 10^0, as
// decimal.Zero).
func stripSmall(c int64, e int32) Item {
	if c == 0 {
		return smallDecItem(0, 0)
	}
	for c%10 == 0 {
		c /= 10
		e++
	}
	return smallDecItem(c, e)
}

// align brings a × 10^ea and b × 10^eb to one exponent.
func align(a int64, ea int32, b int64, eb int32) (x, y int64, e int32, ok bool) {
	switch {
	case ea == eb:
		return a, b, ea, true
	case ea > eb:
		x, ok = mulPow10(a, ea-eb)
		return x, b, eb, ok
	}
	y, ok = mulPow10(b, eb-ea)
	return a, y, ea, ok
}

// smallDecArith is decArith for two operands held without math/big, one
// of them an xs:decimal; ok is false when the result might not fit.
func smallDecArith(a, b Item, o op) (Item, bool) {
	ca, ea, okA := a.small()
	cb, eb, okB := b.small()
	if !okA || !okB {
		return Item{}, false
	}
	switch o {
	case opAdd, opSub:
		x, y, e, ok := align(ca, ea, cb, eb)
		if !ok || y == math.MinInt64 {
			return Item{}, false
		}
		if o == opSub {
			y = -y
		}
		r := x + y
		if (r > x) != (y > 0) && y != 0 {
			return Item{}, false
		}
		return stripSmall(r, e), true
	case opMul:
		r, ok := mul64(ca, cb)
		if !ok {
			return Item{}, false
		}
		return stripSmall(r, ea+eb), true
	case opDiv:
		if cb == 0 {
			return Item{}, false // the error comes from the general code
		}
		s := max(18, scaleOf(a)-scaleOf(b)+18)
		if q, ok := smallQuo(ca, ea, cb, eb, s); ok {
			return stripSmall(q, -s), true
		}
		return exactQuo(ca, ea, cb, eb, s)
	}
	return Item{}, false
}

// smallCmp compares two operands held without math/big; ok is false when
// they cannot be brought to one exponent.
func smallCmp(a, b Item) (int, bool) {
	ca, ea, okA := a.small()
	cb, eb, okB := b.small()
	if !okA || !okB {
		return 0, false
	}
	x, y, _, ok := align(ca, ea, cb, eb)
	if !ok {
		// Different signs still compare.
		switch {
		case ca < 0 && cb >= 0, ca == 0 && cb > 0:
			return -1, true
		case ca > 0 && cb <= 0, ca == 0 && cb < 0:
			return 1, true
		}
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// parseSmallDecimal reads the xs:decimal lexical form into a small item
// when it has at most 18 digits; ok is false otherwise (including for
// malformed text, which parseDecimal then rejects).
func parseSmallDecimal(s string) (Item, bool) {
	s = lexical.Trim(s)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	var mant int64
	exp := int32(0)
	digits, dot := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
			mant = mant*10 + int64(c-'0')
			if dot {
				exp--
			}
		case c == '.' && !dot:
			dot = true
		default:
			return Item{}, false
		}
		if digits > 18 {
			return Item{}, false
		}
	}
	if digits == 0 {
		return Item{}, false
	}
	if s[0] == '-' {
		mant = -mant
	}
	return stripSmall(mant, exp), true
}

// exactQuo is decDiv's result when b divides a × 10^j for some j up to
// the k that smallQuo scales by (price div 1, amount div 4): the quotient
// is then exact, q × 10^(k-j), and no rounding happens, so only the
// stripped q need fit.
func exactQuo(a int64, ea int32, b int64, eb int32, s int32) (Item, bool) {
	k := ea - eb + s
	if k < 0 || b == 0 || a == math.MinInt64 || b == math.MinInt64 {
		return Item{}, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	for j := int32(0); j <= k && j <= 18; j++ {
		hi, lo := bits.Mul64(ua, uint64(pow10[j]))
		if hi >= ub {
			return Item{}, false
		}
		q, r := bits.Div64(hi, lo, ub)
		if r != 0 {
			continue
		}
		if q > math.MaxInt64 {
			return Item{}, false
		}
		v := int64(q)
		if neg {
			v = -v
		}
		return stripSmall(v, k-j-s), true
	}
	return Item{}, false
}
