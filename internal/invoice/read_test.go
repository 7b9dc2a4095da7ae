package invoice

import (
	"os"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

func readFile(t *testing.T, name string) (*xmltree.Document, *Invoice) {
	t.Helper()
	data, err := os.ReadFile("../../testdata/invoices/" + name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xmltree.Parse(data, &xmltree.Options{File: name})
	if err != nil {
		t.Fatal(err)
	}
	inv, findings := Read(d, d.Root())
	for _, f := range findings {
		t.Errorf("%s:%d:%d: %s %s", name, f.Line, f.Column, f.ID, f.Message)
	}
	return d, inv
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestReadAllowancesAndCharges(t *testing.T) {
	d, inv := readFile(t, "allowances-charges.xml")
	checks := []struct {
		name string
		got  Amount
		want string
	}{
		{"BT-106", inv.Totals.LineExtension, "975.00"},
		{"BT-107", inv.Totals.AllowanceTotal, "100"},
		{"BT-108", inv.Totals.ChargeTotal, "50"},
		{"BT-109", inv.Totals.TaxExclusive, "925"},
		{"BT-112", inv.Totals.TaxInclusive, "1156.25"},
		{"BT-113", inv.Totals.Prepaid, "156.25"},
		{"BT-115", inv.Totals.Payable, "1000"},
		{"BT-92", inv.Allowances[0].Amount, "100"},
		{"BT-99", inv.Charges[0].Amount, "50"},
		{"BT-110", inv.TaxTotals[0].TaxAmount, "231.25"},
		{"BT-116", inv.TaxTotals[0].Subtotals[0].TaxableAmount, "925"},
		{"BT-136", inv.Lines[0].Allowances[0].Amount, "50"},
		{"BT-146", inv.Lines[1].Price.NetPrice, "45"},
		{"BT-147", inv.Lines[1].Price.Discount, "5"},
		{"BT-148", inv.Lines[1].Price.GrossPrice, "50"},
	}
	for _, c := range checks {
		if !c.got.OK || !c.got.Value.Equal(dec(c.want)) || c.got.Currency != "NOK" {
			t.Errorf("%s = %v %s (ok %v), want %s NOK", c.name, c.got.Value, c.got.Currency, c.got.OK, c.want)
		}
	}
	if r := inv.Charges[0].ReasonCode.Value; r != "FC" {
		t.Errorf("BT-105 = %q", r)
	}
	if q := inv.Lines[1].Price.BaseQuantity; !q.Value.Equal(dec("2")) || q.Unit != "EA" {
		t.Errorf("BT-149 = %v %s", q.Value, q.Unit)
	}
	if got := d.Path(inv.Lines[1].Price.NetPrice.Node, Prefix); got != "/Invoice/cac:InvoiceLine[2]/cac:Price/cbc:PriceAmount" {
		t.Errorf("source of BT-146: %s", got)
	}
	if inv.Kind != KindInvoice || inv.TypeCode.Value != "380" || inv.Currency.Value != "NOK" {
		t.Errorf("kind %v type %q currency %q", inv.Kind, inv.TypeCode.Value, inv.Currency.Value)
	}
}

func TestReadParties(t *testing.T) {
	_, inv := readFile(t, "plain.xml")
	s, b := inv.Seller, inv.Buyer
	if s.EndpointID.Value != "987654325" || s.EndpointID.Scheme != "0192" || s.VATID.Value != "NO987654325MVA" ||
		s.TaxRegistrationID.Value != "Foretaksregisteret" || s.Name.Value != "Fjordvik Kontorrekvisita AS" ||
		s.TradingName.Value != "Fjordvik Kontor" || s.Address.Country.Value != "NO" || s.Contact.Email.Value != "faktura@fjordvik.example" {
		t.Errorf("seller %+v", s)
	}
	if b.Name.Value != "Eksempel kommune" || b.LegalRegistrationID.Value != "970000003" || len(b.Identifiers) != 1 || b.VATID.Present() || b.Address.City.Value != "Ålesund" {
		t.Errorf("buyer %+v", b)
	}
	if inv.Delivery == nil || !inv.Delivery.Date.OK || inv.PaymentMeans[0].Code.Value != "30" || inv.PaymentMeans[0].Account.Value != "15030100009" || inv.PaymentMeans[0].RemittanceInfo.Value != "10010026" {
		t.Errorf("delivery %+v payment %+v", inv.Delivery, inv.PaymentMeans)
	}
	if inv.PaymentTerms.Value != "30 dager netto" || inv.BuyerReference.Value != "Avd. 4410" || len(inv.Lines) != 2 || inv.Lines[0].Item.SellerID.Value != "LAMP-01" {
		t.Errorf("terms %q ref %q lines %d", inv.PaymentTerms.Value, inv.BuyerReference.Value, len(inv.Lines))
	}
	if inv.Payee != nil || inv.TaxRepresentative != nil || inv.TaxCurrency.Present() {
		t.Error("absent parts read as present")
	}
}

func TestReadCreditNote(t *testing.T) {
	_, inv := readFile(t, "creditnote.xml")
	if inv.Kind != KindCreditNote || inv.TypeCode.Value != "381" || len(inv.Lines) != 1 {
		t.Fatalf("kind %v type %q lines %d", inv.Kind, inv.TypeCode.Value, len(inv.Lines))
	}
	if q := inv.Lines[0].Quantity; !q.OK || !q.Value.Equal(dec("2")) || q.Unit != "EA" {
		t.Errorf("BT-129 %+v", q)
	}
	if len(inv.PrecedingInvoices) != 1 || inv.PrecedingInvoices[0].ID.Value != "FV-2026-1001" || !inv.PrecedingInvoices[0].IssueDate.OK {
		t.Errorf("BG-3 %+v", inv.PrecedingInvoices)
	}
}

func TestReadVATBreakdown(t *testing.T) {
	_, inv := readFile(t, "vat-categories.xml")
	subs := inv.TaxTotals[0].Subtotals
	if len(subs) != 3 || subs[2].Category.Value != "E" || !subs[1].Rate.Value.Equal(dec("15")) || subs[2].ExemptionReason.Value == "" {
		t.Errorf("BG-23 %+v", subs)
	}
	if inv.Lines[2].Item.Category.Value != "E" || !inv.Lines[1].Item.Rate.Value.Equal(dec("15")) || inv.Lines[1].Quantity.Unit != "KGM" {
		t.Errorf("line VAT %+v", inv.Lines[1].Item)
	}
}

// A repeated single element is reported at each repeat, at the document
// element (read through its child index) and deeper (read by scanning),
// and the first occurrence is the one read.
func TestRepeatedElements(t *testing.T) {
	const head = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"` +
		` xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"` +
		` xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">`
	for _, c := range []struct {
		name, body string
		repeats    []string // locations of the findings
		id, city   string
	}{
		{"none", `<cbc:ID>A</cbc:ID>`, nil, "A", ""},
		{"root", `<cbc:ID>A</cbc:ID><cbc:Note>n</cbc:Note><cbc:ID>B</cbc:ID><cbc:ID>C</cbc:ID>`,
			[]string{"/Invoice/cbc:ID[2]", "/Invoice/cbc:ID[3]"}, "A", ""},
		{"nested", `<cbc:ID>A</cbc:ID><cac:AccountingSupplierParty><cac:Party><cac:PostalAddress>` +
			`<cbc:CityName>Oslo</cbc:CityName><cbc:StreetName>s</cbc:StreetName><cbc:CityName>Bergen</cbc:CityName>` +
			`</cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>`,
			[]string{"/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName[2]"}, "A", "Oslo"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := xmltree.Parse([]byte(head+c.body+`</Invoice>`), nil)
			if err != nil {
				t.Fatal(err)
			}
			inv, findings := Read(d, d.Root())
			var got []string
			for _, f := range findings {
				if f.ID != RuleRepeated {
					t.Errorf("unexpected finding %s: %s", f.ID, f.Message)
				}
				got = append(got, f.Location)
			}
			if strings.Join(got, " ") != strings.Join(c.repeats, " ") {
				t.Errorf("repeats reported at %q, want %q", got, c.repeats)
			}
			if inv.ID.Value != c.id || inv.Seller.Address.City.Value != c.city {
				t.Errorf("read ID %q city %q, want %q %q", inv.ID.Value, inv.Seller.Address.City.Value, c.id, c.city)
			}
		})
	}
}

// Names are matched to the document's by local name and namespace: a
// look-alike in another namespace is not read, and a namespace declared
// again deeper (another string with the same URI) still is.
func TestReadNames(t *testing.T) {
	const cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	doc := `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:x="urn:other" xmlns:cbc="` + cbc + `">` +
		`<x:ID>wrong</x:ID><x:IssueDate>2020-01-01</x:IssueDate><cbc:ID>right</cbc:ID>` +
		`<b:IssueDate xmlns:b="` + cbc + `">2026-11-24</b:IssueDate>` +
		`<x:DueDate>2026-12-01</x:DueDate></Invoice>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, findings := Read(d, d.Root())
	if len(findings) > 0 {
		t.Errorf("findings: %v", findings)
	}
	if inv.ID.Value != "right" || !inv.IssueDate.OK || inv.IssueDate.Value.Day() != 24 || inv.DueDate.Present() {
		t.Errorf("ID %q, issue date %v %v, due date present %v", inv.ID.Value, inv.IssueDate.Value, inv.IssueDate.OK, inv.DueDate.Present())
	}
	for k := range numNames {
		if k == noName {
			continue
		}
		if got := findLocal(qnames[k].local); got != k {
			t.Errorf("findLocal(%q) = %d, want %d", qnames[k].local, got, k)
		}
	}
	if findLocal("NoSuchName") != noName || findLocal("") != noName {
		t.Error("findLocal found a name that is not ours")
	}
}
