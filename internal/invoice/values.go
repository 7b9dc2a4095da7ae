package invoice

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// parseDecimal reads the xs:decimal lexical form: an optional sign, digits
// with at most one decimal point, no exponent, surrounding whitespace
// allowed. "1,5", "", "1e3" and "." are not decimals.
func parseDecimal(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Decimal{}, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return decimal.Decimal{}, false
		}
	}
	if digits == 0 {
		return decimal.Decimal{}, false
	}
	if s[0] == '+' {
		s = s[1:]
	}
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-.") {
		s = strings.Replace(s, ".", "0.", 1)
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// parseDate reads an xs:date: YYYY-MM-DD, optionally followed by a time
// zone (Z or ±hh:mm), and checks that the day exists.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return time.Time{}, false
	}
	day, zone := s[:10], s[10:]
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
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
