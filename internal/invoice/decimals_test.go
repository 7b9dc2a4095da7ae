package invoice

import (
	"fmt"
	"testing"
)

// Values read through the table are the values parseDecimal reads, with
// the same exponent, however the texts collide in it.
func TestDecimalsShared(t *testing.T) {
	var texts []string
	for i := range 300 {
		texts = append(texts, fmt.Sprint(i), fmt.Sprintf("%d.00", i), fmt.Sprintf("-%d.5", i))
	}
	texts = append(texts, "", " 7 ", "1,5", "0.000000000000000000000001", "12345678901234567890123")
	var tab decimals
	for round := range 3 {
		for i := range texts {
			s := texts[(i*7+round)%len(texts)]
			got, ok := tab.parse(s)
			want, wantOK := parseDecimal(s)
			if ok != wantOK || !got.Equal(want) || got.Exponent() != want.Exponent() {
				t.Fatalf("parse(%q) = %v (exp %d), %v; want %v (exp %d), %v", s, got, got.Exponent(), ok, want, want.Exponent(), wantOK)
			}
		}
	}
}
