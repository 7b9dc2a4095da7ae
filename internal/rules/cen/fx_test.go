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

func fxDec(x exact.Fixed) decimal.Decimal { return x.Dec() }

// The VAT helpers on exact.Fixed give exactly what exact (decimal.Decimal)
// gives, whenever they say they can. (exact's own tests compare every
// Fixed operation with decimal.Decimal.)
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
		if s, ok := fxVAT(a, b); ok {
			answered++
			if want := exact.Round(exact.Mul(exact.Abs(da), db.Shift(-2)), 2); !fxDec(s).Equal(want) {
				t.Fatalf("vat(%s, %s) = %v, want %v", sa, sb, fxDec(s), want)
			}
		}
		w, _ := fxOf(randDec(r))
		if in, ok := fxWithinOne(a, w); ok {
			answered++
			abs := exact.Abs(da)
			want := exact.Cmp(exact.Sub(abs, one), fxDec(w)) < 0 && exact.Cmp(exact.Add(abs, one), fxDec(w)) > 0
			if in != want {
				t.Fatalf("withinOne(%s, %v) = %v", sa, fxDec(w), in)
			}
		}
	}
	if answered < 300000 {
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
		var w exact.Fixed
		switch r.Intn(3) {
		case 0:
			w, _ = fxOf(randDec(r))
		default:
			// Near a ± 1: the edges, and a hair inside or outside.
			edge, ok := a.Add(exact.NewFixed(int64(2*r.Intn(2)-1), 0))
			if !ok {
				continue
			}
			if w, ok = edge.Add(exact.NewFixed(int64(r.Intn(3)-1), -int32(r.Intn(12)))); !ok {
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
