package peppol

import (
	"errors"
	"testing"
)

func TestValidateICDRules(t *testing.T) {
	tests := []struct {
		id      string
		wantErr error // nil: valid
	}{
		// 0192 Norwegian organisation number, mod 11 with weights 3 2 7 6 5 4 3 2.
		{"0192:974760673", nil},
		{"0192:974760672", ErrCheckDigit},
		{"0192:100000138", ErrCheckDigit}, // weighted sum gives remainder 1: no valid check digit exists
		{"0192:000000000", ErrCheckDigit},
		{"0192:97476067", ErrFormat},
		{"0192:NO974760673", ErrFormat},
		{"0192:974760673MVA", ErrFormat},
		// 0088 GLN, GS1 mod 10.
		{"0088:5026744000002", nil},
		{"0088:5060482240009", nil},
		{"0088:9429041098400", nil},
		{"0088:9429041098401", ErrCheckDigit},
		{"0088:502674400000", ErrFormat},
		// 0184 Danish CVR, mod 11 with weights 2 7 6 5 4 3 2 1.
		{"0184:24256790", nil},
		{"0184:DK24256790", nil},
		{"0184:dk24256790", nil},
		{"0184:24256791", ErrCheckDigit},
		{"0184:12345678", ErrCheckDigit},
		{"0184:1234567", ErrFormat},
		{"0184:DK1234567", ErrFormat},
		// 0007 Swedish organisation number, Luhn.
		{"0007:2021005489", nil},
		{"0007:5560125790", nil},
		{"0007:2021005480", ErrCheckDigit},
		{"0007:556622-1100", ErrFormat},
		{"0007:SE5566221100", ErrFormat},
		// 0208 Belgian enterprise number, mod 97.
		{"0208:0739484052", nil},
		{"0208:0417497106", nil},
		{"0208:0739484059", ErrCheckDigit},
		{"0208:07399999484052", ErrFormat},
		{"0208:ABC", ErrFormat},
		// 0151 Australian Business Number, mod 89.
		{"0151:51824753556", nil},
		{"0151:53004085616", nil},
		{"0151:51824753550", ErrCheckDigit},
		{"0151:ERR51824753556", ErrFormat},
		// 0002 SIRENE and 0009 SIRET, Luhn.
		{"0002:542065479", nil},
		{"0002:542065478", ErrCheckDigit},
		{"0009:54206547900009", nil},
		{"0009:54206547900011", ErrCheckDigit},
		{"0009:35600000000001", nil}, // La Poste: digit sum a multiple of 5
		{"0009:35600000000002", ErrCheckDigit},
		// 0183 Swiss UID, mod 11 with weights 5 4 3 2 7 6 5 4.
		{"0183:CHE116281710", nil},
		{"0183:che109322551", nil},
		{"0183:CHE116281711", ErrCheckDigit},
		{"0183:CHE11628171", ErrFormat},
		{"0183:116281710", ErrFormat},
		// 0196 Icelandic kennitala.
		{"0196:5902697199", nil},
		{"0196:4710080280", nil},
		{"0196:5902697189", ErrCheckDigit},
		{"0196:590269-7199", ErrFormat},
		// 0188 Japanese corporate number and 0221 invoice issuer number.
		{"0188:7000012050002", nil},
		{"0188:1180301018771", nil},
		{"0188:8000012050002", ErrCheckDigit},
		{"0221:T7000012050002", nil},
		{"0221:t1180301018771", nil},
		{"0221:T8000012050002", ErrCheckDigit},
		{"0221:7000012050002", ErrFormat},
		// 0199 LEI, ISO 7064 MOD 97-10.
		{"0199:5493001KJTIIGC8Y1R12", nil},
		{"0199:529900T8BM49AURSDO55", nil},
		{"0199:5493001KJTIIGC8Y1R13", ErrCheckDigit},
		{"0199:5493001KJTIIGC8Y1R1", ErrFormat},
		// 0204 Leitweg-ID, ISO 7064 MOD 97-10.
		{"0204:991-33333TEST-33", nil},
		{"0204:04011000-1234512345-06", nil},
		{"0204:991-33333test-33", nil},
		{"0204:991-33333TEST-34", ErrCheckDigit},
		{"0204:991-33333TEST", ErrFormat},
		{"0204:ABC-33", ErrFormat},
		// Italian schemes, shape only except the VAT number's Luhn digit.
		{"0201:F7VRDL", nil},
		{"0201:F7VRDLF7VRDL", ErrFormat},
		{"0210:97735020584", nil},
		{"0210:RSSMRA85T10A562S", nil},
		{"0210:ABC", ErrFormat},
		{"0210:9773502058497735020584", ErrFormat},
		{"0211:IT02985591201", nil},
		{"0211:IT02985591202", ErrCheckDigit},
		{"0211:IT1", ErrFormat},
		{"0211:ITABC", ErrFormat},
		// Danish, Dutch and VAT schemes.
		{"0096:1234567890", nil},
		{"0096:123456789", ErrFormat},
		{"0198:DK12345678", nil},
		{"0198:12345678", ErrFormat},
		{"0106:12345678", nil},
		{"0106:1234567", ErrFormat},
		{"0190:12345678901234567890", nil},
		{"0190:1234567890123456789", ErrFormat},
		{"0217:123456789012", ErrUnknownICD}, // has a Peppol rule for party IDs, but is no EAS code
		{"9944:NL123456789B12", nil},
		{"9944:nl123456789b12", nil},
		{"9944:NL123456789", ErrFormat},
		{"9925:BE0739484052", nil},
		{"9925:BE0739484059", ErrCheckDigit},
		{"9925:0739484052", ErrFormat},
		{"9957:FR40303265045", nil},
		{"9957:FR82542065479", nil},
		{"9957:FR41303265045", ErrCheckDigit},
		{"9957:FRXX303265045", nil}, // alphabetic keys: shape only
		{"9957:FR4030326504", ErrFormat},
		{"0060:123456789", nil},
		{"0060:12345678", ErrFormat},
		// Schemes without rules take any syntactically valid value.
		{"9915:test", nil},
		{"0037:003712345678", ErrUnknownICD},
		{"0240:anything", nil},
		// Codes outside the list.
		{"9999:test", ErrUnknownICD},
		{"9908:974760673", ErrUnknownICD},
		{"0000:1", ErrUnknownICD},
	}
	for _, tt := range tests {
		p, err := ParseParticipantID(tt.id)
		if err != nil {
			t.Errorf("ParseParticipantID(%q): %v", tt.id, err)
			continue
		}
		err = p.Validate()
		if tt.wantErr == nil && err != nil {
			t.Errorf("Validate(%q) = %v, want valid", tt.id, err)
		}
		if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("Validate(%q) = %v, want %v", tt.id, err, tt.wantErr)
		}
		var ie *IDError
		if err != nil && (!errors.As(err, &ie) || ie.Reason == "" || ie.ReasonNB == "") {
			t.Errorf("Validate(%q): want *IDError with both reasons, got %#v", tt.id, err)
		}
	}
}

// Every scheme with a format or check digit rule must have a case in the
// table above; this keeps the table honest when the list grows.
func TestEveryRuleIsTested(t *testing.T) {
	tested := map[string]bool{
		"0002": true, "0007": true, "0009": true, "0060": true, "0088": true, "0096": true,
		"0106": true, "0151": true, "0183": true, "0184": true, "0188": true, "0190": true,
		"0192": true, "0196": true, "0198": true, "0199": true, "0201": true, "0204": true,
		"0208": true, "0210": true, "0211": true, "0221": true, "9925": true,
		"9944": true, "9957": true,
	}
	for _, i := range ICDs() {
		if (i.HasFormat() || i.HasCheckDigit()) && !tested[i.Code] {
			t.Errorf("ICD %s has rules but no table test", i.Code)
		}
	}
}

func TestLookupICD(t *testing.T) {
	i, ok := LookupICD("0192")
	if !ok || i.Country != "NO" || !i.HasCheckDigit() || i.Name == "" {
		t.Errorf("LookupICD(0192) = %+v, %v", i, ok)
	}
	if _, ok := LookupICD("9908"); ok {
		t.Error("9908 was withdrawn from the Peppol list and must not be known")
	}
	list := ICDs()
	if len(list) < 80 {
		t.Errorf("only %d ICDs known", len(list))
	}
	for k := 1; k < len(list); k++ {
		if list[k-1].Code >= list[k].Code {
			t.Fatalf("ICDs not sorted at %s", list[k].Code)
		}
	}
}

func TestCheckDigitFunctionsRejectGarbage(t *testing.T) {
	// Every algorithm must be safe on inputs of any shape.
	funcs := map[string]func(string) bool{
		"no": norwegianOrgNumber, "gln": gln, "se": swedishOrgNumber, "siren": siren, "siret": siret,
		"cvr": danishCVR, "be": belgianEnterpriseNumber, "bevat": belgianVAT, "abn": australianBusinessNumber,
		"che": swissUID, "is": icelandicKennitala, "jp": japaneseCorporateNumber, "jpt": japaneseInvoiceIssuer,
		"leitweg": leitwegID, "lei": legalEntityIdentifier, "frvat": frenchVAT,
	}
	for name, f := range funcs {
		for _, in := range []string{"", "-", "--", "A", "ÆØÅ", "12345678901234567890123456789012345678901234567890"} {
			if f(in) {
				t.Errorf("%s(%q) = true", name, in)
			}
		}
	}
}
