package ehf

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/shopspring/decimal"
)

func TestParseTypes(t *testing.T) {
	const ubl = `xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"`
	doc := func(root, ns, cust string) string {
		return `<` + root + ` xmlns="urn:oasis:names:specification:ubl:schema:xsd:` + ns + `" ` + ubl + `><cbc:CustomizationID>` + cust + `</cbc:CustomizationID></` + root + `>`
	}
	const billing = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	cases := []struct {
		in, want string
		billing  bool
	}{
		{doc("Invoice", "Invoice-2", billing), "peppol-billing-invoice", true},
		{doc("CreditNote", "CreditNote-2", billing), "peppol-billing-credit-note", true},
		{doc("Invoice", "Invoice-2", billing+"#conformant#urn:fdc:anskaffelser.no:2019:ehf:forward-billing:3.0"), "peppol-billing-invoice", true},
		{doc("Invoice", "Invoice-2", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"), "peppol-selfbilling-invoice", false},
		{doc("Invoice", "Invoice-2", "urn:cen.eu:en16931:2017"), "en16931-invoice", true},
		{doc("Invoice", "Invoice-2", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:biling:3.0"), "en16931-invoice", true},
		{doc("CreditNote", "CreditNote-2", ""), "ubl-credit-note", true},
		{doc("Order", "Order-2", "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"), "ehf-order", false},
		{doc("Catalogue", "Catalogue-2", "urn:fdc:peppol.eu:poacc:trns:catalogue:3"), "peppol-catalogue", false},
		{doc("DespatchAdvice", "DespatchAdvice-2", "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3"), "peppol-despatch-advice", false},
		{`<html/>`, "unknown", false},
	}
	for _, c := range cases {
		d, err := Parse([]byte(c.in), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.want, err)
		}
		if d.Type.Name != c.want || d.Type.Billing() != c.billing {
			t.Errorf("got %s (billing %v), want %s (billing %v)", d.Type.Name, d.Type.Billing(), c.want, c.billing)
		}
		if c.billing != (d.Invoice != nil && c.billing) {
			t.Errorf("%s: model read = %v", c.want, d.Invoice != nil)
		}
		rep := Validate(d, nil)
		unchecked := len(rep.Findings) > 0 && rep.Findings[len(rep.Findings)-1].ID == RuleUnchecked
		if unchecked == c.billing {
			t.Errorf("%s: %s reported = %v", c.want, RuleUnchecked, unchecked)
		}
	}
}

// An invoice in an SBDH envelope is validated as the invoice, and its
// findings point into the whole file.
func TestSBDHUnwrapped(t *testing.T) {
	d, err := ParseFile("../testdata/invoices/sbdh-wrapped-broken.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Wrapped || d.Type.Name != "peppol-billing-invoice" || d.Invoice == nil {
		t.Fatalf("wrapped %v type %s", d.Wrapped, d.Type.Name)
	}
	rep := Validate(d, goldenOptions)
	var found bool
	for _, f := range rep.Findings {
		if f.ID == invoice.RuleAmount {
			found = true
			data, _ := os.ReadFile("../testdata/invoices/sbdh-wrapped-broken.xml")
			line := strings.Split(string(data), "\n")[f.Line-1]
			if !strings.Contains(line[f.Column-1:], `<cbc:PayableAmount currencyID="NOK">25OO.00`) {
				t.Errorf("finding at %d:%d points at %q", f.Line, f.Column, line)
			}
			if f.Location != "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount" {
				t.Errorf("location %s", f.Location)
			}
		}
	}
	if !found || rep.Valid() {
		t.Errorf("the broken amount inside the envelope was not reported: %+v", rep.Findings)
	}
}

func TestEmptyEnvelope(t *testing.T) {
	_, err := Parse([]byte(`<StandardBusinessDocument xmlns="`+NSSBDH+`"><StandardBusinessDocumentHeader/></StandardBusinessDocument>`), &ParseOptions{Name: "e.xml"})
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "e.xml:1:1: the SBDH envelope holds no document") {
		t.Errorf("got %v", err)
	}
}

// Values that cannot be read are fatal findings at their place, and the
// rest of the document is still read.
func TestUnreadableValues(t *testing.T) {
	d, err := ParseFile("../testdata/invoices/broken-values.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range Validate(d, goldenOptions).Findings {
		got[f.ID]++
	}
	for _, id := range []string{invoice.RuleDate, invoice.RuleAmount, invoice.RuleRepeated} {
		if got[id] == 0 {
			t.Errorf("no %s finding; got %v", id, got)
		}
	}
	inv := d.Invoice
	if !inv.Totals.LineExtension.Value.Equal(decimal.RequireFromString("2000")) || len(inv.Lines) != 2 || inv.Lines[0].Price.NetPrice.OK {
		t.Errorf("model: lines %d, line 1 price ok=%v", len(inv.Lines), inv.Lines[0].Price.NetPrice.OK)
	}
	if inv.IssueDate.OK || !inv.DueDate.OK {
		t.Errorf("dates: issue ok=%v due ok=%v", inv.IssueDate.OK, inv.DueDate.OK)
	}
}

func TestNewValidatorErrors(t *testing.T) {
	if _, err := NewValidator(&Options{RuleSet: "nope"}); err == nil || !strings.Contains(err.Error(), "peppol-billing-3.0.19") {
		t.Errorf("unknown rule set: %v", err)
	}
	if _, err := NewValidator(&Options{Engine: "xslt"}); err == nil {
		t.Error("unknown engine accepted")
	}
}
