package cen

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/shopspring/decimal"
)

// randDec writes a plain decimal of up to 18 digits, now and then at the
// edges (zeros, halves, the most digits, negative halves).
func randDec(r *rand.Rand) string {
	switch r.Intn(8) {
	case 0:
		return []string{"0", "-0", "0.5", "-0.5", "0.005", "-0.005", "-2.5", "999999999999999999", "-99999999999999999.9", "0.00000000000000001"}[r.Intn(10)]
	}
	digits := 1 + r.Intn(18)
	if r.Intn(3) > 0 {
		digits = 1 + r.Intn(7)
	}
	var b strings.Builder
	if r.Intn(3) == 0 {
		b.WriteByte('-')
	}
	dot := r.Intn(digits + 1)
	for i := 0; i < digits; i++ {
		if i == dot && i > 0 {
			b.WriteByte('.')
		}
		b.WriteByte(byte('0' + r.Intn(10)))
	}
	return b.String()
}

func fxDec(x fx) decimal.Decimal { return decimal.New(x.m, -x.s) }

// Every fx operation gives exactly what exact (decimal.Decimal) gives,
// whenever it says it can.
func TestFxAgreesWithExact(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	answered := 0
	for i := 0; i < 200000; i++ {
		sa, sb := randDec(r), randDec(r)
		a, ok1 := fxOf(sa)
		b, ok2 := fxOf(sb)
		if !ok1 || !ok2 {
			t.Fatalf("%q or %q not read", sa, sb)
		}
		da, db := decimal.RequireFromString(sa), decimal.RequireFromString(sb)
		if !fxDec(a).Equal(da) {
			t.Fatalf("%q read as %v", sa, fxDec(a))
		}
		for _, d := range []decimal.Decimal{da, da.Shift(3), da.Shift(-3)} {
			if x, ok := fxOfDec(d); ok && !fxDec(x).Equal(d) {
				t.Fatalf("%v made %v", d, fxDec(x))
			}
		}
		check := func(op string, got fx, ok bool, want decimal.Decimal) {
			if ok {
				answered++
				if !fxDec(got).Equal(want) {
					t.Fatalf("%s(%s, %s) = %v, want %v", op, sa, sb, fxDec(got), want)
				}
			}
		}
		s, ok := fxAdd(a, b)
		check("add", s, ok, exact.Add(da, db))
		s, ok = fxSub(a, b)
		check("sub", s, ok, exact.Sub(da, db))
		s, ok = fxMul(a, b)
		check("mul", s, ok, exact.Mul(da, db))
		for _, places := range []int32{0, 2} {
			s, ok = fxRound(a, places)
			check("round", s, ok, exact.Round(da, places))
		}
		s, ok = fxVAT(a, b)
		check("vat", s, ok, exact.Round(exact.Mul(exact.Abs(da), db.Shift(-2)), 2))
		if c, ok := fxCmp(a, b); ok && c != exact.Cmp(da, db) {
			t.Fatalf("cmp(%s, %s) = %d", sa, sb, c)
		}
		w, _ := fxOf(randDec(r))
		if in, ok := fxWithinOne(a, w); ok {
			abs := exact.Abs(da)
			want := exact.Cmp(exact.Sub(abs, one), fxDec(w)) < 0 && exact.Cmp(exact.Add(abs, one), fxDec(w)) > 0
			if in != want {
				t.Fatalf("withinOne(%s, %v) = %v", sa, fxDec(w), in)
			}
		}
	}
	if answered < 500000 {
		t.Errorf("only %d answers in plain decimals", answered)
	}
}

// fxWithinOneDouble decides as exact.WithinOne does, wherever it decides,
// and decides most pairs, at the ±1 edges too.
func TestFxWithinOneDouble(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	decided := 0
	const n = 200000
	for i := 0; i < n; i++ {
		a, _ := fxOf(randDec(r))
		var w fx
		switch r.Intn(3) {
		case 0:
			w, _ = fxOf(randDec(r))
		default:
			// Near a ± 1: the edges, and a hair inside or outside.
			edge, ok := fxAdd(a, fx{int64(2*r.Intn(2) - 1), 0})
			if !ok {
				continue
			}
			if w, ok = fxAdd(edge, fx{int64(r.Intn(3) - 1), int32(r.Intn(12))}); !ok {
				continue
			}
		}
		in, ok := fxWithinOneDouble(a, w)
		if !ok {
			continue
		}
		decided++
		if want := exact.WithinOne(fxDec(a), fxDec(w)); in != want {
			t.Fatalf("withinOne(%v, %v) = %v, want %v", fxDec(a), fxDec(w), in, want)
		}
	}
	if decided < n/2 {
		t.Errorf("only %d of %d decided", decided, n)
	}
}
