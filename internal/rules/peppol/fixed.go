package peppol

import "github.com/ehf-project/ehf/internal/exact"

// The line figures are read and computed as exact.Fixed where they fit an
// int64, sparing the big.Int that every decimal.Decimal holds; where a
// step does not fit, the caller works in decimal.Decimal as before.

var (
	fixedOne           = exact.NewFixed(1, 0)
	fixedTwoHundredths = exact.NewFixed(2, -2)
)

// isOne reports whether a equals 1.
func isOne(a exact.Fixed) bool {
	c, ok := a.Cmp(fixedOne)
	return ok && c == 0
}

// within reports whether |a - b| ≤ tol; ok is false when that does not fit.
func within(a, b, tol exact.Fixed) (in, ok bool) {
	d, ok := a.Sub(b)
	if !ok {
		return false, false
	}
	if d, ok = d.Abs(); !ok {
		return false, false
	}
	c, ok := d.Cmp(tol)
	return c <= 0, ok
}
