package peppol

// Check digit algorithms of the national and international identifier
// schemes. Each function takes the identifier in upper case and reports
// whether both its shape and its check digits are right; the shape tests
// are repeated here so that every function is safe on any input.

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allAlnum reports whether s is non-empty and all ASCII letters or digits.
func allAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// weightedSum multiplies the digits of s with weights, left to right.
func weightedSum(s string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return sum
}

// mod11Check computes a modulus-11 check digit from the weighted sum of
// the leading digits: 11 - (sum mod 11), where 11 means 0 and 10 means the
// number cannot exist. It is the scheme of Norwegian organisation numbers
// and Icelandic kennitala, among others.
func mod11Check(sum int) (digit int, ok bool) {
	d := 11 - sum%11
	switch d {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return d, true
}

// norwegianOrgNumber checks a Norwegian organisation number: nine digits,
// the last a modulus-11 check digit with weights 3 2 7 6 5 4 3 2.
func norwegianOrgNumber(s string) bool {
	if len(s) != 9 || !allDigits(s) || s == "000000000" {
		return false
	}
	d, ok := mod11Check(weightedSum(s, []int{3, 2, 7, 6, 5, 4, 3, 2}))
	return ok && d == int(s[8]-'0')
}

// gs1CheckDigit checks the trailing GS1 modulus-10 check digit of a GS1 key
// (GLN, GTIN, ...): digits weighted 3 and 1 alternately from the right.
func gs1CheckDigit(s string) bool {
	if len(s) < 2 || !allDigits(s) {
		return false
	}
	sum := 0
	for i, w := len(s)-2, 3; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		w = 4 - w
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// gln checks a GS1 Global Location Number: 13 digits with a GS1 check
// digit.
func gln(s string) bool { return len(s) == 13 && gs1CheckDigit(s) }

// luhn checks the Luhn (modulus-10, "double every second digit") check
// digit of a digit string.
func luhn(s string) bool {
	if !allDigits(s) {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// swedishOrgNumber checks a Swedish organisation number: ten digits, Luhn
// over all of them.
func swedishOrgNumber(s string) bool { return len(s) == 10 && luhn(s) }

// siren checks a French SIREN number: nine digits with a Luhn check.
func siren(s string) bool { return len(s) == 9 && luhn(s) }

// siret checks a French SIRET number: 14 digits with a Luhn check, except
// for the establishments of La Poste (SIREN 356000000), whose SIRET digits
// add up to a multiple of 5 instead.
func siret(s string) bool {
	if len(s) != 14 || !allDigits(s) {
		return false
	}
	if s[:9] == "356000000" {
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i] - '0')
		}
		return sum%5 == 0
	}
	return luhn(s)
}

// danishCVR checks a Danish CVR number, with or without the "DK" prefix:
// eight digits whose weighted sum (2 7 6 5 4 3 2 1) is a multiple of 11.
func danishCVR(s string) bool {
	if len(s) == 10 && s[:2] == "DK" {
		s = s[2:]
	}
	if len(s) != 8 || !allDigits(s) {
		return false
	}
	return weightedSum(s, []int{2, 7, 6, 5, 4, 3, 2, 1})%11 == 0
}

// belgianEnterpriseNumber checks a Belgian enterprise number (KBO/BCE): ten
// digits, the last two equal to 97 minus the first eight modulo 97.
func belgianEnterpriseNumber(s string) bool {
	if len(s) != 10 || !allDigits(s) {
		return false
	}
	n := 0
	for i := 0; i < 8; i++ {
		n = n*10 + int(s[i]-'0')
	}
	check := int(s[8]-'0')*10 + int(s[9]-'0')
	return 97-n%97 == check
}

// belgianVAT checks a Belgian VAT number: "BE" and an enterprise number.
func belgianVAT(s string) bool {
	return len(s) == 12 && s[:2] == "BE" && belgianEnterpriseNumber(s[2:])
}

// australianBusinessNumber checks an ABN: eleven digits; subtract 1 from the
// first digit, weight the digits 10 1 3 5 7 9 11 13 15 17 19 and the sum
// must be a multiple of 89.
func australianBusinessNumber(s string) bool {
	if len(s) != 11 || !allDigits(s) {
		return false
	}
	weights := []int{10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}
	sum := 0
	for i, w := range weights {
		d := int(s[i] - '0')
		if i == 0 {
			d--
		}
		sum += d * w
	}
	return sum%89 == 0
}

// swissUID checks a Swiss business identification number "CHE" + nine
// digits, the last a modulus-11 check digit with weights 5 4 3 2 7 6 5 4.
func swissUID(s string) bool {
	if len(s) != 12 || s[:3] != "CHE" || !allDigits(s[3:]) {
		return false
	}
	d := s[3:]
	c, ok := mod11Check(weightedSum(d, []int{5, 4, 3, 2, 7, 6, 5, 4}))
	return ok && c == int(d[8]-'0')
}

// icelandicKennitala checks an Icelandic kennitala: ten digits, the ninth a
// modulus-11 check digit over the first eight with weights 3 2 7 6 5 4 3 2.
func icelandicKennitala(s string) bool {
	if len(s) != 10 || !allDigits(s) {
		return false
	}
	c, ok := mod11Check(weightedSum(s, []int{3, 2, 7, 6, 5, 4, 3, 2}))
	return ok && c == int(s[8]-'0')
}

// japaneseCorporateNumber checks a Japanese corporate number: 13 digits,
// the first being 9 - (sum of the other twelve, weighted 1 and 2
// alternately from the right starting with 1) mod 9.
func japaneseCorporateNumber(s string) bool {
	if len(s) != 13 || !allDigits(s) {
		return false
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		p := int(s[13-n] - '0')
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += p * q
	}
	return 9-sum%9 == int(s[0]-'0')
}

// japaneseInvoiceIssuer checks a Japanese qualified invoice issuer number:
// "T" and a corporate number.
func japaneseInvoiceIssuer(s string) bool {
	return len(s) == 14 && s[0] == 'T' && japaneseCorporateNumber(s[1:])
}

// mod97of returns the ISO 7064 MOD 97-10 remainder of an alphanumeric
// string, letters counting as 10 (A) to 35 (Z); ok is false for any other
// character. A string with valid MOD 97-10 check digits has remainder 1.
func mod97of(s string) (int, bool) {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		default:
			return 0, false
		}
	}
	return r, true
}

// leitwegID checks a German Leitweg-ID: coarse address (2 to 12 digits),
// optional fine address (up to 30 letters and digits) and two check digits,
// separated by '-', with ISO 7064 MOD 97-10 over everything but the dashes.
func leitwegID(s string) bool {
	if len(s) < 5 || len(s) > 46 {
		return false
	}
	parts := splitDash(s)
	var coarse, fine, check string
	switch len(parts) {
	case 2:
		coarse, check = parts[0], parts[1]
	case 3:
		coarse, fine, check = parts[0], parts[1], parts[2]
		if fine == "" || len(fine) > 30 || !allAlnum(fine) {
			return false
		}
	default:
		return false
	}
	if len(coarse) < 2 || len(coarse) > 12 || !allDigits(coarse) || len(check) != 2 || !allDigits(check) {
		return false
	}
	r, ok := mod97of(coarse + fine + check)
	return ok && r == 1
}

// legalEntityIdentifier checks an LEI: 18 letters or digits and two check
// digits, ISO 7064 MOD 97-10 over all 20.
func legalEntityIdentifier(s string) bool {
	if len(s) != 20 || !allAlnum(s) || !allDigits(s[18:]) {
		return false
	}
	r, ok := mod97of(s)
	return ok && r == 1
}

// italianVAT checks an Italian partita IVA as Peppol does: with the "IT"
// prefix the rest must be eleven digits with a Luhn check digit; eleven
// bare digits are checked likewise; other forms are left alone.
func italianVAT(s string) bool {
	if len(s) >= 2 && s[:2] == "IT" {
		rest := s[2:]
		return len(rest) == 11 && luhn(rest)
	}
	if len(s) == 11 && allDigits(s) {
		return luhn(s)
	}
	return true
}

// italianTaxCode checks the shape of an Italian codice fiscale: eleven
// digits (legal persons) or the 16-character personal form (six letters,
// two digits, a letter, two digits, four characters, a letter).
func italianTaxCode(s string) bool {
	if len(s) == 11 {
		return allDigits(s)
	}
	if len(s) != 16 {
		return false
	}
	isLetter := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < 16; i++ {
		c := s[i]
		var ok bool
		switch {
		case i < 6, i == 8, i == 15:
			ok = isLetter(c)
		case i == 6, i == 7, i == 9, i == 10, i == 14:
			ok = isDigit(c)
		default: // 11..13: the municipality code, letters or digits
			ok = isLetter(c) || isDigit(c)
		}
		if !ok {
			return false
		}
	}
	return true
}

// frenchVAT checks a French VAT number "FR" + two-character key + SIREN.
// When the key is numeric it must equal (12 + 3 × (SIREN mod 97)) mod 97;
// alphabetic keys follow a rule that is not public and are only checked for
// shape.
func frenchVAT(s string) bool {
	if len(s) != 13 || s[:2] != "FR" || !allDigits(s[4:]) || !allAlnum(s[2:4]) {
		return false
	}
	if !allDigits(s[2:4]) {
		return true
	}
	n := 0
	for i := 4; i < 13; i++ {
		n = (n*10 + int(s[i]-'0')) % 97
	}
	key := int(s[2]-'0')*10 + int(s[3]-'0')
	return (12+3*n)%97 == key
}

// splitDash splits s at '-' without allocating more than the result.
func splitDash(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
