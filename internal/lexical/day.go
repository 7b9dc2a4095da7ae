package lexical

// Day reads a calendar day written YYYY-MM-DD, exactly ten characters,
// and reports whether it is a day of the proleptic Gregorian calendar
// (no 31 April, 29 February only in leap years). It accepts what
// time.Parse("2006-01-02", s) accepts, without its layout machinery: the
// model and the rules read a dozen dates per document.
func Day(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	var v [8]int
	for i, j := range [8]int{0, 1, 2, 3, 5, 6, 8, 9} {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		v[i] = int(c - '0')
	}
	y = v[0]*1000 + v[1]*100 + v[2]*10 + v[3]
	m = v[4]*10 + v[5]
	d = v[6]*10 + v[7]
	if m < 1 || m > 12 || d < 1 || d > DaysIn(m, y) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// DaysIn is the number of days of month m (1-12) in year y, in the
// proleptic Gregorian calendar.
func DaysIn(m, y int) int {
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
