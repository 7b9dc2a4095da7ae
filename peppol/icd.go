package peppol

import (
	"sort"
	"strings"
)

// ICD is one participant identifier scheme of the Peppol code list: the
// four-digit ISO 6523 ICD (or Peppol 99xx code) that prefixes a participant
// identifier and, in an invoice, is the EAS code in cbc:EndpointID/@schemeID.
type ICD struct {
	// Code is the four-digit code, for example "0192".
	Code string
	// Country is the ISO 3166-1 alpha-2 code of the issuing country, or ""
	// for international schemes.
	Country string
	// Name says what the identifiers are, in English. It is empty for codes
	// this package knows are in the list but has no description for.
	Name string

	format *formatRule
	check  func(string) bool
}

// formatRule is a test of an identifier's shape, with a description of
// the shape for the error message.
type formatRule struct {
	ok     func(string) bool
	en, nb string
}

// HasCheckDigit reports whether Validate checks this scheme's check digits.
func (i ICD) HasCheckDigit() bool { return i.check != nil }

// HasFormat reports whether Validate checks this scheme's format.
func (i ICD) HasFormat() bool { return i.format != nil }

// LookupICD returns the entry for code ("0192").
func LookupICD(code string) (ICD, bool) {
	i, ok := icds[code]
	return i, ok
}

// ICDs returns the known schemes in code order.
func ICDs() []ICD {
	out := make([]ICD, 0, len(icds))
	for _, i := range icds {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Code < out[b].Code })
	return out
}

// checkICDValue applies the format and check digit rules of icd to the
// local identifier. Letters are compared in upper case because participant
// identifiers are case-insensitive.
func checkICDValue(input, code, local string) error {
	icd, ok := icds[code]
	if !ok {
		return idErr(input, ErrUnknownICD,
			"ICD "+code+" is not in the Peppol code list",
			"ICD "+code+" er ikke i Peppols kodeliste")
	}
	v := strings.ToUpper(local)
	if icd.format != nil && !icd.format.ok(v) {
		return idErr(input, ErrFormat,
			describe(icd)+" must be "+icd.format.en,
			describe(icd)+" må være "+icd.format.nb)
	}
	if icd.check != nil && !icd.check(v) {
		return idErr(input, ErrCheckDigit,
			"the check digits of this "+describe(icd)+" are wrong",
			"kontrollsifrene i dette nummeret ("+describe(icd)+") er feil")
	}
	return nil
}

func describe(i ICD) string {
	if i.Name != "" {
		return i.Name + " (" + i.Code + ")"
	}
	return "ICD " + i.Code
}

// Shapes shared by several schemes.
func digits(n int, en, nb string) *formatRule {
	return &formatRule{ok: func(s string) bool { return len(s) == n && allDigits(s) }, en: en, nb: nb}
}

// icds is the EAS code list of Peppol BIS Billing 3.0 as of the 2026.5
// release (the codes allowed in cbc:EndpointID/@schemeID), with the format
// and check digit rules known for each. Where Peppol's own rules only check
// the shape (0184) this package also checks the check digit.
var icds = func() map[string]ICD {
	list := []ICD{
		{Code: "0002", Country: "FR", Name: "French SIRENE number", format: digits(9, "nine digits", "ni sifre"), check: siren},
		{Code: "0007", Country: "SE", Name: "Swedish organisation number", format: digits(10, "ten digits without a dash", "ti sifre uten bindestrek"), check: swedishOrgNumber},
		{Code: "0009", Country: "FR", Name: "French SIRET number", format: digits(14, "14 digits", "14 sifre"), check: siret},
		{Code: "0060", Name: "DUNS number", format: digits(9, "nine digits", "ni sifre")},
		{Code: "0088", Name: "GS1 Global Location Number", format: digits(13, "13 digits", "13 sifre"), check: gln},
		{Code: "0096", Country: "DK", Name: "Danish P-number", format: digits(10, "ten digits", "ti sifre")},
		{Code: "0097", Country: "IT", Name: "FTI Ediforum Italia identifier"},
		{Code: "0106", Country: "NL", Name: "Dutch Chamber of Commerce (KvK) number", format: digits(8, "eight digits", "åtte sifre")},
		{Code: "0130", Name: "European Commission directorate identifier"},
		{Code: "0135", Country: "IT", Name: "SIA object identifier"},
		{Code: "0142", Country: "IT", Name: "SECETI object identifier"},
		{Code: "0151", Country: "AU", Name: "Australian Business Number", format: digits(11, "eleven digits", "elleve sifre"), check: australianBusinessNumber},
		{Code: "0183", Country: "CH", Name: "Swiss business identification number (UID)",
			format: &formatRule{ok: func(s string) bool { return len(s) == 12 && s[:3] == "CHE" && allDigits(s[3:]) },
				en: "CHE followed by nine digits", nb: "CHE etterfulgt av ni sifre"},
			check: swissUID},
		{Code: "0184", Country: "DK", Name: "Danish CVR number",
			format: &formatRule{ok: func(s string) bool {
				if len(s) == 10 && s[:2] == "DK" {
					s = s[2:]
				}
				return len(s) == 8 && allDigits(s)
			}, en: "eight digits, optionally preceded by DK", nb: "åtte sifre, eventuelt med DK foran"},
			check: danishCVR},
		{Code: "0188", Country: "JP", Name: "Japanese corporate number", format: digits(13, "13 digits", "13 sifre"), check: japaneseCorporateNumber},
		{Code: "0190", Country: "NL", Name: "Dutch organisation identification number (OIN)", format: digits(20, "20 digits", "20 sifre")},
		{Code: "0191", Country: "EE", Name: "Estonian company code"},
		{Code: "0192", Country: "NO", Name: "Norwegian organisation number", format: digits(9, "nine digits", "ni sifre"), check: norwegianOrgNumber},
		{Code: "0195", Country: "SG", Name: "Singapore Unique Entity Number"},
		{Code: "0196", Country: "IS", Name: "Icelandic kennitala", format: digits(10, "ten digits without a dash", "ti sifre uten bindestrek"), check: icelandicKennitala},
		{Code: "0198", Country: "DK", Name: "Danish ERST organisation number (SE)",
			format: &formatRule{ok: func(s string) bool { return len(s) == 10 && s[:2] == "DK" && allDigits(s[2:]) },
				en: "DK followed by eight digits", nb: "DK etterfulgt av åtte sifre"}},
		{Code: "0199", Name: "Legal Entity Identifier (LEI)",
			format: &formatRule{ok: func(s string) bool { return len(s) == 20 && allAlnum(s) && allDigits(s[18:]) },
				en: "18 letters or digits and two check digits", nb: "18 bokstaver eller sifre og to kontrollsifre"},
			check: legalEntityIdentifier},
		{Code: "0200", Country: "LT", Name: "Lithuanian legal entity code"},
		{Code: "0201", Country: "IT", Name: "Italian IPA office code",
			format: &formatRule{ok: func(s string) bool { return len(s) == 6 && allAlnum(s) },
				en: "six letters or digits", nb: "seks bokstaver eller sifre"}},
		{Code: "0204", Country: "DE", Name: "German Leitweg-ID",
			format: &formatRule{ok: func(s string) bool {
				p := splitDash(s)
				return (len(p) == 2 || len(p) == 3) && allDigits(p[0]) && len(p[len(p)-1]) == 2 && allDigits(p[len(p)-1])
			}, en: "a coarse address, an optional fine address and two check digits separated by dashes",
				nb: "en grovadresse, eventuelt en finadresse, og to kontrollsifre adskilt med bindestrek"},
			check: leitwegID},
		{Code: "0208", Country: "BE", Name: "Belgian enterprise number", format: digits(10, "ten digits", "ti sifre"), check: belgianEnterpriseNumber},
		{Code: "0209", Name: "GS1 identification key"},
		{Code: "0210", Country: "IT", Name: "Italian tax code (codice fiscale)",
			format: &formatRule{ok: italianTaxCode,
				en: "eleven digits or the 16-character personal form", nb: "elleve sifre eller den personlige formen på 16 tegn"}},
		{Code: "0211", Country: "IT", Name: "Italian VAT number (partita IVA)",
			format: &formatRule{ok: func(s string) bool {
				if len(s) >= 2 && s[:2] == "IT" {
					return len(s) == 13 && allDigits(s[2:])
				}
				return true
			}, en: "IT followed by eleven digits", nb: "IT etterfulgt av elleve sifre"},
			check: italianVAT},
		{Code: "0216", Country: "FI", Name: "Finnish OVT code"},
		{Code: "0218", Country: "LV", Name: "Latvian unified registration number"},
		{Code: "0221", Country: "JP", Name: "Japanese registered invoice issuer number",
			format: &formatRule{ok: func(s string) bool { return len(s) == 14 && s[0] == 'T' && allDigits(s[1:]) },
				en: "T followed by 13 digits", nb: "T etterfulgt av 13 sifre"},
			check: japaneseInvoiceIssuer},
		{Code: "0225", Country: "FR", Name: "French FRCTC electronic address"},
		{Code: "0230", Country: "MY", Name: "Malaysian e-invoicing identifier"},
		{Code: "0235", Country: "AE", Name: "UAE tax identification number"},
		// In the list without a description here.
		{Code: "0240"}, {Code: "0242"}, {Code: "0244"}, {Code: "0245"}, {Code: "0246"}, {Code: "0248"},
		{Code: "9910", Country: "HU", Name: "Hungarian VAT number"},
		{Code: "9913", Name: "Business Registers Network identifier"},
		{Code: "9914", Country: "AT", Name: "Austrian VAT number"},
		{Code: "9915", Country: "AT", Name: "Austrian administration / organisation code"},
		{Code: "9918", Name: "IBAN"},
		{Code: "9919", Country: "AT", Name: "Austrian company register number"},
		{Code: "9920", Country: "ES", Name: "Spanish VAT number"},
		{Code: "9922", Country: "AD", Name: "Andorran VAT number"},
		{Code: "9923", Country: "AL", Name: "Albanian VAT number"},
		{Code: "9924", Country: "BA", Name: "Bosnian VAT number"},
		{Code: "9925", Country: "BE", Name: "Belgian VAT number",
			format: &formatRule{ok: func(s string) bool { return len(s) == 12 && s[:2] == "BE" && allDigits(s[2:]) },
				en: "BE followed by ten digits", nb: "BE etterfulgt av ti sifre"},
			check: belgianVAT},
		{Code: "9926", Country: "BG", Name: "Bulgarian VAT number"},
		{Code: "9927", Country: "CH", Name: "Swiss VAT number"},
		{Code: "9928", Country: "CY", Name: "Cypriot VAT number"},
		{Code: "9929", Country: "CZ", Name: "Czech VAT number"},
		{Code: "9930", Country: "DE", Name: "German VAT number"},
		{Code: "9931", Country: "EE", Name: "Estonian VAT number"},
		{Code: "9932", Country: "GB", Name: "United Kingdom VAT number"},
		{Code: "9933", Country: "GR", Name: "Greek VAT number"},
		{Code: "9934", Country: "HR", Name: "Croatian VAT number"},
		{Code: "9935", Country: "IE", Name: "Irish VAT number"},
		{Code: "9936", Country: "LI", Name: "Liechtenstein VAT number"},
		{Code: "9937", Country: "LT", Name: "Lithuanian VAT number"},
		{Code: "9938", Country: "LU", Name: "Luxembourg VAT number"},
		{Code: "9939", Country: "LV", Name: "Latvian VAT number"},
		{Code: "9940", Country: "MC", Name: "Monegasque VAT number"},
		{Code: "9941", Country: "ME", Name: "Montenegrin VAT number"},
		{Code: "9942", Country: "MK", Name: "North Macedonian VAT number"},
		{Code: "9943", Country: "MT", Name: "Maltese VAT number"},
		{Code: "9944", Country: "NL", Name: "Dutch VAT number",
			format: &formatRule{ok: func(s string) bool {
				return len(s) == 14 && s[:2] == "NL" && allDigits(s[2:11]) && s[11] == 'B' && allDigits(s[12:])
			}, en: "NL, nine digits, B and two digits", nb: "NL, ni sifre, B og to sifre"}},
		{Code: "9945", Country: "PL", Name: "Polish VAT number"},
		{Code: "9946", Country: "PT", Name: "Portuguese VAT number"},
		{Code: "9947", Country: "RO", Name: "Romanian VAT number"},
		{Code: "9948", Country: "RS", Name: "Serbian VAT number"},
		{Code: "9949", Country: "SI", Name: "Slovenian VAT number"},
		{Code: "9950", Country: "SK", Name: "Slovak VAT number"},
		{Code: "9951", Country: "SM", Name: "San Marino VAT number"},
		{Code: "9952", Country: "TR", Name: "Turkish VAT number"},
		{Code: "9953", Country: "VA", Name: "Vatican VAT number"},
		{Code: "9957", Country: "FR", Name: "French VAT number",
			format: &formatRule{ok: func(s string) bool { return len(s) == 13 && s[:2] == "FR" && allAlnum(s[2:4]) && allDigits(s[4:]) },
				en: "FR, a two-character key and the nine-digit SIREN", nb: "FR, en nøkkel på to tegn og SIREN-nummeret på ni sifre"},
			check: frenchVAT},
		{Code: "9959", Country: "US", Name: "US Employer Identification Number"},
	}
	m := make(map[string]ICD, len(list))
	for _, i := range list {
		if _, dup := m[i.Code]; dup {
			panic("peppol: ICD listed twice: " + i.Code)
		}
		m[i.Code] = i
	}
	return m
}()
