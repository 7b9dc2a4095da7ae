package lexical

import (
	"testing"
	"time"
)

// Day accepts what time.Parse("2006-01-02") accepts, and gives the same
// day, on every day of years around leap-year boundaries and on mangled
// days.
func TestDayAgreesWithTimeParse(t *testing.T) {
	var inputs []string
	for _, y := range []int{0, 1, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				inputs = append(inputs, pad(y, 4)+"-"+pad(m, 2)+"-"+pad(d, 2))
			}
		}
	}
	inputs = append(inputs, "", "2024-1-01", "2024-01-1 ", "2024/01/01", "2024-01-01Z", "+024-01-01", "2024-0a-01", "２０２４-01-01")
	for _, s := range inputs {
		want, err := time.Parse("2006-01-02", s)
		y, m, d, ok := Day(s)
		if ok != (err == nil) {
			t.Fatalf("Day(%q) ok = %v; time.Parse error %v", s, ok, err)
		}
		if ok && (y != want.Year() || m != int(want.Month()) || d != want.Day()) {
			t.Fatalf("Day(%q) = %d-%d-%d, time.Parse gives %v", s, y, m, d, want)
		}
	}
}

func pad(n, width int) string {
	s := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}
