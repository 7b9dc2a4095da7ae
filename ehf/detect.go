package ehf

import (
	"strings"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Type says what a document is, as its root element, CustomizationID and
// ProfileID tell.
type Type struct {
	// Name is a stable token for reports: peppol-billing-invoice,
	// peppol-billing-credit-note, peppol-selfbilling-invoice,
	// en16931-invoice, ehf-order, peppol-catalogue, ubl-order, ... and
	// "unknown" for XML that is not UBL.
	Name string
	// Root is the local name of the UBL root element (Invoice, Order, ...).
	Root string
	// Namespace is the root element's namespace.
	Namespace       string
	CustomizationID string
	ProfileID       string
}

// Billing reports whether the native billing rules apply: to every UBL
// invoice and credit note except self-billing, which has rules of its own.
// An invoice whose CustomizationID is missing or mistyped is checked too,
// and the Peppol rules report the identifier, rather than letting it pass
// unchecked.
func (t Type) Billing() bool {
	return t.Invoice() && !strings.HasPrefix(t.Name, "peppol-selfbilling-")
}

// Invoice reports whether the root is a UBL Invoice or CreditNote.
func (t Type) Invoice() bool {
	return t.Namespace == invoice.NSInvoice || t.Namespace == invoice.NSCreditNote
}

const (
	billingSpec     = "urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	selfBillingSpec = "urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
	en16931Spec     = "urn:cen.eu:en16931:2017"
	ublMainPrefix   = "urn:oasis:names:specification:ubl:schema:xsd:"
)

func detect(d *xmltree.Document, root xmltree.NodeID) Type {
	n := d.Name(root)
	t := Type{Root: n.Local, Namespace: n.Space}
	if !strings.HasPrefix(n.Space, ublMainPrefix) {
		t.Name = "unknown"
		return t
	}
	cbc := func(local string) string {
		id := d.Lookup(invoice.NSCBC, local)
		for c := range d.ChildElements(root, id) {
			return strings.TrimSpace(d.Text(c))
		}
		return ""
	}
	t.CustomizationID, t.ProfileID = cbc("CustomizationID"), cbc("ProfileID")
	doc := kebab(n.Local)
	if t.Invoice() {
		switch c := t.CustomizationID; {
		case strings.Contains(c, selfBillingSpec):
			t.Name = "peppol-selfbilling-" + doc
		case strings.Contains(c, billingSpec):
			t.Name = "peppol-billing-" + doc
		case strings.HasPrefix(c, en16931Spec):
			t.Name = "en16931-" + doc
		default:
			t.Name = "ubl-" + doc
		}
		return t
	}
	switch c := t.CustomizationID; {
	case strings.Contains(c, "anskaffelser.no"):
		t.Name = "ehf-" + doc
	case strings.Contains(c, "peppol.eu"):
		t.Name = "peppol-" + doc
	default:
		t.Name = "ubl-" + doc
	}
	return t
}

// kebab turns CreditNote into credit-note.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
