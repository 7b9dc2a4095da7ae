package totals

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The int64 paths give what decimal.Decimal gives, value and exponent,
// also at and past the edges where they fall back.
func TestExactMatchesDecimal(t *testing.T) {
	fixed := []string{"0", "0.00", "1", "-1", "0.005", "-0.005", "999999999999999999", "-999999999999999999",
		"9223372036854775807", "-9223372036854775808", "123456789012345678901234567890.5", "1e20", "1e-20",
		"99.99", "100", "25", "0.01", "-12.345", "5000000000000000.00", "0.000000000000000001"}
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]decimal.Decimal, 0, 400)
	for _, s := range fixed {
		vals = append(vals, decimal.RequireFromString(s))
	}
	for range 300 {
		c := r.Int64N(2_000_000_000_000) - 1_000_000_000_000
		if r.IntN(4) == 0 {
			c = r.Int64() - r.Int64()
		}
		vals = append(vals, decimal.New(c, int32(r.IntN(12))-8))
	}
	same := func(what string, got, want decimal.Decimal) {
		t.Helper()
		if !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Fatalf("%s = %s (exp %d), want %s (exp %d)", what, got, got.Exponent(), want, want.Exponent())
		}
	}
	for i := range 4000 {
		a, b, c := vals[r.IntN(len(vals))], vals[r.IntN(len(vals))], vals[r.IntN(len(vals))]
		if i < len(vals) {
			a = vals[i]
		}
		same("mul "+a.String()+" × "+b.String(), mul(a, b), a.Mul(b))
		if got, want := cmpDiff(a, b, c.Abs()), a.Sub(b).Abs().Cmp(c.Abs()); got != want {
			t.Fatalf("cmpDiff(%s, %s, %s) = %d, want %d", a, b, c.Abs(), got, want)
		}
		var s sum
		want := decimal.Decimal{}
		for j := range 5 {
			x := vals[r.IntN(len(vals))]
			neg := j%2 == 1
			s.add(x, neg)
			if neg {
				want = want.Sub(x)
			} else {
				want = want.Add(x)
			}
		}
		same("sum", s.value(), want)
	}
	var empty sum
	same("empty sum", empty.value(), decimal.Decimal{})
}
