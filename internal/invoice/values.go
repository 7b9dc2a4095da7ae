package invoice

import (
	"time"

	"github.com/ehf-project/ehf/internal/lexical"
	"github.com/shopspring/decimal"
)

// parseDate reads an xs:date: YYYY-MM-DD, optionally followed by a time
// zone (Z or ±hh:mm), and checks that the day exists.
// parseDecimal reads the xs:decimal lexical form.
func parseDecimal(s string) (decimal.Decimal, bool) { return lexical.Decimal(s) }

func parseDate(s string) (time.Time, bool) {
	s = lexical.Trim(s)
	if len(s) < 10 {
		return time.Time{}, false
	}
	day, zone := s[:10], s[10:]
	t, ok := parseDay(day)
	if !ok {
		return time.Time{}, false
	}
	switch {
	case zone == "" || zone == "Z":
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':':
		if _, err := time.Parse("15:04", zone[1:]); err != nil {
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	return t, true
}

// parseDay reads YYYY-MM-DD as time.Parse("2006-01-02", s) does (the same
// time, the same days refused) without its general layout machinery: a
// document has a dozen dates.
func parseDay(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	var v [8]int
	for i, j := range [8]int{0, 1, 2, 3, 5, 6, 8, 9} {
		c := s[j]
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		v[i] = int(c - '0')
	}
	y := v[0]*1000 + v[1]*100 + v[2]*10 + v[3]
	m := v[4]*10 + v[5]
	d := v[6]*10 + v[7]
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// daysIn is the number of days in month m of year y (proleptic Gregorian).
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
