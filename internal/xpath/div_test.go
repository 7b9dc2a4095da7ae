package xpath

import (
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"
)

// The 64-bit division agrees with the math/big one.
func TestSmallDiv(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		a := decimal.New(rng.Int63n(2_000_000_000)-1_000_000_000, -int32(rng.Intn(6)))
		b := decimal.New(rng.Int63n(2_000_000)-1_000_000, -int32(rng.Intn(6)))
		if b.IsZero() {
			continue
		}
		ai, bi := decItem(strip(a)), decItem(strip(b))
		s := max(18, scaleOf(ai)-scaleOf(bi)+18)
		q, ok := smallDiv(ai.dec(), bi.dec(), s)
		if !ok {
			continue
		}
		// The same through math/big: decDiv without the fast path.
		want := bigDiv(ai, bi)
		if !strip(q).Equal(want) {
			t.Fatalf("%s div %s: %s, want %s", a, b, q, want)
		}
	}
}
