package ehf

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/schemas"
	"github.com/ehf-project/ehf/schemas/xsd"
)

// installUBL puts the UBL 2.1 schemas from the shared kit in a fresh ehf
// home, as "ehf schemas install --from ../shared ubl-2.1" would.
func installUBL(t *testing.T) string {
	t.Helper()
	if !xsd.Available() {
		t.Skip("built without cgo: the XSD layer is not available")
	}
	shared := sharedtest.Dir(t)
	home := t.TempDir()
	in := &schemas.Installer{Home: home, From: shared}
	if _, err := in.Install(context.Background(), "ubl-2.1"); err != nil {
		t.Fatal(err)
	}
	return home
}

// The XSD layer runs first, and its findings point into the file — for an
// invoice in an SBDH envelope too, whose payload is checked on its own.
func TestXSDLayer(t *testing.T) {
	home := installUBL(t)
	v, err := NewValidator(&Options{Home: home, RuleSet: goldenOptions.RuleSet, Date: goldenOptions.Date})
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := os.ReadFile("../testdata/invoices/plain.xml")
	bad := strings.Replace(string(plain), "<cbc:InvoiceTypeCode>", "<cbc:Colour>blue</cbc:Colour>\n  <cbc:InvoiceTypeCode>", 1)
	cases := []struct {
		name, doc string
		line, col int
		location  string
	}{
		{"unknown element", bad, 10, 3, "/Invoice/cbc:Colour"},
		{"wrapped payload", mustRead(t, "../testdata/invoices/sbdh-wrapped-broken.xml"), 149, 5, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"},
	}
	for _, c := range cases {
		doc, err := Parse([]byte(c.doc), &ParseOptions{Name: c.name})
		if err != nil {
			t.Fatal(err)
		}
		rep := v.Validate(doc)
		if len(rep.RuleSets) == 0 || rep.RuleSets[0] != "ubl-2.1" {
			t.Errorf("%s: rule sets %v, notes %v", c.name, rep.RuleSets, rep.Notes)
		}
		var got *Finding
		for i := range rep.Findings {
			if rep.Findings[i].ID == RuleXSD {
				got = &rep.Findings[i]
				break
			}
		}
		if got == nil {
			t.Errorf("%s: no XSD finding in %+v", c.name, rep.Findings)
			continue
		}
		if got.Line != c.line || got.Column != c.col || got.Location != c.location || got.Flag != Fatal || got.Norsk == "" {
			t.Errorf("%s: %d:%d %s %v %q", c.name, got.Line, got.Column, got.Location, got.Flag, got.Message)
		}
	}
	doc, _ := Parse(plain, nil)
	if rep := v.Validate(doc); !rep.Valid() || len(rep.Notes) != 0 {
		t.Errorf("plain.xml: %+v %v", rep.Findings, rep.Notes)
	}
}

// Without installed schemas, the layer is skipped and the report says how
// to install them; with NoXSD, it is skipped silently.
func TestXSDNotInstalled(t *testing.T) {
	doc, _ := ParseFile("../testdata/invoices/plain.xml")
	v, _ := NewValidator(&Options{Home: t.TempDir()})
	rep := v.Validate(doc)
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "ehf schemas install ubl-2.1") && !strings.Contains(rep.Notes[0], "without cgo") {
		t.Errorf("notes %v", rep.Notes)
	}
	v, _ = NewValidator(&Options{Home: t.TempDir(), NoXSD: true})
	if rep := v.Validate(doc); len(rep.Notes) != 0 {
		t.Errorf("notes with NoXSD: %v", rep.Notes)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Documents the native rules do not cover get the official rules the
// selection names, when they are installed, and a warning with the install
// command when they are not.
func TestInstalledRulesForOtherDocuments(t *testing.T) {
	shared := sharedtest.Dir(t)
	home := t.TempDir()
	in := &schemas.Installer{Home: home, From: shared}
	if _, err := in.Install(context.Background(), "peppol-2026.5"); err != nil {
		t.Fatal(err)
	}
	order := shared + "/examples/phive-2026.5/Order_Example.xml"
	data := mustRead(t, order)
	doc, err := Parse([]byte(data), &ParseOptions{Name: order})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewValidator(&Options{Home: home, NoXSD: true})
	rep := v.Validate(doc)
	if strings.Join(rep.RuleSets, ",") != "peppol-2026.5" || !rep.Valid() {
		t.Errorf("order: rule sets %v, findings %+v, notes %v", rep.RuleSets, rep.Findings, rep.Notes)
	}
	// A broken order: the official rules must see it.
	broken := strings.Replace(data, "DocumentCurrencyCode>NOK<", "DocumentCurrencyCode>NOKK<", 1)
	if broken == data {
		t.Fatal("the example's currency is not where the test expects it")
	}
	bdoc, err := Parse([]byte(broken), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep := v.Validate(bdoc); rep.Valid() {
		t.Errorf("an order in currency NOKK passes: %+v", rep.Findings)
	}
	v, _ = NewValidator(&Options{Home: t.TempDir(), NoXSD: true})
	rep = v.Validate(doc)
	if len(rep.Findings) != 1 || rep.Findings[0].ID != RuleUnchecked || !strings.HasSuffix(rep.Findings[0].Message, "ehf schemas install peppol-2026.5") {
		t.Errorf("not installed: %+v", rep.Findings)
	}
}
