package totals

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// moneyValues are decimals of every size the helpers meet: amounts and
// rates of a few digits, halves, and coefficients on both sides of 18
// digits, with trailing zeros and without.
func moneyValues(rng *rand.Rand, n int) []decimal.Decimal {
	out := []decimal.Decimal{}
	for _, s := range []string{"0", "0.000", "-0", "25", "25.0", "25.000000000000000000000", "0.005", "-0.005", "0.015", "-0.015",
		"0.0049999", "-0.0049999", "0.5", "-0.5", "0.49", "-0.51", "1.005", "-2.675", "999999999999999999", "-999999999999999999",
		"9999999999999999.995", "123456789012345678901234567890.125", "1e20", "1e-30", "5e-3", "12.3456789012345678901"} {
		out = append(out, decimal.RequireFromString(s))
	}
	for range n {
		digits := 1 + rng.Intn(22)
		var b strings.Builder
		if rng.Intn(3) == 0 {
			b.WriteByte('-')
		}
		for i := range digits {
			b.WriteByte(byte('0' + rng.Intn(10)))
			if i == digits-1-rng.Intn(digits) && i < digits-1 && !strings.Contains(b.String(), ".") {
				b.WriteByte('.')
			}
		}
		out = append(out, decimal.RequireFromString(b.String()))
	}
	return out
}

func TestRound2(t *testing.T) {
	for _, d := range moneyValues(rand.New(rand.NewSource(1)), 5000) {
		want := d.Round(2)
		if got := round2(d); !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Errorf("round2(%s) = %s (exponent %d), want %s (exponent %d)", d, got, got.Exponent(), want, want.Exponent())
		}
	}
}

func TestPercentOf(t *testing.T) {
	vs := moneyValues(rand.New(rand.NewSource(2)), 300)
	for _, a := range vs {
		for _, r := range vs[:60] {
			got := percentOf(a, r)
			exact := a.Mul(r).Shift(-2)
			if !got.Equal(exact) {
				t.Fatalf("percentOf(%s, %s) = %s, want %s", a, r, got, exact)
			}
			// Where the product has at most 16 decimals, it is what
			// Div by 100 gives too.
			if exact.Exponent() >= -16 && !got.Equal(a.Mul(r).Div(decimal.NewFromInt(100))) {
				t.Fatalf("percentOf(%s, %s) = %s, Div gives %s", a, r, got, a.Mul(r).Div(decimal.NewFromInt(100)))
			}
		}
	}
}

// Two rates have one key exactly when they are written the same.
func TestKeyOf(t *testing.T) {
	vs := moneyValues(rand.New(rand.NewSource(3)), 300)
	// Each value again with other trailing zeros, and its negation.
	for _, d := range vs[:len(vs):len(vs)] {
		vs = append(vs, d.Mul(decimal.RequireFromString("1.000")), d.Neg())
	}
	for i, a := range vs {
		for _, b := range vs[i:] {
			same := a.String() == b.String()
			if got := keyOf("S", a) == keyOf("S", b); got != same {
				t.Fatalf("keyOf(%s) == keyOf(%s) is %v; they are written %q and %q", a, b, got, a.String(), b.String())
			}
		}
	}
	if keyOf("S", decimal.NewFromInt(25)) == keyOf("Z", decimal.NewFromInt(25)) {
		t.Error("two categories at one rate have one key")
	}
}

func TestRoundsToZero(t *testing.T) {
	for _, d := range moneyValues(rand.New(rand.NewSource(4)), 2000) {
		want := d.Add(decimal.New(5, -1)).Floor().IsZero()
		if got := roundsToZero(d); got != want {
			t.Errorf("roundsToZero(%s) = %v", d, got)
		}
	}
}
