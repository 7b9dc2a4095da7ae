package exact

import (
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

// Some official tests add to an amount in xs:double (an untyped value plus
// 1) and compare the double with xs:decimal values. The reference engine
// turns the double into a decimal exactly, its whole binary value, not the
// shortest decimal that reads back to it: 707.3 − 1 in double is a little
// below 706.3, and that decides a rule.

// FromFloat is the exact decimal value of a finite double; 0 for an
// infinity or NaN.
func FromFloat(f float64) decimal.Decimal {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return decimal.Zero
	}
	frac, exp := math.Frexp(f) // f = frac × 2^exp, 0.5 <= |frac| < 1
	mant := big.NewInt(int64(frac * (1 << 53)))
	e2 := exp - 53
	if e2 >= 0 {
		return decimal.NewFromBigInt(new(big.Int).Lsh(mant, uint(e2)), 0)
	}
	// mant / 2^k = mant × 5^k / 10^k
	k := -e2
	return decimal.NewFromBigInt(mant.Mul(mant, pow5(k)), int32(-k))
}

// pow5 is 5^k (shared: do not change it). Amounts need k up to about 60;
// those are made once.
func pow5(k int) *big.Int {
	if k < len(fives) {
		return fives[k]
	}
	return new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(k)), nil)
}

var fives = func() []*big.Int {
	t := make([]*big.Int, 128)
	t[0] = big.NewInt(1)
	for i := 1; i < len(t); i++ {
		t[i] = new(big.Int).Mul(t[i-1], big.NewInt(5))
	}
	return t
}()

// WithinOne reports whether FromFloat(x−1) < s < FromFloat(x+1), where x
// is the double of the decimal x and the sums are in double. Far from both
// bounds the doubles decide (s as a double is off by far less than the
// margin); near one, the exact values do.
func WithinOne(x, s decimal.Decimal) bool {
	f, _ := x.Float64()
	lo, hi := f-1, f+1
	g, _ := s.Float64()
	margin := 1e-9 * (math.Abs(g) + 1)
	switch {
	case g < lo-margin || g > hi+margin:
		return false
	case g > lo+margin && g < hi-margin:
		return true
	}
	return Cmp(FromFloat(lo), s) < 0 && Cmp(FromFloat(hi), s) > 0
}
