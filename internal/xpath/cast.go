package xpath

import (
	"github.com/ehf-project/ehf/internal/lexical"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// trimXML removes the whitespace XML Schema collapses around a value.
func trimXML(s string) string {
	i, j := 0, len(s)
	for i < j && isXMLSpace(s[i]) {
		i++
	}
	for j > i && isXMLSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parseDecimal reads the xs:decimal lexical form.
func parseDecimal(s string) (decimal.Decimal, bool) {
	d, ok := lexical.Decimal(s)
	if !ok {
		return decimal.Decimal{}, false
	}
	return strip(d), true
}

// parseInteger reads the xs:integer lexical form.
func parseInteger(s string) (Item, bool) {
	s = trimXML(s)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body == "" {
		return Item{}, false
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return Item{}, false
		}
	}
	if s[0] == '+' {
		s = s[1:]
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return intItem(v), true
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Item{}, false
	}
	return bigIntItem(d), true
}

// parseDouble reads the xs:double lexical form (INF, -INF and NaN
// included).
func parseDouble(s string) (float64, bool) {
	s = trimXML(s)
	switch s {
	case "INF", "+INF":
		return math.Inf(1), true
	case "-INF":
		return math.Inf(-1), true
	case "NaN":
		return math.NaN(), true
	}
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	digits, dot, exp := 0, false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && !exp && digits > 0:
			exp = true
			if i+1 < len(body) && (body[i+1] == '+' || body[i+1] == '-') {
				i++
			}
			if i+1 >= len(body) {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// parseDate reads the xs:date lexical form: [-]YYYY-MM-DD and an optional
// timezone (Z or ±hh:mm).
func parseDate(s string) (Item, bool) {
	s = trimXML(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < 4 || (i > 4 && s[0] == '0') || len(s) < i+6 || s[i] != '-' || s[i+3] != '-' {
		return Item{}, false
	}
	year, err := strconv.Atoi(s[:i])
	if err != nil {
		return Item{}, false
	}
	mo, ok1 := twoDigits(s[i+1:])
	day, ok2 := twoDigits(s[i+4:])
	if !ok1 || !ok2 || mo < 1 || mo > 12 || day < 1 {
		return Item{}, false
	}
	if neg {
		year = -year
	}
	if year == 0 {
		return Item{}, false
	}
	if day > daysIn(year, mo) {
		return Item{}, false
	}
	rest := s[i+6:]
	tz := int32(noTZ)
	switch {
	case rest == "":
	case rest == "Z":
		tz = 0
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, ok1 := twoDigits(rest[1:])
		m, ok2 := twoDigits(rest[4:])
		if !ok1 || !ok2 || m > 59 || h > 14 || (h == 14 && m != 0) {
			return Item{}, false
		}
		tz = int32(h*60 + m)
		if rest[0] == '-' {
			tz = -tz
		}
	default:
		return Item{}, false
	}
	t := time.Date(year, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
	days := t.Unix() / 86400 // midnight UTC: an exact multiple
	return Item{k: KDate, i: days, n: tz}, true
}

func twoDigits(s string) (int, bool) {
	if len(s) < 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func parseBool(s string) (bool, bool) {
	switch trimXML(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// decFromDouble converts a double to the decimal with exactly its value,
// as Saxon does.
func decFromDouble(v float64) decimal.Decimal {
	if v == 0 {
		return decimal.Zero
	}
	frac, exp := math.Frexp(v)
	m := int64(frac * (1 << 53))
	exp -= 53
	for m%2 == 0 && m != 0 {
		m /= 2
		exp++
	}
	bm := big.NewInt(m)
	if exp >= 0 {
		return strip(decimal.NewFromBigInt(bm.Lsh(bm, uint(exp)), 0))
	}
	five := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(-exp)), nil)
	return decimal.NewFromBigInt(bm.Mul(bm, five), int32(exp))
}

func decToDouble(d decimal.Decimal) float64 {
	f, _ := d.Float64()
	return f
}

// toDouble converts a numeric item to xs:double.
func toDouble(it Item) float64 {
	switch it.k {
	case KDouble:
		return it.dbl()
	case KInteger:
		if it.n != bigInt {
			return float64(it.i)
		}
		return decToDouble(it.d)
	case KDecimal:
		if it.n == smallDec {
			if f, ok := smallToDouble(it.i, int32(it.e)); ok {
				return f
			}
		}
		return decToDouble(it.dec())
	}
	return math.NaN()
}

// cast converts an atomic item to type k (XPath casting rules).
func cast(it Item, k Kind) (Item, error) {
	if it.k == k && k != kAnyAtomic {
		return it, nil
	}
	fail := func() (Item, error) {
		return Item{}, dynErr("FORG0001", "cannot convert %s %s to %s", it.k, quote(atomString(it)), k)
	}
	switch k {
	case kAnyAtomic:
		return it, nil
	case KString:
		return strItem(atomString(it)), nil
	case KUntyped:
		return untyped(atomString(it)), nil
	case KBool:
		switch it.k {
		case KString, KUntyped:
			if b, ok := parseBool(it.s); ok {
				return boolItem(b), nil
			}
			return fail()
		case KInteger, KDecimal:
			return boolItem(!it.dec().IsZero()), nil
		case KDouble:
			v := it.dbl()
			return boolItem(v == v && v != 0), nil
		}
	case KInteger:
		switch it.k {
		case KString, KUntyped:
			if v, ok := parseInteger(it.s); ok {
				return v, nil
			}
			return fail()
		case KBool:
			return intItem(it.i), nil
		case KDecimal:
			if it.n == smallDec && it.e <= 0 && it.e > -19 {
				return intItem(it.i / pow10[-it.e]), nil
			}
			return bigIntItem(it.dec()), nil
		case KDouble:
			v := it.dbl()
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Item{}, dynErr("FOCA0002", "cannot convert %s to xs:integer", formatDouble(v))
			}
			if math.Abs(v) < 1<<62 {
				return intItem(int64(v)), nil
			}
			return bigIntItem(decFromDouble(v)), nil
		}
	case KDecimal:
		switch it.k {
		case KString, KUntyped:
			if v, ok := parseSmallDecimal(it.s); ok {
				return v, nil
			}
			if d, ok := parseDecimal(it.s); ok {
				return decItem(d), nil
			}
			return fail()
		case KBool:
			return smallDecItem(it.i, 0), nil
		case KInteger:
			if it.n != bigInt {
				return smallDecItem(it.i, 0), nil
			}
			return decItem(it.dec()), nil
		case KDouble:
			v := it.dbl()
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Item{}, dynErr("FOCA0002", "cannot convert %s to xs:decimal", formatDouble(v))
			}
			return decItem(decFromDouble(v)), nil
		}
	case KDouble:
		switch it.k {
		case KString, KUntyped:
			if v, ok := parseDouble(it.s); ok {
				return dblItem(v), nil
			}
			return fail()
		case KBool:
			return dblItem(float64(it.i)), nil
		case KInteger, KDecimal:
			return dblItem(toDouble(it)), nil
		}
	case KDate:
		switch it.k {
		case KString, KUntyped:
			if v, ok := parseDate(it.s); ok {
				return v, nil
			}
			return fail()
		}
	}
	return Item{}, dynErr("XPTY0004", "cannot cast %s to %s", it.k, k)
}

// castable reports whether cast would succeed.
func castable(it Item, k Kind) bool {
	_, err := cast(it, k)
	return err == nil
}

// number is fn:number: xs:double, or NaN when the value is not a number.
func number(it Item) float64 {
	switch it.k {
	case KDouble:
		return it.dbl()
	case KInteger, KDecimal:
		return toDouble(it)
	case KBool:
		return float64(it.i)
	case KString, KUntyped:
		if v, ok := parseDouble(it.s); ok {
			return v
		}
	}
	return math.NaN()
}
