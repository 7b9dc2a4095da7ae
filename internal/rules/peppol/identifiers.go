package peppol

import (
	"regexp"
	"strings"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// idRule is one PEPPOL-COMMON identifier check: the identifiers with a
// scheme (EndpointID, PartyIdentification/ID, CompanyID) whose value must
// have the scheme's format and check digits.
type idRule struct {
	id, scheme   string
	flag         report.Flag
	endpointOnly bool
	raw          bool // the official test reads string() rather than normalize-space()
	only2026     bool
	test         func(string) bool
	en, nb       string
}

// idRules are in the official order: a node goes to the first rule that
// selects it (this matters for R056-2, which selects by VAT scheme).
var idRules = []idRule{
	{id: "PEPPOL-COMMON-R040", scheme: "0088", test: glnOK,
		en: "This GLN (scheme 0088) is not valid: it must be digits with a correct GS1 check digit.",
		nb: "Dette GLN-nummeret (skjema 0088) er ikke gyldig: det må være sifre med riktig GS1-kontrollsiffer."},
	{id: "PEPPOL-COMMON-R041", scheme: "0192", test: noOrgOK,
		en: "This Norwegian organisation number (scheme 0192) is not valid: it must be nine digits with a correct mod 11 check digit.",
		nb: "Dette norske organisasjonsnummeret (skjema 0192) er ikke gyldig: det må være ni sifre med riktig kontrollsiffer (modulus 11)."},
	{id: "PEPPOL-COMMON-R042", scheme: "0184", raw: true, test: dkCVROK,
		en: "This Danish CVR number (scheme 0184) is not valid: write eight digits, or DK followed by eight digits.",
		nb: "Dette danske CVR-nummeret (skjema 0184) er ikke gyldig: skriv åtte sifre, eller DK fulgt av åtte sifre."},
	{id: "PEPPOL-COMMON-R052", scheme: "0096", raw: true, only2026: true, test: func(s string) bool { return length(s) == 10 && allDigits(s) },
		en: "This Danish P number (scheme 0096) is not valid: write ten digits.",
		nb: "Dette danske P-nummeret (skjema 0096) er ikke gyldig: skriv ti sifre."},
	{id: "PEPPOL-COMMON-R053", scheme: "0198", raw: true, only2026: true, test: func(s string) bool { return len(s) == 10 && s[:2] == "DK" && allDigits(s[2:]) },
		en: "This Danish SE number (scheme 0198) is not valid: write DK followed by eight digits.",
		nb: "Dette danske SE-nummeret (skjema 0198) er ikke gyldig: skriv DK fulgt av åtte sifre."},
	{id: "PEPPOL-COMMON-R043", scheme: "0208", test: beEnterpriseOK,
		en: "This Belgian enterprise number (scheme 0208) is not valid: it must be ten digits whose last two are the mod 97 check of the first eight.",
		nb: "Dette belgiske foretaksnummeret (skjema 0208) er ikke gyldig: det må være ti sifre der de to siste er kontrollen (modulus 97) av de åtte første."},
	{id: "PEPPOL-COMMON-R044", scheme: "0201", flag: report.Warning, test: ipaOK,
		en: "This Italian IPA code (scheme 0201) should be six letters or digits.",
		nb: "Denne italienske IPA-koden (skjema 0201) bør være seks bokstaver eller sifre."},
	{id: "PEPPOL-COMMON-R045", scheme: "0210", flag: report.Warning, test: itCFOK,
		en: "This Italian tax code (Codice Fiscale, scheme 0210) has the wrong format: 16 characters in the personal code pattern, or 11 digits.",
		nb: "Denne italienske skattekoden (Codice Fiscale, skjema 0210) har feil format: 16 tegn etter mønsteret for personkoder, eller 11 sifre."},
	{id: "PEPPOL-COMMON-R046", scheme: "9907", flag: report.Warning, endpointOnly: true, test: itCFOK,
		en: "This Italian tax code (Codice Fiscale, scheme 9907) has the wrong format: 16 characters in the personal code pattern, or 11 digits.",
		nb: "Denne italienske skattekoden (Codice Fiscale, skjema 9907) har feil format: 16 tegn etter mønsteret for personkoder, eller 11 sifre."},
	{id: "PEPPOL-COMMON-R047", scheme: "0211", flag: report.Warning, test: itVATOK,
		en: "This Italian VAT number (Partita IVA, scheme 0211) is not valid: after IT there must be eleven digits with a correct check digit.",
		nb: "Dette italienske MVA-nummeret (Partita IVA, skjema 0211) er ikke gyldig: etter IT må det stå elleve sifre med riktig kontrollsiffer."},
	{id: "PEPPOL-COMMON-R049", scheme: "0007", test: func(s string) bool { return length(s) == 10 && isNumber(s) && seOrgOK(s) },
		en: "This Swedish organisation number (scheme 0007) is not valid: it must be ten digits with a correct Luhn check digit.",
		nb: "Dette svenske organisasjonsnummeret (skjema 0007) er ikke gyldig: det må være ti sifre med riktig Luhn-kontrollsiffer."},
	{id: "PEPPOL-COMMON-R050", scheme: "0151", test: abnOK,
		en: "This Australian Business Number (scheme 0151) is not valid: it must be eleven digits that pass the ABN check.",
		nb: "Dette australske ABN-nummeret (skjema 0151) er ikke gyldig: det må være elleve sifre som består ABN-kontrollen."},
	{id: "PEPPOL-COMMON-R054", scheme: "0106", flag: report.Warning, only2026: true, test: digitsRE(8),
		en: "This Dutch KvK number (scheme 0106) should be eight digits.",
		nb: "Dette nederlandske KvK-nummeret (skjema 0106) bør være åtte sifre."},
	{id: "PEPPOL-COMMON-R055", scheme: "0190", flag: report.Warning, only2026: true, test: digitsRE(20),
		en: "This Dutch OIN number (scheme 0190) should be twenty digits.",
		nb: "Dette nederlandske OIN-nummeret (skjema 0190) bør være tjue sifre."},
	{id: "PEPPOL-COMMON-R056-1", scheme: "9944", flag: report.Warning, only2026: true, test: nlVATRE.MatchString,
		en: "This Dutch VAT number (scheme 9944) should be written NL, nine digits, B and two digits.",
		nb: "Dette nederlandske MVA-nummeret (skjema 9944) bør skrives NL, ni sifre, B og to sifre."},
	{id: "PEPPOL-COMMON-R056-2", scheme: "", flag: report.Warning, only2026: true, test: nlVATRE.MatchString,
		en: "This Dutch VAT number should be written NL, nine digits, B and two digits.",
		nb: "Dette nederlandske MVA-nummeret bør skrives NL, ni sifre, B og to sifre."},
	{id: "PEPPOL-COMMON-R057", scheme: "0217", flag: report.Warning, only2026: true, test: digitsRE(12),
		en: "This identifier (scheme 0217) should be twelve digits.",
		nb: "Denne identifikatoren (skjema 0217) bør være tolv sifre."},
}

var nlVATRE = regexp.MustCompile(`^NL[0-9]{9}B[0-9]{2}$`)

func digitsRE(n int) func(string) bool {
	return func(s string) bool { return len(s) == n && allDigits(s) }
}

// identifiers are the PEPPOL-COMMON rules of the release.
func identifiers(r *release) []rule.Rule {
	var active []*idRule
	for i := range idRules {
		if !idRules[i].only2026 || r.v2026 {
			active = append(active, &idRules[i])
		}
	}
	var out []rule.Rule
	for k, ir := range active {
		out = append(out, rule.Rule{ID: ir.id, Flag: ir.flag, En: ir.en, Nb: ir.nb,
			Check: func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !v.idDone {
					// one pass sorts every identifier to the rule that selects it
					v.idDone = true
					if len(v.idNodes) < len(active) {
						v.idNodes = make([][]Node, len(active))
					}
					t, d := v.t, v.t.d
					own := func(n Node, endpoint, company bool) {
						if o := owner(t, n, endpoint, company, active); o >= 0 {
							v.idNodes[o] = append(v.idNodes[o], n)
						}
					}
					for _, n := range d.Elements(t.id(cbcEndpointID)) {
						own(n, true, false)
					}
					// of the many cbc:ID only those of a party
					// identification: the parent is looked at first
					if pid := t.id(cacPartyIdentification); pid >= 0 {
						for _, n := range d.Elements(t.id(cbcID)) {
							if p := d.Parent(n); p > 0 && d.Kind(p) == xmltree.ElementNode && d.NameID(p) == pid {
								own(n, false, false)
							}
						}
					}
					for _, n := range d.Elements(t.id(cbcCompanyID)) {
						own(n, false, true)
					}
				}
				for _, n := range v.idNodes[k] {
					s := v.t.text(n)
					if !ir.raw {
						s = norm(s)
					}
					if !ir.test(s) {
						c.Fail(ru, n)
					}
				}
			}})
	}
	return out
}

// owner is the position in active of the identifier rule that selects n,
// or -1. n is a cbc:EndpointID (endpoint), a cbc:CompanyID (company) or a
// cac:PartyIdentification/cbc:ID.
func owner(t tree, n Node, endpoint, company bool, active []*idRule) int {
	scheme, hasScheme := t.attr(n, attrSchemeID)
	for k, ir := range active {
		if ir.scheme == "" {
			// the value's prefix first: it rules out most at once
			if company && strings.HasPrefix(norm(t.text(n)), "NL") &&
				t.parentIs(n, cacPartyTaxScheme) &&
				len(t.texts(t.d.Parent(n), cacTaxScheme, cbcID)) == 1 &&
				norm(t.val(t.d.Parent(n), cacTaxScheme, cbcID)) == "VAT" {
				return k
			}
			continue
		}
		if hasScheme && scheme == ir.scheme && (endpoint || !ir.endpointOnly) {
			return k
		}
	}
	return -1
}

// digitsOf returns the digit values of s, or false when s has another
// character.
func digitsOf(s string) ([]int, bool) {
	return appendDigits(make([]int, 0, 24), s)
}

// appendDigits appends the digit values of s to out (for digitsOf: with
// room for the usual identifier, the slice need not leave the stack).
func appendDigits(out []int, s string) ([]int, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
		out = append(out, int(s[i]-'0'))
	}
	return out, true
}

// glnOK is ^[0-9]+$ and the GS1 check digit (weights 3,1,3,... from the
// right of the body).
func glnOK(s string) bool {
	d, ok := digitsOf(s)
	if !ok || len(d) == 0 {
		return false
	}
	body := d[:len(d)-1]
	sum := 0
	for i := 0; i < len(body); i++ {
		w := 1
		if i%2 == 0 {
			w = 3
		}
		sum += body[len(body)-1-i] * w
	}
	return (10-sum%10)%10 == d[len(d)-1]
}

// mod11OK is the official u:mod11: weights 2..7 repeating from the right
// of the body, and a positive number.
func mod11OK(s string) bool {
	d, ok := digitsOf(s)
	if !ok || len(d) == 0 {
		return false
	}
	body := d[:len(d)-1]
	sum, positive := 0, false
	for i := 0; i < len(body); i++ {
		sum += body[len(body)-1-i] * (i%6 + 2)
	}
	for _, x := range d {
		positive = positive || x != 0
	}
	return positive && (11-sum%11)%11 == d[len(d)-1]
}

func noOrgOK(s string) bool { return len(s) == 9 && mod11OK(s) }

func dkCVROK(s string) bool {
	switch length(s) {
	case 10:
		return strings.HasPrefix(s, "DK") && allDigits(s[2:])
	case 8:
		return allDigits(s)
	}
	return false
}

func beEnterpriseOK(s string) bool {
	d, ok := digitsOf(s)
	if !ok || len(d) != 10 {
		return false
	}
	n := 0
	for _, x := range d[:8] {
		n = n*10 + x
	}
	return d[8]*10+d[9] == 97-n%97
}

func isASCIILetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func ipaOK(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// itCFOK is the official u:checkCF.
func itCFOK(s string) bool {
	switch length(s) {
	case 16:
		return itCF16(s)
	case 11:
		return isInteger(s)
	}
	return false
}

func lettersOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return true
}

func itCF16(s string) bool {
	return lettersOnly(substr(s, 1, 6)) && isInteger(substr(s, 7, 2)) && lettersOnly(substr(s, 9, 1)) &&
		isInteger(substr(s, 10, 2)) && isInteger(substr(s, 15, 1)) && lettersOnly(substr(s, 16, 1))
}

// itVATOK is the official u:checkPIVAseIT: only values starting IT or it
// are checked.
func itVATOK(s string) bool {
	p := substr(s, 1, 2)
	if p != "IT" && p != "it" {
		return true
	}
	code := substr(s, 3, -1)
	if length(code) != 11 || !isInteger(code) {
		return false
	}
	sum, ok := addPIVA(code, 0)
	return ok && sum%10 == 0
}

// addPIVA is the official recursive sum: digits in odd places as they
// are, digits in even places doubled with their digits summed.
func addPIVA(s string, even int) (int, bool) {
	if !isInteger(s) {
		return 0, true
	}
	c := s[0]
	if c < '0' || c > '9' {
		return 0, false
	}
	m := int(c - '0')
	if even == 1 {
		m = int("0246813579"[m] - '0')
	}
	rest, ok := addPIVA(s[1:], 1-even)
	return m + rest, ok
}

// seOrgOK is the official u:checkSEOrgnr: digits only, and the tenth digit
// the Luhn check of the first nine.
func seOrgOK(s string) bool {
	if s == "" || !allDigits(s) {
		return false
	}
	main := substr(s, 1, 9)
	check := substr(s, 10, 1)
	if check == "" {
		return false
	}
	sum := 0
	for pos := 1; pos <= len(main); pos++ {
		x := int(main[len(main)-pos] - '0')
		if pos%2 == 1 {
			x *= 2
			x = x%10 + x/10
		}
		sum += x
	}
	return (10-sum%10)%10 == int(check[0]-'0')
}

// abnOK is ^[0-9]{11}$ and the ABN weighted sum divisible by 89.
func abnOK(s string) bool {
	d, ok := digitsOf(s)
	if !ok || len(d) != 11 {
		return false
	}
	sum := (d[0] - 1) * 10
	for i := 1; i < 11; i++ {
		sum += d[i] * (2*i - 1)
	}
	return sum%89 == 0
}
