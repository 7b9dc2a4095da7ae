package peppol

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/lexical"
	"github.com/shopspring/decimal"
)

// The official rules are XPath 2.0 expressions. These helpers give the few
// XPath functions they use the same meaning here, so that a value the
// official rule accepts is accepted here too (and only such values).

// isSpace is XML whitespace: what normalize-space and the casts trim.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// norm is normalize-space: XML whitespace trimmed and runs of it collapsed
// to one space.
func norm(s string) string {
	// most values have no control character or space at all: every XML
	// whitespace character is at most ' '
	i := 0
	for i < len(s) && s[i] > ' ' {
		i++
	}
	if i == len(s) {
		return s
	}
	clean := true
	for ; i < len(s); i++ {
		if isSpace(s[i]) && (s[i] != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// trim removes surrounding XML whitespace, as a cast does.
func trim(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// length is string-length: characters, not bytes.
func length(s string) int { return utf8.RuneCountInString(s) }

// substr is substring(s, start, n) for whole-number arguments: characters
// counted from 1; n < 0 means to the end.
func substr(s string, start, n int) string {
	if start < 1 {
		if n >= 0 {
			n += start - 1
			if n <= 0 {
				return ""
			}
		}
		start = 1
	}
	i := 0
	pos := 1
	for pos < start && i < len(s) {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		pos++
	}
	if n < 0 {
		return s[i:]
	}
	j := i
	for k := 0; k < n && j < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[j:])
		j += w
	}
	return s[i:j]
}

// number is fn:number of a string: its xs:double value, or NaN. Comparing
// with NaN is false, as in XPath.
func number(s string) float64 {
	t := trim(s)
	switch t {
	case "INF", "+INF":
		return math.Inf(1)
	case "-INF":
		return math.Inf(-1)
	case "", "NaN":
		return math.NaN()
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return math.NaN()
		}
	}
	// strconv is more lenient than xs:double only in forms with letters
	// other than e/E, which are refused above; "0x1p3" has an x.
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f
		}
		return math.NaN()
	}
	return f
}

// isNumber is string(number(s)) != 'NaN'.
// dec is a cast to xs:decimal: ok is false where the cast would fail.
func dec(s string) (decimal.Decimal, bool) { return lexical.Decimal(s) }

func isNumber(s string) bool { return !math.IsNaN(number(s)) }

// isInteger is "castable as xs:integer".
func isInteger(s string) bool {
	t := trim(s)
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	return t != "" && allDigits(t)
}

// allDigits reports whether s is made of ASCII digits only (true for "").
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDate is "castable as xs:date".
func isDate(s string) bool {
	t := trim(s)
	if len(t) == 10 || len(t) == 11 && t[10] == 'Z' {
		// the usual date, YYYY-MM-DD: the answer of date without
		// building the time (a day that is not one goes the long way,
		// which refuses it too)
		if _, _, _, ok := lexical.Day(t[:10]); ok {
			return true
		}
	}
	_, ok := date(s)
	return ok
}

// date casts to xs:date. A date with a time zone starts at midnight in
// that zone, one without at midnight UTC (the reference engine's implicit
// time zone), which is how XPath compares dates.
func date(s string) (time.Time, bool) {
	t := trim(s)
	if len(t) < 10 || t[0] == '-' {
		return time.Time{}, false
	}
	i := strings.IndexByte(t[4:], '-') + 4
	if i < 4 || len(t) < i+6 {
		return time.Time{}, false
	}
	year := t[:i]
	if len(year) > 4 && year[0] == '0' || !allDigits(year) {
		return time.Time{}, false
	}
	y, err := strconv.Atoi(year)
	if err != nil {
		return time.Time{}, false
	}
	md, zone := t[i+1:i+6], t[i+6:]
	if md[2] != '-' || !allDigits(md[:2]) || !allDigits(md[3:]) {
		return time.Time{}, false
	}
	m, _ := strconv.Atoi(md[:2])
	d, _ := strconv.Atoi(md[3:])
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	loc := time.UTC
	switch {
	case zone == "" || zone == "Z":
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
		allDigits(zone[1:3]) && allDigits(zone[4:]):
		h, _ := strconv.Atoi(zone[1:3])
		mm, _ := strconv.Atoi(zone[4:])
		if mm > 59 || h > 14 || h == 14 && mm != 0 {
			return time.Time{}, false
		}
		off := h*3600 + mm*60
		if zone[0] == '-' {
			off = -off
		}
		loc = time.FixedZone(zone, off)
	default:
		return time.Time{}, false
	}
	v := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if v.Day() != d {
		return time.Time{}, false
	}
	return v, true
}

// tokenize splits s at every sep, as fn:tokenize with a one-character
// literal pattern: no tokens for "", empty tokens kept otherwise.
func tokenize(s string, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// item returns the i-th (1-based) item of a sequence, and false when the
// sequence is shorter (the empty sequence in XPath).
func item(seq []string, i int) (string, bool) {
	if i < 1 || i > len(seq) {
		return "", false
	}
	return seq[i-1], true
}

var one = decimal.NewFromInt(1)

// divScale is the number of decimal places Saxon keeps in an xs:decimal
// division (at least 18, more when an operand has more).
const divScale = 18

// xdiv divides as Saxon does for xs:decimal: rounded half down (towards
// zero on a tie) at divScale places, or more when an operand needs them.
func xdiv(a, b decimal.Decimal) decimal.Decimal {
	if exact.Equal(b, one) {
		return a // the same value, whatever the scale
	}
	scale := int32(divScale)
	if e := -a.Exponent(); e > scale {
		scale = e
	}
	if e := -b.Exponent(); e > scale {
		scale = e
	}
	q, r := a.QuoRem(b, scale)
	if r.IsZero() {
		return q
	}
	// r = a - q*b, |r| < |b| * 10^-scale. Round away from zero when
	// 2|r| > |b| * 10^-scale.
	unit := decimal.New(1, -scale)
	if exact.Cmp(exact.Mul(exact.Abs(r), decimal.NewFromInt(2)), exact.Mul(exact.Abs(b), unit)) > 0 {
		if a.Sign()*b.Sign() < 0 {
			q = exact.Sub(q, unit)
		} else {
			q = exact.Add(q, unit)
		}
	}
	return q
}

// round is fn:round for xs:decimal: half rounds towards positive infinity.
func round(d decimal.Decimal) decimal.Decimal {
	return exact.Round(d, 0)
}

// slack is the official u:slack: exp within ±s of val.
func slack(exp, val, s decimal.Decimal) bool {
	// exp + s >= val and exp - s <= val, in one subtraction
	return exact.Cmp(exact.Abs(exact.Sub(val, exp)), s) <= 0
}

// in reports whether s is one of list.
func in(list []string, s string) bool {
	for _, c := range list {
		if c == s {
			return true
		}
	}
	return false
}
