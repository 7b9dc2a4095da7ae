// Package lexical reads the XML Schema lexical forms that rules and the
// model share, exactly as the official validators read them. Only XML
// whitespace (space, tab, carriage return, line feed) may surround a
// value: a no-break space or other Unicode space makes it unreadable, as
// it does for the UBL schema and the official rules.
package lexical

import (
	"strings"

	"github.com/shopspring/decimal"
)

// IsSpace reports whether c is XML whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Trim removes surrounding XML whitespace.
func Trim(s string) string {
	i, j := 0, len(s)
	for i < j && IsSpace(s[i]) {
		i++
	}
	for j > i && IsSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// Decimal reads the xs:decimal lexical form: an optional sign, digits with
// at most one decimal point, at least one digit, no exponent. "1,5", "",
// "1e3", "." and "NaN" are not decimals.
func Decimal(s string) (decimal.Decimal, bool) {
	s = Trim(s)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
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
	neg := s[0] == '-'
	if digits <= 18 {
		// The usual amount fits an int64: build it without the string
		// round trip of NewFromString (and its second big.Int for Neg).
		var mant int64
		exp := int32(0)
		for i := 0; i < len(body); i++ {
			if c := body[i]; c == '.' {
				exp = -int32(len(body) - i - 1)
			} else {
				mant = mant*10 + int64(c-'0')
			}
		}
		if neg {
			mant = -mant
		}
		return decimal.New(mant, exp), true
	}
	body = strings.TrimSuffix(body, ".")
	if strings.HasPrefix(body, ".") {
		body = "0" + body
	}
	d, err := decimal.NewFromString(body)
	if err != nil {
		return decimal.Decimal{}, false
	}
	if neg {
		d = d.Neg()
	}
	return d, true
}
