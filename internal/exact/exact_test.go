package exact

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// same reports whether a and b are the same decimal to the exponent.
func same(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
}

// values are decimals around the edges the fast paths decide on.
func values(rng *rand.Rand, n int) []decimal.Decimal {
	out := []decimal.Decimal{
		decimal.Zero, decimal.New(0, -2), decimal.New(5, -1), decimal.New(-5, -1), decimal.New(-25, -1), decimal.New(25, -1),
		decimal.New(999999999999999999, 0), decimal.New(-999999999999999999, -3), decimal.New(1, 18), decimal.New(1, -30),
		decimal.RequireFromString("123456789012345678901234567890.5"), decimal.New(1, 40),
	}
	for range n {
		c := rng.Int64N(2_000_000_000) - 1_000_000_000
		switch rng.IntN(4) {
		case 0:
			c = rng.Int64() >> rng.IntN(64)
		case 1:
			c = c / 1000
		}
		if rng.IntN(2) == 0 {
			c = -c
		}
		out = append(out, decimal.New(c, int32(rng.IntN(12)-8)))
	}
	return out
}

// Every function gives what decimal.Decimal gives, value and exponent.
func TestAgainstDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	vs := values(rng, 400)
	half := decimal.New(5, -1)
	for _, a := range vs {
		for p := int32(0); p <= 3; p++ {
			want := a.Shift(p).Add(half).Floor().Shift(-p)
			if got := Round(a, p); !same(got, want) {
				t.Fatalf("Round(%s, %d) = %s (exp %d), want %s (exp %d)", a, p, got, got.Exponent(), want, want.Exponent())
			}
		}
		if got, want := Abs(a), a.Abs(); !same(got, want) {
			t.Fatalf("Abs(%s) = %s, want %s", a, got, want)
		}
		for _, b := range vs[:60] {
			for _, op := range []struct {
				name      string
				got, want decimal.Decimal
			}{
				{"Add", Add(a, b), a.Add(b)}, {"Sub", Sub(a, b), a.Sub(b)}, {"Mul", Mul(a, b), a.Mul(b)},
			} {
				if !same(op.got, op.want) {
					t.Fatalf("%s(%s, %s) = %s (exp %d), want %s (exp %d)", op.name, a, b, op.got, op.got.Exponent(), op.want, op.want.Exponent())
				}
			}
			if got, want := Cmp(a, b), a.Cmp(b); got != want {
				t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// XPath rounds halves up, towards positive infinity.
func TestRound(t *testing.T) {
	for _, c := range []struct {
		in     string
		places int32
		want   string
	}{
		{"2.5", 0, "3"}, {"-2.5", 0, "-2"}, {"-2.51", 0, "-3"}, {"0.125", 2, "0.13"}, {"-0.125", 2, "-0.12"},
		{"1.005", 2, "1.01"}, {"99.994999", 2, "99.99"}, {"0.0000000000000000000001", 2, "0"},
	} {
		if got := Round(decimal.RequireFromString(c.in), c.places); got.String() != c.want {
			t.Errorf("Round(%s, %d) = %s, want %s", c.in, c.places, got, c.want)
		}
	}
}

func BenchmarkRound(b *testing.B) {
	d := decimal.New(123456789, -5)
	b.ReportAllocs()
	for b.Loop() {
		Round(d, 2)
	}
}

func ExampleRound() {
	fmt.Println(Round(decimal.RequireFromString("-2.5"), 0), Round(decimal.RequireFromString("10.125"), 2))
	// Output: -2 10.13
}

// The zero Decimal (no big.Int yet) works as zero.
func TestZeroValue(t *testing.T) {
	var z decimal.Decimal
	one := decimal.New(1, 0)
	if Cmp(z, one) != -1 || !Equal(z, decimal.Zero) || !same(Add(z, one), z.Add(one)) || !same(Round(z, 2), decimal.New(0, -2)) {
		t.Error("the zero Decimal is not zero")
	}
}

// Sum and CmpDiff give what chains of decimal.Decimal operations give.
func TestSumAndCmpDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	vs := values(rng, 300)
	for i := range 4000 {
		a, b, c := vs[rng.IntN(len(vs))], vs[rng.IntN(len(vs))], vs[rng.IntN(len(vs))]
		if got, want := CmpDiff(a, b, c.Abs()), a.Sub(b).Abs().Cmp(c.Abs()); got != want {
			t.Fatalf("CmpDiff(%s, %s, %s) = %d, want %d", a, b, c.Abs(), got, want)
		}
		var s Sum
		want := decimal.Decimal{}
		for j := range 2 + i%5 {
			x := vs[rng.IntN(len(vs))]
			if j%2 == 1 {
				s.Sub(x)
				want = want.Sub(x)
			} else {
				s.Add(x)
				want = want.Add(x)
			}
		}
		if got := s.Value(); !same(got, want) {
			t.Fatalf("sum %s (exp %d), want %s (exp %d)", got, got.Exponent(), want, want.Exponent())
		}
	}
	var empty Sum
	if !same(empty.Value(), decimal.Decimal{}.Add(decimal.Zero)) && !empty.Value().IsZero() {
		t.Error("the empty sum is not zero")
	}
}

// The exact value of a double, and the double bounds around an amount.
func TestDouble(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0.5, "0.5"}, {3, "3"}, {-2.25, "-2.25"}, {1 << 60, "1152921504606846976"},
		{0.1, "0.1000000000000000055511151231257827021181583404541015625"},
	} {
		if got := FromFloat(c.f).String(); got != c.want {
			t.Errorf("FromFloat(%v) = %s, want %s", c.f, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		x := decimal.New(rng.Int64N(2000000)-1000000, -int32(rng.IntN(4)))
		var s decimal.Decimal
		switch i % 3 {
		case 0: // right at a bound, or one cent either side
			s = x.Add(decimal.New(int64(2*rng.IntN(2)-1), 0)).Add(decimal.New(rng.Int64N(3)-1, -2))
		case 1: // inside
			s = x.Add(decimal.New(rng.Int64N(199)-99, -2))
		default: // anywhere
			s = decimal.New(rng.Int64N(2000000)-1000000, -2)
		}
		f, _ := x.Float64()
		want := FromFloat(f-1).LessThan(s) && FromFloat(f+1).GreaterThan(s)
		if got := WithinOne(x, s); got != want {
			t.Fatalf("WithinOne(%s, %s) = %v, want %v", x, s, got, want)
		}
	}
	x := decimal.RequireFromString("707.3")
	if !WithinOne(x, decimal.RequireFromString("706.30")) {
		t.Error("706.30 lies above 707.3 − 1 in double")
	}
}
