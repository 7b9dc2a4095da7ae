package xpath

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Decimal arithmetic follows the reference engine (Saxon) exactly, since
// the official rules compare amounts for equality: results are exact,
// except division, which keeps max(18, sa-sb+18) fraction digits (sa, sb:
// the operands' scales, trailing zeros removed for xs:decimal values, 0
// for xs:integer values) and rounds half toward zero.

var bigTen = big.NewInt(10)

// strip removes trailing zeros from a decimal's coefficient, as Saxon does
// for every xs:decimal it makes.
func strip(d decimal.Decimal) decimal.Decimal {
	if d.NumDigits() <= 18 {
		v := d.CoefficientInt64()
		if v == 0 {
			return decimal.Zero
		}
		if v%10 != 0 {
			return d
		}
		exp := d.Exponent()
		for v%10 == 0 {
			v /= 10
			exp++
		}
		return decimal.New(v, exp)
	}
	c := d.Coefficient()
	if c.Sign() == 0 {
		return decimal.Zero
	}
	exp := d.Exponent()
	var q, r big.Int
	changed := false
	for {
		q.QuoRem(c, bigTen, &r)
		if r.Sign() != 0 {
			break
		}
		c = new(big.Int).Set(&q)
		exp++
		changed = true
	}
	if !changed {
		return d
	}
	return decimal.NewFromBigInt(c, exp)
}

// scaleOf is the scale Saxon's division sees for a numeric item.
func scaleOf(it Item) int32 {
	if it.k == KInteger {
		return 0
	}
	if it.n == smallDec {
		return -int32(it.e)
	}
	return -it.d.Exponent()
}

// decDiv divides as Saxon does for xs:decimal.
func decDiv(a, b Item) (Item, error) {
	if r, ok := smallDecArith(a, b, opDiv); ok {
		return r, nil
	}
	A, B := a.dec(), b.dec()
	if B.IsZero() {
		return Item{}, dynErr("FOAR0001", "division by zero")
	}
	s := max(18, scaleOf(a)-scaleOf(b)+18)
	if q, ok := smallDiv(A, B, s); ok {
		return decItem(strip(q)), nil
	}
	return decItem(bigDiv(a, b)), nil
}

// bigDiv is decDiv with math/big.
func bigDiv(a, b Item) decimal.Decimal {
	A, B := a.dec(), b.dec()
	s := max(18, scaleOf(a)-scaleOf(b)+18)
	// q = round(A/B * 10^s) = round(ca * 10^(ea-eb+s) / cb)
	num := new(big.Int).Set(A.Coefficient())
	den := new(big.Int).Set(B.Coefficient())
	k := A.Exponent() - B.Exponent() + s
	if k >= 0 {
		num.Mul(num, new(big.Int).Exp(bigTen, big.NewInt(int64(k)), nil))
	} else {
		den.Mul(den, new(big.Int).Exp(bigTen, big.NewInt(int64(-k)), nil))
	}
	neg := (num.Sign() < 0) != (den.Sign() < 0)
	num.Abs(num)
	den.Abs(den)
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	// Half down: only a remainder above half rounds away from zero.
	r.Lsh(r, 1)
	if r.Cmp(den) > 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return strip(decimal.NewFromBigInt(q, -s))
}

// numericOperand atomizes an arithmetic operand: untyped values become
// xs:double.
func numericOperand(it Item, o op) (Item, error) {
	switch {
	case it.isNumeric():
		return it, nil
	case it.k == KUntyped:
		v, ok := parseDouble(it.s)
		if !ok {
			return Item{}, dynErr("FORG0001", "%s is not a number", quote(it.s))
		}
		return dblItem(v), nil
	}
	return Item{}, dynErr("XPTY0004", "%s cannot be an operand of '%s'", it.k, o)
}

// arith applies an arithmetic operator to two atomized operands.
func arith(a, b Item, o op) (Item, error) {
	var err error
	if a, err = numericOperand(a, o); err != nil {
		return Item{}, err
	}
	if b, err = numericOperand(b, o); err != nil {
		return Item{}, err
	}
	if a.k == KDouble || b.k == KDouble {
		return dblArith(toDouble(a), toDouble(b), o)
	}
	if a.k == KInteger && b.k == KInteger && a.n != bigInt && b.n != bigInt {
		if r, ok := intArith(a.i, b.i, o); ok {
			return r, nil
		}
		if b.i == 0 && (o == opIdiv || o == opMod || o == opDiv) {
			return Item{}, dynErr("FOAR0001", "division by zero")
		}
	}
	return decArith(a, b, o)
}

// intArith handles xs:integer operands that fit in int64; ok is false when
// the result does not (or for div, which gives a decimal).
func intArith(x, y int64, o op) (Item, bool) {
	switch o {
	case opAdd:
		r := x + y
		if (r > x) == (y > 0) {
			return intItem(r), true
		}
	case opSub:
		r := x - y
		if (r < x) == (y > 0) {
			return intItem(r), true
		}
	case opMul:
		if x == 0 || y == 0 {
			return intItem(0), true
		}
		r := x * y
		if r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
			return intItem(r), true
		}
	case opIdiv:
		if y != 0 && !(x == math.MinInt64 && y == -1) {
			return intItem(x / y), true
		}
	case opMod:
		if y != 0 && y != -1 {
			return intItem(x % y), true
		}
		if y == -1 {
			return intItem(0), true
		}
	}
	return Item{}, false
}

// pow10 are the powers of ten that fit in int64.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// smallArith adds, subtracts or multiplies decimals whose coefficients fit
// in int64 without math/big; ok is false when the result might not fit.
func smallArith(A, B decimal.Decimal, o op) (decimal.Decimal, bool) {
	if A.NumDigits() > 15 || B.NumDigits() > 15 {
		return decimal.Decimal{}, false
	}
	a, ea := A.CoefficientInt64(), A.Exponent()
	b, eb := B.CoefficientInt64(), B.Exponent()
	switch o {
	case opMul:
		r := a * b
		if a != 0 && (r/a != b || A.NumDigits()+B.NumDigits() > 18) {
			return decimal.Decimal{}, false
		}
		return decimal.New(r, ea+eb), true
	case opAdd, opSub:
		// Bring both to the smaller exponent.
		e := min(ea, eb)
		da, db := int(ea-e), int(eb-e)
		if da > 3 || db > 3 {
			return decimal.Decimal{}, false
		}
		a *= pow10[da]
		b *= pow10[db]
		if o == opSub {
			b = -b
		}
		return decimal.New(a+b, e), true
	}
	return decimal.Decimal{}, false
}

func decArith(a, b Item, o op) (Item, error) {
	intOp := a.k == KInteger && b.k == KInteger
	if !intOp && o != opIdiv && o != opMod {
		if r, ok := smallDecArith(a, b, o); ok {
			return r, nil
		}
	}
	A, B := a.dec(), b.dec()
	if r, ok := smallArith(A, B, o); ok {
		if intOp {
			return bigIntItem(r), nil
		}
		return decItem(strip(r)), nil
	}
	var r decimal.Decimal
	switch o {
	case opAdd:
		r = A.Add(B)
	case opSub:
		r = A.Sub(B)
	case opMul:
		r = A.Mul(B)
	case opDiv:
		return decDiv(a, b)
	case opIdiv:
		if B.IsZero() {
			return Item{}, dynErr("FOAR0001", "division by zero")
		}
		q, _ := A.QuoRem(B, 0)
		return bigIntItem(q), nil
	case opMod:
		if B.IsZero() {
			return Item{}, dynErr("FOAR0001", "division by zero")
		}
		q, _ := A.QuoRem(B, 0)
		r = A.Sub(q.Mul(B))
	default:
		return Item{}, dynErr("XPTY0004", "'%s' is not an arithmetic operator", o)
	}
	if intOp {
		return bigIntItem(r), nil
	}
	return decItem(strip(r)), nil
}

func dblArith(x, y float64, o op) (Item, error) {
	switch o {
	case opAdd:
		return dblItem(x + y), nil
	case opSub:
		return dblItem(x - y), nil
	case opMul:
		return dblItem(x * y), nil
	case opDiv:
		return dblItem(x / y), nil
	case opMod:
		return dblItem(math.Mod(x, y)), nil
	case opIdiv:
		if y == 0 {
			return Item{}, dynErr("FOAR0001", "integer division by zero")
		}
		q := x / y
		if math.IsNaN(q) || math.IsInf(q, 0) {
			return Item{}, dynErr("FOAR0002", "integer division of %s by %s overflows", formatDouble(x), formatDouble(y))
		}
		return cast(dblItem(math.Trunc(q)), KInteger)
	}
	return Item{}, dynErr("XPTY0004", "'%s' is not an arithmetic operator", o)
}

// negate is unary minus.
func negate(it Item) (Item, error) {
	it, err := numericOperand(it, opSub)
	if err != nil {
		return Item{}, err
	}
	switch it.k {
	case KDouble:
		return dblItem(-it.dbl()), nil
	case KInteger:
		if it.n != bigInt && it.i != math.MinInt64 {
			return intItem(-it.i), nil
		}
		return bigIntItem(it.dec().Neg()), nil
	}
	if it.n == smallDec {
		return smallDecItem(-it.i, int32(it.e)), nil
	}
	return decItem(it.d.Neg()), nil
}

// smallDiv is decDiv's quotient for coefficients that fit in 64 bits,
// with 128-bit intermediate products instead of math/big.
func smallDiv(A, B decimal.Decimal, s int32) (decimal.Decimal, bool) {
	if A.NumDigits() > 18 || B.NumDigits() > 18 {
		return decimal.Decimal{}, false
	}
	v, ok := smallQuo(A.CoefficientInt64(), A.Exponent(), B.CoefficientInt64(), B.Exponent(), s)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(v, -s), true
}

// smallQuo is the coefficient of decDiv's quotient (exponent -s) of a ×
// 10^ea by b × 10^eb.
func smallQuo(a int64, ea int32, b int64, eb int32, s int32) (int64, bool) {
	k := ea - eb + s
	if k < 0 || b == 0 || a == math.MinInt64 || b == math.MinInt64 {
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
	for k > 18 {
		if ua > math.MaxUint64/10 {
			return 0, false
		}
		ua *= 10
		k--
	}
	// num = ua * 10^k as 128 bits; q, r = num / ub.
	hi, lo := bits.Mul64(ua, uint64(pow10[k]))
	if hi >= ub {
		return 0, false // the quotient does not fit in 64 bits
	}
	q, r := bits.Div64(hi, lo, ub)
	// Half down: round away from zero only above half.
	if r > ub-r {
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	v := int64(q)
	if neg {
		v = -v
	}
	return v, true
}
