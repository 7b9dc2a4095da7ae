package invoice

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// FuzzRead feeds the model reader any well-formed XML: it never panics,
// every finding has a position, every line element becomes a line, and
// each group a line seldom has is nil exactly when its element is absent.
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob("../../testdata/invoices/*.xml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed documents: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := xmltree.Parse(data, &xmltree.Options{MaxDepth: 64})
		if err != nil || d.Root() == xmltree.None {
			return
		}
		inv, findings := Read(d, d.Root())
		for _, fd := range findings {
			if fd.ID == "" || fd.Line < 1 || fd.Column < 1 {
				t.Fatalf("finding without ID or position: %+v", fd)
			}
		}
		lineName := xmltree.Name{Space: NSCAC, Local: "InvoiceLine"}
		if inv.Kind == KindCreditNote {
			lineName.Local = "CreditNoteLine"
		}
		want := 0
		for _, c := range elements(d, d.Root()) {
			if d.Name(c) == lineName {
				want++
			}
		}
		if len(inv.Lines) != want {
			t.Fatalf("%d lines read of %d", len(inv.Lines), want)
		}
		for i := range inv.Lines {
			checkLine(t, d, &inv.Lines[i])
		}
	})
}

// checkLine checks that the pointer groups of l and its sub-lines are
// there exactly when the document has their elements.
func checkLine(t *testing.T, d *xmltree.Document, l *Line) {
	t.Helper()
	has := func(n xmltree.NodeID, local string) bool {
		for _, c := range elements(d, n) {
			if nm := d.Name(c); nm.Local == local && nm.Space == NSCAC {
				return true
			}
		}
		return false
	}
	if (l.Period != nil) != has(l.Node, "InvoicePeriod") {
		t.Fatalf("line %q: period %v", l.ID.Value, l.Period)
	}
	if l.Price.Allowance != nil && (l.Price.Node == xmltree.None || !has(l.Price.Node, "AllowanceCharge")) {
		t.Fatalf("line %q: a price allowance without its element", l.ID.Value)
	}
	if l.Price.Node != xmltree.None && has(l.Price.Node, "AllowanceCharge") && l.Price.Allowance == nil {
		t.Fatalf("line %q: a price allowance element not read", l.ID.Value)
	}
	if l.ObjectID != nil && !l.ObjectID.Present() {
		t.Fatalf("line %q: an object identifier without its element", l.ID.Value)
	}
	if det := l.Item.Details; det != nil && !det.Description.Present() && !det.SellerID.Present() && !det.BuyerID.Present() &&
		!det.StandardID.Present() && !det.OriginCountry.Present() && det.Classification == nil && det.Attributes == nil &&
		!hasAnyChild(d, l.Item.Node, "Description", "SellersItemIdentification", "BuyersItemIdentification",
			"StandardItemIdentification", "OriginCountry", "CommodityClassification", "AdditionalItemProperty") {
		t.Fatalf("line %q: item details for an item that has none", l.ID.Value)
	}
	for i := range l.SubLines {
		checkLine(t, d, &l.SubLines[i])
	}
}

func hasAnyChild(d *xmltree.Document, n xmltree.NodeID, locals ...string) bool {
	if n == xmltree.None {
		return false
	}
	for _, c := range elements(d, n) {
		for _, l := range locals {
			if nm := d.Name(c); nm.Local == l && (nm.Space == NSCAC || nm.Space == NSCBC) {
				return true
			}
		}
	}
	return false
}

// elements are the child elements of n.
func elements(d *xmltree.Document, n xmltree.NodeID) []xmltree.NodeID {
	var out []xmltree.NodeID
	for c := range d.Children(n) {
		if d.Kind(c) == xmltree.ElementNode {
			out = append(out, c)
		}
	}
	return out
}
