package invoice

import (
	"os"
	"strings"
	"testing"
	"unsafe"

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
	}
	if pa := inv.Lines[1].Price.Allowance; pa == nil {
		t.Error("BT-147, BT-148: no price allowance read")
	} else {
		checks = append(checks, []struct {
			name string
			got  Amount
			want string
		}{{"BT-147", pa.Discount, "5"}, {"BT-148", pa.GrossPrice, "50"}}...)
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
	if inv.PaymentTerms.Value != "30 dager netto" || inv.BuyerReference.Value != "Avd. 4410" || len(inv.Lines) != 2 || inv.Lines[0].Item.Details == nil || inv.Lines[0].Item.Details.SellerID.Value != "LAMP-01" {
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

// Every part of a line is read, and the groups a line seldom has are nil
// when it does not have them and only then.
func TestReadLineParts(t *testing.T) {
	const doc = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"` +
		` xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"` +
		` xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">` +
		`<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:Note>note</cbc:Note>` +
		`<cbc:InvoicedQuantity unitCode="H87">3</cbc:InvoicedQuantity>` +
		`<cbc:LineExtensionAmount currencyID="NOK">30</cbc:LineExtensionAmount><cbc:AccountingCost>cost</cbc:AccountingCost>` +
		`<cac:InvoicePeriod><cbc:StartDate>2026-11-01</cbc:StartDate><cbc:EndDate>2026-11-30</cbc:EndDate></cac:InvoicePeriod>` +
		`<cac:OrderLineReference><cbc:LineID>7</cbc:LineID></cac:OrderLineReference>` +
		`<cac:DocumentReference><cbc:ID>other</cbc:ID><cbc:DocumentTypeCode>916</cbc:DocumentTypeCode></cac:DocumentReference>` +
		`<cac:DocumentReference><cbc:ID schemeID="AAA">obj</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>` +
		`<cac:Item><cbc:Description>desc</cbc:Description><cbc:Name>name</cbc:Name>` +
		`<cac:BuyersItemIdentification><cbc:ID>b</cbc:ID></cac:BuyersItemIdentification>` +
		`<cac:SellersItemIdentification><cbc:ID>s</cbc:ID></cac:SellersItemIdentification>` +
		`<cac:StandardItemIdentification><cbc:ID schemeID="0160">gtin</cbc:ID></cac:StandardItemIdentification>` +
		`<cac:OriginCountry><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:OriginCountry>` +
		`<cac:CommodityClassification><cbc:ItemClassificationCode listID="STI">c1</cbc:ItemClassificationCode></cac:CommodityClassification>` +
		`<cac:CommodityClassification><cbc:ItemClassificationCode listID="CV">c2</cbc:ItemClassificationCode></cac:CommodityClassification>` +
		`<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>` +
		`<cac:AdditionalItemProperty><cbc:Name>colour</cbc:Name><cbc:Value>red</cbc:Value></cac:AdditionalItemProperty></cac:Item>` +
		`<cac:Price><cbc:PriceAmount currencyID="NOK">10</cbc:PriceAmount><cbc:BaseQuantity unitCode="H87">1</cbc:BaseQuantity>` +
		`<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="NOK">2</cbc:Amount>` +
		`<cbc:BaseAmount currencyID="NOK">12</cbc:BaseAmount></cac:AllowanceCharge></cac:Price></cac:InvoiceLine>` +
		// A line with none of the rare parts, and one whose item has only
		// the last of the details.
		`<cac:InvoiceLine><cbc:ID>2</cbc:ID><cbc:InvoicedQuantity>1</cbc:InvoicedQuantity>` +
		`<cac:DocumentReference><cbc:ID>other</cbc:ID><cbc:DocumentTypeCode>916</cbc:DocumentTypeCode></cac:DocumentReference>` +
		`<cac:Item><cbc:Name>plain</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount>5</cbc:PriceAmount></cac:Price></cac:InvoiceLine>` +
		`<cac:InvoiceLine><cbc:ID>3</cbc:ID><cac:Item><cbc:Name>n</cbc:Name>` +
		`<cac:AdditionalItemProperty><cbc:Name>size</cbc:Name><cbc:Value>L</cbc:Value></cac:AdditionalItemProperty></cac:Item></cac:InvoiceLine>` +
		`</Invoice>`
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, findings := Read(d, d.Root())
	if len(findings) > 0 || len(inv.Lines) != 3 {
		t.Fatalf("findings %v, %d lines", findings, len(inv.Lines))
	}
	path := func(n Node) string { return d.Path(n, Prefix) }
	l := inv.Lines[0]
	texts := []struct {
		name string
		got  Text
		want string
	}{
		{"BT-126", l.ID, "1"}, {"BT-127", l.Note, "note"}, {"BT-132", l.OrderLineRef, "7"}, {"BT-133", l.AccountingCost, "cost"},
		{"BT-153", l.Item.Name, "name"}, {"BT-151", l.Item.Category, "S"}, {"tax scheme", l.Item.TaxScheme, "VAT"},
	}
	if det := l.Item.Details; det == nil {
		t.Error("item details not read")
	} else {
		texts = append(texts, []struct {
			name string
			got  Text
			want string
		}{
			{"BT-154", det.Description, "desc"}, {"BT-155", det.SellerID, "s"}, {"BT-156", det.BuyerID, "b"},
			{"BT-159", det.OriginCountry, "SE"},
		}...)
		if det.StandardID.Value != "gtin" || det.StandardID.Scheme != "0160" {
			t.Errorf("BT-157 %+v", det.StandardID)
		}
		if len(det.Classification) != 2 || det.Classification[1].Value != "c2" || det.Classification[1].Scheme != "CV" {
			t.Errorf("BT-158 %+v", det.Classification)
		}
		if len(det.Attributes) != 1 || det.Attributes[0].Name.Value != "colour" || det.Attributes[0].Value.Value != "red" {
			t.Errorf("BG-32 %+v", det.Attributes)
		}
	}
	for _, c := range texts {
		if !c.got.Present() || c.got.Value != c.want {
			t.Errorf("%s = %q (present %v), want %q", c.name, c.got.Value, c.got.Present(), c.want)
		}
	}
	if l.ObjectID == nil || l.ObjectID.Value != "obj" || l.ObjectID.Scheme != "AAA" {
		t.Errorf("BT-128 %+v", l.ObjectID)
	}
	if p := l.Period; p == nil || !p.Start.OK || p.Start.Value.Day() != 1 || !p.End.OK || p.End.Value.Day() != 30 ||
		path(p.Node) != "/Invoice/cac:InvoiceLine[1]/cac:InvoicePeriod" {
		t.Errorf("BG-26 %+v", p)
	}
	if !l.Quantity.Value.Equal(dec("3")) || l.Quantity.Unit != "H87" || !l.NetAmount.Value.Equal(dec("30")) || !l.Item.Rate.Value.Equal(dec("25")) {
		t.Errorf("BT-129 %v %s, BT-131 %v, BT-152 %v", l.Quantity.Value, l.Quantity.Unit, l.NetAmount.Value, l.Item.Rate.Value)
	}
	pr := l.Price
	if !pr.NetPrice.Value.Equal(dec("10")) || !pr.BaseQuantity.Value.Equal(dec("1")) || pr.BaseQuantity.Unit != "H87" {
		t.Errorf("BT-146 %v, BT-149 %v %s", pr.NetPrice.Value, pr.BaseQuantity.Value, pr.BaseQuantity.Unit)
	}
	if a := pr.Allowance; a == nil || !a.Discount.Value.Equal(dec("2")) || !a.GrossPrice.Value.Equal(dec("12")) ||
		path(a.Node) != "/Invoice/cac:InvoiceLine[1]/cac:Price/cac:AllowanceCharge" || path(a.GrossPrice.Node) != "/Invoice/cac:InvoiceLine[1]/cac:Price/cac:AllowanceCharge/cbc:BaseAmount" {
		t.Errorf("BT-147, BT-148 %+v", a)
	}

	plain := inv.Lines[1]
	if plain.ObjectID != nil || plain.Period != nil || plain.Price.Allowance != nil || plain.Item.Details != nil {
		t.Errorf("absent groups read as present: object %v period %v price allowance %v item details %v",
			plain.ObjectID, plain.Period, plain.Price.Allowance, plain.Item.Details)
	}
	if plain.Note.Present() || plain.OrderLineRef.Present() || plain.AccountingCost.Present() || plain.Price.BaseQuantity.Present() || plain.NetAmount.Present() {
		t.Error("absent terms read as present")
	}
	if plain.Item.Name.Value != "plain" || !plain.Price.NetPrice.OK {
		t.Errorf("plain line %+v", plain)
	}
	if det := inv.Lines[2].Item.Details; det == nil || len(det.Attributes) != 1 || det.Description.Present() || det.SellerID.Present() ||
		det.BuyerID.Present() || det.StandardID.Present() || det.OriginCountry.Present() || det.Classification != nil {
		t.Errorf("details of an item with only an attribute: %+v", det)
	}
}

// A large invoice is mostly lines: a line that grows past its budget
// should be a choice, made here.
func TestLineSize(t *testing.T) {
	if n := unsafe.Sizeof(Line{}); n > 496 {
		t.Errorf("Line is %d bytes, more than 496: make a part it seldom has a pointer", n)
	}
}
