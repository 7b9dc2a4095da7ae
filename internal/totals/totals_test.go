package totals

import (
	"os"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

func read(t *testing.T, name string) *invoice.Invoice {
	t.Helper()
	data, err := os.ReadFile("../../testdata/invoices/" + name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xmltree.Parse(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	return inv
}

// Our valid invoices add up: every computed total matches the declared one.
func TestValidInvoicesAddUp(t *testing.T) {
	for _, name := range []string{"plain.xml", "allowances-charges.xml", "vat-categories.xml", "creditnote.xml"} {
		tot := Compute(read(t, name))
		for _, v := range []struct {
			name string
			v    Value
		}{{"BT-106", tot.LineExtension}, {"BT-109", tot.TaxExclusive}, {"BT-110", tot.Tax}, {"BT-112", tot.TaxInclusive}, {"BT-115", tot.Payable}} {
			if !v.v.Matches() {
				t.Errorf("%s %s: computed %s (%s), declared %s", name, v.name, v.v.Rounded, v.v.How, v.v.Declared.Value)
			}
		}
		if l := tot.FirstWrongLine(); l != nil {
			t.Errorf("%s: line %d computed %s (%s)", name, l.Index, l.Net.Rounded, l.Net.How)
		}
		if b := tot.FirstWrongBreakdown(); b != nil {
			t.Errorf("%s: breakdown %s %s: %s / %s", name, b.Category, b.Rate, b.Taxable.Rounded, b.Tax.Rounded)
		}
		if len(tot.Incomplete) > 0 {
			t.Errorf("%s: incomplete: %v", name, tot.Incomplete)
		}
	}
}

func TestDerivations(t *testing.T) {
	tot := Compute(read(t, "allowances-charges.xml"))
	if got := tot.Lines[1].Net.How; got != "quantity 10 × price 45.00 ÷ base quantity 2" {
		t.Errorf("line 2: %s", got)
	}
	if got := tot.Lines[0].Net.HowNb; got != "antall 4 × pris 200.00 − rabatt 50.00" {
		t.Errorf("line 1: %s", got)
	}
	if got := tot.Breakdowns[0].Taxable.How; got != "the net amounts of lines 1–2 − allowance 100.00 + charge 50.00" {
		t.Errorf("breakdown: %s", got)
	}
}

// When totals do not add up, the explanation names the right value and
// the first line that is wrong.
func TestExplainWrongTotals(t *testing.T) {
	tot := Compute(read(t, "broken-totals.xml"))
	// The document's lines say 1500 + 600 and its BT-106 says 2100; the
	// quantities and prices say 1500 + 500.
	en, nb := tot.Explain("The sum of line net amounts (BT-106)", tot.LineExtension)
	wantEn := "The sum of line net amounts (BT-106) should be 2000.00 NOK (the sum of the net amounts of 2 lines); line 2 is the first that does not add up: it says 600.00, but quantity 2 × price 250.00 = 500.00"
	if en != wantEn {
		t.Errorf("got  %s\nwant %s", en, wantEn)
	}
	if !strings.Contains(nb, "linje 2 er den første som ikke stemmer") {
		t.Errorf("nb: %s", nb)
	}
	if tot.Payable.Matches() {
		t.Error("payable matches")
	}
	if e, _ := tot.Explain("x", tot.TaxExclusive); e != "" {
		t.Errorf("explains a matching total: %s", e)
	}
}

// Exact decimals: a price per three units does not drift.
func TestExactDivision(t *testing.T) {
	inv := read(t, "plain.xml")
	inv.Lines[0].Quantity.Value = decimal.NewFromInt(100)
	inv.Lines[0].Price.BaseQuantity = invoice.Decimal{Value: decimal.NewFromInt(3), OK: true}
	got := Compute(inv).Lines[0].Net
	// 100 × 150.00 ÷ 3 = 5000.00 exactly, not 4999.99.
	if got.Rounded.StringFixed(2) != "5000.00" {
		t.Errorf("100 × 150 ÷ 3 = %s (%s)", got.Rounded, got.How)
	}
}

func TestLineList(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{{nil, ""}, {[]int{4}, "4"}, {[]int{1, 2, 3, 5, 7, 8}, "1–3, 5, 7–8"}} {
		if got := lineList(c.in); got != c.want {
			t.Errorf("%v: %q, want %q", c.in, got, c.want)
		}
	}
}
