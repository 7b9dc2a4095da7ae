package xpath

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// atomString is the canonical string of an atomic value (XPath casting to
// xs:string).
func atomString(it Item) string {
	switch it.k {
	case KString, KUntyped:
		return it.s
	case KBool:
		if it.boolean() {
			return "true"
		}
		return "false"
	case KInteger:
		if it.n == bigInt {
			return it.d.String()
		}
		return strconv.FormatInt(it.i, 10)
	case KDecimal:
		return it.dec().String()
	case KDouble:
		return formatDouble(it.dbl())
	case KDate:
		return formatDate(it)
	}
	return ""
}

// formatDouble writes a double as XPath 2.0 casts it to a string: plain
// notation between 1e-6 and 1e6, otherwise scientific with at least one
// fraction digit ("1.0E6").
func formatDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "INF"
	case math.IsInf(v, -1):
		return "-INF"
	case v == 0:
		if math.Signbit(v) {
			return "-0"
		}
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e-6 && a < 1e6 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-")
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func formatDate(it Item) string {
	t := epoch.AddDate(0, 0, int(it.i))
	y := t.Year()
	var s string
	if y < 0 {
		s = fmt.Sprintf("-%04d-%02d-%02d", -y, int(t.Month()), t.Day())
	} else {
		s = fmt.Sprintf("%04d-%02d-%02d", y, int(t.Month()), t.Day())
	}
	if it.n != noTZ {
		tz := int(it.n)
		switch {
		case tz == 0:
			s += "Z"
		case tz < 0:
			s += fmt.Sprintf("-%02d:%02d", -tz/60, -tz%60)
		default:
			s += fmt.Sprintf("+%02d:%02d", tz/60, tz%60)
		}
	}
	return s
}
