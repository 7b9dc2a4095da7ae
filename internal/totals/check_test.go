package totals

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// doc builds our own small invoice for table tests.
type doc struct {
	credit      bool
	currency    string
	taxCurrency string
	lines       []ln
	acs         []ac // document level
	subs        []sub
	taxTotal    string
	accTax      string // BT-111
	lea, excl   string
	incl, pay   string
	allow, chg  string
	prepaid     string
	rounding    string
}

type ln struct {
	qty, price, base, net string
	cat, rate             string
	acs                   []ac
}

type ac struct {
	charge    bool
	amount    string
	cat, rate string
}

type sub struct{ taxable, tax, cat, rate string }

func (d doc) xml() string {
	var b strings.Builder
	root, line, qty := "Invoice", "InvoiceLine", "InvoicedQuantity"
	if d.credit {
		root, line, qty = "CreditNote", "CreditNoteLine", "CreditedQuantity"
	}
	cur := d.currency
	if cur == "" {
		cur = "NOK"
	}
	fmt.Fprintf(&b, `<%s xmlns="urn:oasis:names:specification:ubl:schema:xsd:%s-2" xmlns:cac="%s" xmlns:cbc="%s">`, root, root, invoice.NSCAC, invoice.NSCBC)
	fmt.Fprintf(&b, "<cbc:DocumentCurrencyCode>%s</cbc:DocumentCurrencyCode>", cur)
	if d.taxCurrency != "" {
		fmt.Fprintf(&b, "<cbc:TaxCurrencyCode>%s</cbc:TaxCurrencyCode>", d.taxCurrency)
	}
	acXML := func(a ac) {
		fmt.Fprintf(&b, "<cac:AllowanceCharge><cbc:ChargeIndicator>%v</cbc:ChargeIndicator><cbc:Amount currencyID=%q>%s</cbc:Amount>", a.charge, cur, a.amount)
		if a.cat != "" {
			fmt.Fprintf(&b, "<cac:TaxCategory><cbc:ID>%s</cbc:ID><cbc:Percent>%s</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>", a.cat, a.rate)
		}
		b.WriteString("</cac:AllowanceCharge>")
	}
	for _, a := range d.acs {
		acXML(a)
	}
	b.WriteString("<cac:TaxTotal>")
	fmt.Fprintf(&b, "<cbc:TaxAmount currencyID=%q>%s</cbc:TaxAmount>", cur, d.taxTotal)
	for _, s := range d.subs {
		fmt.Fprintf(&b, "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=%q>%s</cbc:TaxableAmount><cbc:TaxAmount currencyID=%q>%s</cbc:TaxAmount><cac:TaxCategory><cbc:ID>%s</cbc:ID><cbc:Percent>%s</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>", cur, s.taxable, cur, s.tax, s.cat, s.rate)
	}
	b.WriteString("</cac:TaxTotal>")
	if d.accTax != "" {
		fmt.Fprintf(&b, "<cac:TaxTotal><cbc:TaxAmount currencyID=%q>%s</cbc:TaxAmount></cac:TaxTotal>", d.taxCurrency, d.accTax)
	}
	b.WriteString("<cac:LegalMonetaryTotal>")
	for _, f := range [][2]string{{"LineExtensionAmount", d.lea}, {"TaxExclusiveAmount", d.excl}, {"TaxInclusiveAmount", d.incl},
		{"AllowanceTotalAmount", d.allow}, {"ChargeTotalAmount", d.chg}, {"PrepaidAmount", d.prepaid}, {"PayableRoundingAmount", d.rounding}, {"PayableAmount", d.pay}} {
		if f[1] != "" {
			fmt.Fprintf(&b, "<cbc:%s currencyID=%q>%s</cbc:%s>", f[0], cur, f[1], f[0])
		}
	}
	b.WriteString("</cac:LegalMonetaryTotal>")
	for i, l := range d.lines {
		fmt.Fprintf(&b, "<cac:%s><cbc:ID>%d</cbc:ID><cbc:%s unitCode=\"EA\">%s</cbc:%s><cbc:LineExtensionAmount currencyID=%q>%s</cbc:LineExtensionAmount>", line, i+1, qty, l.qty, qty, cur, l.net)
		for _, a := range l.acs {
			acXML(a)
		}
		fmt.Fprintf(&b, "<cac:Item><cbc:Name>Item %d</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>%s</cbc:ID><cbc:Percent>%s</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>", i+1, l.cat, l.rate)
		fmt.Fprintf(&b, "<cac:Price><cbc:PriceAmount currencyID=%q>%s</cbc:PriceAmount>", cur, l.price)
		if l.base != "" {
			fmt.Fprintf(&b, "<cbc:BaseQuantity unitCode=\"EA\">%s</cbc:BaseQuantity>", l.base)
		}
		fmt.Fprintf(&b, "</cac:Price></cac:%s>", line)
	}
	fmt.Fprintf(&b, "</%s>", root)
	return b.String()
}

func parse(t *testing.T, s string) (*xmltree.Document, *invoice.Invoice) {
	t.Helper()
	d, err := xmltree.Parse([]byte(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, fs := invoice.Read(d, d.Root())
	if len(fs) > 0 {
		t.Fatalf("reader: %v", fs)
	}
	return d, inv
}

func ids(fs []report.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return strings.Join(out, " ")
}

func TestCheck(t *testing.T) {
	s25 := func(qty, price, net string) ln { return ln{qty: qty, price: price, net: net, cat: "S", rate: "25"} }
	cases := []struct {
		name string
		doc  doc
		want string // finding IDs in order
		// computed values to check: BT-106, BT-109, BT-110, BT-112, BT-115
		lea, excl, tax, incl, pay string
	}{
		{name: "plain, adds up",
			doc: doc{lines: []ln{s25("2", "100", "200")}, subs: []sub{{"200", "50", "S", "25"}}, taxTotal: "50", lea: "200", excl: "200", incl: "250", pay: "250"},
			lea: "200.00", excl: "200.00", tax: "50.00", incl: "250.00", pay: "250.00"},
		{name: "half-øre line, either rounding is right",
			doc: doc{lines: []ln{s25("1", "10.005", "10.01"), s25("1", "10.005", "10.00")}, subs: []sub{{"20.01", "5.00", "S", "25"}}, taxTotal: "5.00", lea: "20.01", excl: "20.01", incl: "25.01", pay: "25.01"},
			lea: "20.02", excl: "20.02", tax: "5.01", incl: "25.03", pay: "25.03"},
		{name: "line one øre off, inside R120's slack",
			doc:  doc{lines: []ln{s25("3", "33.33", "100.00")}, subs: []sub{{"100.00", "25.00", "S", "25"}}, taxTotal: "25.00", lea: "100.00", excl: "100.00", incl: "125.00", pay: "125.00"},
			want: RuleLine, lea: "99.99", excl: "99.99", tax: "25.00", incl: "124.99", pay: "124.99"},
		{name: "line far off is R120's, not ours",
			doc: doc{lines: []ln{s25("3", "33.33", "150.00")}, subs: []sub{{"150.00", "37.50", "S", "25"}}, taxTotal: "37.50", lea: "150.00", excl: "150.00", incl: "187.50", pay: "187.50"},
			lea: "99.99", excl: "99.99", tax: "25.00", incl: "124.99", pay: "124.99"},
		{name: "taxable 0.50 off: BR-S-08 allows it, we do not; the first wrong line is named",
			doc:  doc{lines: []ln{s25("1", "100", "100")}, subs: []sub{{"100.50", "25.13", "S", "25"}}, taxTotal: "25.13", lea: "100", excl: "100", incl: "125.13", pay: "125.13"},
			want: RuleTaxable, lea: "100.00", excl: "100.00", tax: "25.00", incl: "125.00", pay: "125.00"},
		{name: "VAT one øre off inside BR-CO-17's tolerance",
			doc:  doc{lines: []ln{s25("1", "99.99", "99.99")}, subs: []sub{{"99.99", "25.01", "S", "25"}}, taxTotal: "25.01", lea: "99.99", excl: "99.99", incl: "125.00", pay: "125.00"},
			want: RuleTax, lea: "99.99", excl: "99.99", tax: "25.00", incl: "124.99", pay: "124.99"},
		{name: "VAT at a half-øre: 0.125 × 10 → either 1.25 is exact",
			doc: doc{lines: []ln{ln{qty: "1", price: "10.10", net: "10.10", cat: "S", rate: "12.5"}}, subs: []sub{{"10.10", "1.26", "S", "12.5"}}, taxTotal: "1.26", lea: "10.10", excl: "10.10", incl: "11.36", pay: "11.36"},
			lea: "10.10", excl: "10.10", tax: "1.26", incl: "11.36", pay: "11.36"},
		{name: "many VAT rates, one rate missing a breakdown",
			doc: doc{lines: []ln{s25("1", "100", "100"), {qty: "1", price: "100", net: "100", cat: "S", rate: "15"}, {qty: "2", price: "50", net: "100", cat: "S", rate: "12"}, {qty: "1", price: "40", net: "40", cat: "Z", rate: "0"}},
				subs: []sub{{"100", "25", "S", "25"}, {"100", "15", "S", "15"}, {"40", "0", "Z", "0"}}, taxTotal: "40", lea: "340", excl: "340", incl: "380", pay: "380"},
			want: RuleBreakdownMissing, lea: "340.00", excl: "340.00", tax: "52.00", incl: "392.00", pay: "392.00"},
		{name: "allowances and charges on lines and document",
			doc: doc{lines: []ln{{qty: "4", price: "200", net: "750", cat: "S", rate: "25", acs: []ac{{amount: "100"}, {charge: true, amount: "50"}}}, {qty: "10", price: "45", base: "2", net: "225", cat: "S", rate: "25"}},
				acs:  []ac{{amount: "75", cat: "S", rate: "25"}, {charge: true, amount: "100", cat: "S", rate: "25"}},
				subs: []sub{{"1000", "250", "S", "25"}}, taxTotal: "250", lea: "975", allow: "75", chg: "100", excl: "1000", incl: "1250", pay: "1250"},
			lea: "975.00", excl: "1000.00", tax: "250.00", incl: "1250.00", pay: "1250.00"},
		{name: "negative invoice",
			doc: doc{lines: []ln{s25("-3", "10.55", "-31.65")}, subs: []sub{{"-31.65", "-7.91", "S", "25"}}, taxTotal: "-7.91", lea: "-31.65", excl: "-31.65", incl: "-39.56", pay: "-39.56"},
			lea: "-31.65", excl: "-31.65", tax: "-7.91", incl: "-39.56", pay: "-39.56"},
		{name: "credit note with prepaid and rounding",
			doc: doc{credit: true, lines: []ln{s25("1", "99.90", "99.90")}, subs: []sub{{"99.90", "24.98", "S", "25"}}, taxTotal: "24.98",
				lea: "99.90", excl: "99.90", incl: "124.88", prepaid: "24.88", rounding: "0.00", pay: "100.00"},
			lea: "99.90", excl: "99.90", tax: "24.98", incl: "124.88", pay: "100.00"},
		{name: "VAT accounting currency",
			doc: doc{currency: "EUR", taxCurrency: "NOK", lines: []ln{s25("1", "100", "100")}, subs: []sub{{"100", "25", "S", "25"}}, taxTotal: "25", accTax: "291.25",
				lea: "100", excl: "100", incl: "125", pay: "125"},
			lea: "100.00", excl: "100.00", tax: "25.00", incl: "125.00", pay: "125.00"},
		{name: "exempt category with two rates: BR-E-08's per-category sum reports both, so we do not",
			doc: doc{lines: []ln{{qty: "1", price: "100", net: "100", cat: "E", rate: "0"}, {qty: "1", price: "50", net: "50", cat: "E", rate: "5"}},
				subs: []sub{{"120", "0", "E", "0"}, {"30", "0", "E", "5"}}, taxTotal: "0", lea: "150", excl: "150", incl: "150", pay: "150"},
			lea: "150.00", excl: "150.00", tax: "2.50", incl: "152.50", pay: "152.50"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, inv := parse(t, c.doc.xml())
			got := Check(d, inv)
			if ids(got) != c.want {
				t.Errorf("findings %q, want %q", ids(got), c.want)
				for _, f := range got {
					t.Log(f.Message)
				}
			}
			for _, f := range got {
				if f.Message == "" || f.Norsk == "" || f.Location == "" || f.Flag != report.Warning {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			tot := Compute(inv)
			for _, v := range []struct{ name, got, want string }{
				{"BT-106", money(tot.LineExtension.Rounded), c.lea}, {"BT-109", money(tot.TaxExclusive.Rounded), c.excl},
				{"BT-110", money(tot.Tax.Rounded), c.tax}, {"BT-112", money(tot.TaxInclusive.Rounded), c.incl}, {"BT-115", money(tot.Payable.Rounded), c.pay},
			} {
				if v.got != v.want {
					t.Errorf("%s computed %s, want %s", v.name, v.got, v.want)
				}
			}
		})
	}
}

func TestAccountingCurrency(t *testing.T) {
	d := doc{currency: "EUR", taxCurrency: "NOK", lines: []ln{{qty: "1", price: "100", net: "100", cat: "S", rate: "25"}}, subs: []sub{{"100", "25", "S", "25"}}, taxTotal: "25", accTax: "291.25", lea: "100", excl: "100", incl: "125", pay: "125"}
	_, inv := parse(t, d.xml())
	tot := Compute(inv)
	if tot.AccountingCurrency != "NOK" || money(tot.TaxAccounting.Rounded) != "291.25" || tot.ImpliedRate.String() != "11.65" {
		t.Errorf("accounting %s %s rate %s (%s)", tot.AccountingCurrency, tot.TaxAccounting.Rounded, tot.ImpliedRate, tot.TaxAccounting.How)
	}
	if !strings.Contains(tot.TaxAccounting.How, "11.65 NOK per EUR") {
		t.Errorf("how: %s", tot.TaxAccounting.How)
	}
}

// The findings say what the value should be and how it is derived.
func TestCheckMessages(t *testing.T) {
	d, inv := parse(t, doc{lines: []ln{{qty: "3", price: "33.33", net: "100.00", cat: "S", rate: "25"}}, subs: []sub{{"100.00", "25.00", "S", "25"}}, taxTotal: "25.00", lea: "100.00", excl: "100.00", incl: "125.00", pay: "125.00"}.xml())
	fs := Check(d, inv)
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	want := "Line 1's net amount (BT-131) should be 99.99 NOK: quantity 3 × price 33.33 = 99.99; it says 100.00."
	if fs[0].Message != want || !strings.Contains(fs[0].Norsk, "skal være 99.99 NOK") || !strings.HasSuffix(fs[0].Location, "cbc:LineExtensionAmount") {
		t.Errorf("got %q / %q at %s", fs[0].Message, fs[0].Norsk, fs[0].Location)
	}
}

// A rate without a breakdown names all of its lines, not only the first.
func TestCheckMissingBreakdownLines(t *testing.T) {
	s12 := ln{qty: "1", price: "50", net: "50", cat: "S", rate: "12"}
	d, inv := parse(t, doc{lines: []ln{s12, {qty: "1", price: "100", net: "100", cat: "S", rate: "25"}, s12, s12}, subs: []sub{{"100", "25", "S", "25"}},
		taxTotal: "25", lea: "250", excl: "250", incl: "275", pay: "275"}.xml())
	fs := Check(d, inv)
	if len(fs) != 1 || fs[0].ID != RuleBreakdownMissing {
		t.Fatalf("findings %q", ids(fs))
	}
	if !strings.Contains(fs[0].Message, "which lines 1, 3–4 use") || !strings.Contains(fs[0].Norsk, "som linjene 1, 3–4 bruker") ||
		!strings.HasSuffix(fs[0].Location, "cac:InvoiceLine[1]") {
		t.Errorf("got %q / %q at %s", fs[0].Message, fs[0].Norsk, fs[0].Location)
	}
}

// The official examples that the official rules accept give no finding.
func TestCheckOfficialExamples(t *testing.T) {
	dir := sharedtest.Path(t, "examples", "peppol-3.0.19", "examples")
	n := 0
	for _, f := range sharedtest.XMLFiles(t, dir) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(data, nil)
		if err != nil || d.Root() == xmltree.None {
			continue
		}
		if l := d.Local(d.Root()); l != "Invoice" && l != "CreditNote" {
			continue
		}
		inv, _ := invoice.Read(d, d.Root())
		n++
		for _, fd := range Check(d, inv) {
			t.Errorf("%s: %s %s: %s", filepath.Base(f), fd.ID, fd.Location, fd.Message)
		}
	}
	if n == 0 {
		t.Fatal("no example read")
	}
}

func BenchmarkCheck(b *testing.B) {
	var lines []ln
	for i := 0; i < 10000; i++ {
		lines = append(lines, ln{qty: "3", price: "33.33", net: "99.99", cat: "S", rate: "25"})
	}
	src := doc{lines: lines, subs: []sub{{"999900.00", "249975.00", "S", "25"}}, taxTotal: "249975.00", lea: "999900.00", excl: "999900.00", incl: "1249875.00", pay: "1249875.00"}.xml()
	d, err := xmltree.Parse([]byte(src), nil)
	if err != nil {
		b.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	b.ResetTimer()
	for b.Loop() {
		if fs := Check(d, inv); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/line")
}

// BenchmarkCheckBaseExample is Check on a typical invoice, the Peppol base
// example, as a validation runs it.
func BenchmarkCheckBaseExample(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "examples", "peppol-3.0.19", "examples", "base-example.xml"))
	if err != nil {
		b.Skip(err)
	}
	d, err := xmltree.Parse(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	b.ReportAllocs()
	for b.Loop() {
		if fs := Check(d, inv); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N), "µs/doc")
}
