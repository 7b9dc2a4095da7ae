package peppol

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestIdentifierChecks(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		in   string
		want bool
	}{
		{"GLN", glnOK, "7300010000001", true},
		{"GLN bad check digit", glnOK, "7300010000002", false},
		{"GLN any length", glnOK, "0", true},
		{"GLN letters", glnOK, "73000100000a1", false},
		{"NO orgnr", noOrgOK, "123456785", true},
		{"NO orgnr bad check", noOrgOK, "123456789", false},
		{"NO orgnr remainder 10", noOrgOK, "123456770", false},
		{"NO orgnr zero", noOrgOK, "000000000", false},
		{"NO orgnr short", noOrgOK, "12345678", false},
		{"DK CVR", dkCVROK, "12345678", true},
		{"DK CVR prefixed", dkCVROK, "DK12345678", true},
		{"DK CVR 9 digits", dkCVROK, "123456789", false},
		{"BE enterprise", beEnterpriseOK, "0403170701", true},
		{"BE enterprise bad", beEnterpriseOK, "0403170702", false},
		{"IT IPA", ipaOK, "ABC123", true},
		{"IT IPA short", ipaOK, "AB12", false},
		{"IT CF personal", itCFOK, "RSSMRA85T10A562S", true},
		{"IT CF numeric", itCFOK, "12345678901", true},
		{"IT CF signed numeric", itCFOK, "+1234567890", true},
		{"IT CF bad", itCFOK, "RSSMRA85T10A56", false},
		{"IT VAT", itVATOK, "IT00743110157", true},
		{"IT VAT bad", itVATOK, "IT00743110158", false},
		{"IT VAT lower", itVATOK, "it00743110157", true},
		{"IT VAT other prefix", itVATOK, "FR00743110158", true},
		{"IT VAT short", itVATOK, "IT0074311015", false},
		{"SE orgnr", seOrgOK, "5560360793", true},
		{"SE orgnr bad", seOrgOK, "5560360794", false},
		{"SE orgnr dash", seOrgOK, "556036-0793", false},
		{"SE orgnr short", seOrgOK, "556036079", false},
		{"ABN", abnOK, "51824753556", true},
		{"ABN bad", abnOK, "51824753557", false},
		{"Greek TIN", tinOK, "094259216", true},
		{"Greek TIN bad", tinOK, "094259217", false},
		{"Greek TIN extra characters ignored", tinOK, "0942592169", true},
		{"Greek TIN short", tinOK, "09425921", false},
		{"IBAN", ibanOK, "DE89 3704 0044 0532 0130 00", true},
		{"IBAN bad", ibanOK, "DE89370400440532013001", false},
		{"IBAN lower case country", ibanOK, "de89370400440532013000", false},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%s: %q gives %v, want %v", c.name, c.in, got, c.want)
		}
	}
}

func TestXPathHelpers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  a \n b\t", "a b"}, {"a", "a"}, {"", ""}, {"\u00a0a", "\u00a0a"},
	} {
		if got := norm(c.in); got != c.want {
			t.Errorf("norm(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := substr("ÆØÅabc", 2, 3); got != "ØÅa" {
		t.Errorf("substr = %q", got)
	}
	if got := substr("abc", 3, -1); got != "c" {
		t.Errorf("substr to end = %q", got)
	}
	for _, c := range []struct {
		in   string
		want bool
	}{{"1", true}, {" 1e3 ", true}, {"INF", true}, {"1,5", false}, {"", false}, {"0x10", false}, {"NaN", false}} {
		if got := isNumber(c.in); got != c.want {
			t.Errorf("isNumber(%q) = %v", c.in, got)
		}
	}
	for _, c := range []struct {
		in   string
		want bool
	}{{"2026-11-24", true}, {"2026-02-30", false}, {"2026-11-24Z", true}, {"2026-11-24+01:00", true}, {"26-11-24", false}, {"2026-1-24", false}} {
		if got := isDate(c.in); got != c.want {
			t.Errorf("isDate(%q) = %v", c.in, got)
		}
	}
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	for _, c := range []struct{ a, b, want string }{
		{"1", "3", "0.333333333333333333"},
		{"2", "3", "0.666666666666666667"},
		{"-2", "3", "-0.666666666666666667"},
		{"10", "4", "2.5"},
	} {
		if got := xdiv(d(c.a), d(c.b)); !got.Equal(d(c.want)) {
			t.Errorf("%s div %s = %s, want %s", c.a, c.b, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{{"2.5", "3"}, {"-2.5", "-2"}, {"-2.51", "-3"}, {"0.49", "0"}} {
		if got := round(d(c.in)); !got.Equal(d(c.want)) {
			t.Errorf("round(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}
