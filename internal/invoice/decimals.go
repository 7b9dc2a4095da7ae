package invoice

import "github.com/shopspring/decimal"

// decimals remembers the last few numbers read, by their text. Invoices
// repeat the same quantities, prices and rates line after line, and each
// decimal.Decimal read anew costs a big.Int: a repeated value shares the
// one read first. Sharing is safe because a Decimal never changes its
// big.Int; every operation makes a new one.
type decimals [64]struct {
	text  string
	value decimal.Decimal
}

// maxShared is the longest text remembered; longer numbers seldom repeat.
const maxShared = 24

// parse is parseDecimal through the table.
func (t *decimals) parse(s string) (decimal.Decimal, bool) {
	if len(s) == 0 || len(s) > maxShared {
		return parseDecimal(s)
	}
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	e := &t[(h^h>>16)%uint32(len(t))]
	if e.text == s {
		return e.value, true
	}
	v, ok := parseDecimal(s)
	if ok {
		e.text, e.value = s, v
	}
	return v, ok
}
