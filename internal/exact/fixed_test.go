package exact

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/lexical"
	"github.com/shopspring/decimal"
)

// randomLexical writes a decimal-ish string: mostly valid, of every length
// around the int64 limit, now and then at the edges (zeros, halves, the
// most digits), with XML whitespace, or not a decimal at all.
func randomLexical(rng *rand.Rand) string {
	if rng.Intn(8) == 0 {
		return []string{"0", "-0", "+0", "0.5", "-0.5", "0.005", "-0.005", "-2.5", "2.5", "999999999999999999",
			"-99999999999999999.9", "0.00000000000000001", "1000000000000000000", "5.", ".5", "-.5", ".", "-", ""}[rng.Intn(19)]
	}
	var b strings.Builder
	if rng.Intn(8) == 0 {
		b.WriteString(" \n\t\r"[rng.Intn(4):][:1])
	}
	switch rng.Intn(6) {
	case 0:
		b.WriteByte('-')
	case 1:
		b.WriteByte('+')
	}
	digits := rng.Intn(21)
	if rng.Intn(2) == 0 {
		digits = 1 + rng.Intn(7)
	}
	dot := rng.Intn(digits + 2)
	for i := 0; i < digits; i++ {
		if i == dot {
			b.WriteByte('.')
		}
		if i == 0 && rng.Intn(3) == 0 {
			b.WriteByte('9')
			continue
		}
		b.WriteByte(byte('0' + rng.Intn(10)))
	}
	if rng.Intn(20) == 0 {
		b.WriteString([]string{"e3", ".", ",5", "x", " ", "\n", "\u00a0"}[rng.Intn(7)])
	}
	return b.String()
}

// FixedOf accepts what lexical.Decimal accepts, and every Fixed operation
// gives exactly what decimal.Decimal gives (the value and the exponent)
// whenever it says it can.
func TestFixedAgreesWithDecimal(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	answered, pairs := 0, 0
	for i := 0; i < 300000; i++ {
		sa, sb := randomLexical(rng), randomLexical(rng)
		a, okA, fitA := FixedOf(sa)
		da, wantA := lexical.Decimal(sa)
		if okA != wantA {
			t.Fatalf("FixedOf(%q) ok %v, lexical %v", sa, okA, wantA)
		}
		if !okA || !fitA {
			digits := len(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, sa))
			if fitA || okA && digits <= 18 {
				t.Fatalf("FixedOf(%q) fits %v with %d digits", sa, fitA, digits)
			}
			continue
		}
		if !same(a.Dec(), da) {
			t.Fatalf("FixedOf(%q) = %v, lexical %v", sa, a.Dec(), da)
		}
		for _, d := range []decimal.Decimal{da, da.Shift(3), da.Shift(-3)} {
			if x, ok := FixedOfDec(d); ok && !same(x.Dec(), d) {
				t.Fatalf("FixedOfDec(%v) = %v", d, x.Dec())
			}
		}
		b, okB, fitB := FixedOf(sb)
		if !okB || !fitB {
			continue
		}
		db := b.Dec()
		pairs++
		check := func(op string, got Fixed, ok bool, want decimal.Decimal) {
			if ok {
				answered++
				if !same(got.Dec(), want) {
					t.Fatalf("%s(%s, %s) = %v (exp %d), want %v (exp %d)", op, sa, sb, got.Dec(), got.Exp(), want, want.Exponent())
				}
			}
		}
		s, ok := a.Add(b)
		check("add", s, ok, da.Add(db))
		s, ok = a.Sub(b)
		check("sub", s, ok, da.Sub(db))
		s, ok = a.Mul(b)
		check("mul", s, ok, da.Mul(db))
		s, ok = a.Neg()
		check("neg", s, ok, da.Neg())
		s, ok = a.Abs()
		check("abs", s, ok, da.Abs())
		for _, places := range []int32{0, 1, 2, 4} {
			s, ok = a.Round(places)
			check("round", s, ok, Round(da, places))
		}
		if c, ok := a.Cmp(b); ok && c != da.Cmp(db) {
			t.Fatalf("cmp(%s, %s) = %d", sa, sb, c)
		}
		if a.Sign() != da.Sign() {
			t.Fatalf("sign(%s) = %d", sa, a.Sign())
		}
	}
	if pairs < 50000 || answered < 500000 {
		t.Errorf("only %d pairs, %d answers in int64", pairs, answered)
	}
}

// Round is XPath's round: halves go towards positive infinity, not away
// from zero as decimal.Decimal.Round takes them.
func TestFixedRoundHalves(t *testing.T) {
	for _, c := range []struct {
		in     string
		places int32
		want   string
	}{
		{"2.5", 0, "3"}, {"-2.5", 0, "-2"}, {"-2.51", 0, "-3"}, {"0.005", 2, "0.01"}, {"-0.005", 2, "0"},
		{"-0.015", 2, "-0.01"}, {"1.2", 3, "1.2"}, {"-1.23456", 4, "-1.2346"}, {"-1.23455", 4, "-1.2345"},
	} {
		f, _, _ := FixedOf(c.in)
		got, ok := f.Round(c.places)
		if !ok || !got.Dec().Equal(decimal.RequireFromString(c.want)) || got.Exp() != -c.places {
			t.Errorf("Round(%s, %d) = %v (exp %d) %v, want %s", c.in, c.places, got.Dec(), got.Exp(), ok, c.want)
		}
	}
}

// The operations say when the exact result does not fit.
func TestFixedOverflow(t *testing.T) {
	big := NewFixed(999999999999999999, 0)
	if _, ok := big.Mul(big); ok {
		t.Error("mul fits")
	}
	if _, ok := big.Add(NewFixed(1, -2)); ok {
		t.Error("add at exponent -2 fits")
	}
	if _, ok := big.Round(2); ok {
		t.Error("round to 2 places fits")
	}
	if _, ok := NewFixed(-1<<63, 0).Neg(); ok {
		t.Error("neg of the smallest int64 fits")
	}
	if _, ok, fits := FixedOf("1234567890123456789"); !ok || fits {
		t.Error("19 digits fit")
	}
}

func BenchmarkFixedOf(b *testing.B) {
	for range b.N {
		FixedOf(" 12345.67\n")
	}
}

// FixedOf never panics, accepts what lexical.Decimal accepts and reads
// the same value with the same exponent.
func FuzzFixedOf(f *testing.F) {
	for _, s := range []string{"0", "-2.5", " 1.00\n", "999999999999999999", "1234567890123456789", ".5", "5.", "+", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok, fits := FixedOf(s)
		want, wantOK := lexical.Decimal(s)
		if ok != wantOK || fits && !same(got.Dec(), want) {
			t.Fatalf("FixedOf(%q) = %v %v %v, lexical %v %v", s, got.Dec(), ok, fits, want, wantOK)
		}
	})
}
