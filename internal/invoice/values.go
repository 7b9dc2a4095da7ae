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
// time, the same days refused).
func parseDay(s string) (time.Time, bool) {
	y, m, d, ok := lexical.Day(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}
