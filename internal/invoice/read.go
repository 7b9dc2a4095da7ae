package invoice

import (
	"fmt"
	"iter"
	"unsafe"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// UBL namespaces.
const (
	NSInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	NSCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	NSCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	NSCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	NSEXT        = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
)

// Rule IDs of the findings the model reader makes about values it cannot
// read. The official validators stop the whole document at such a value;
// we report it at its place and go on.
const (
	RuleAmount   = "EHF-AMOUNT"
	RuleDecimal  = "EHF-DECIMAL"
	RuleDate     = "EHF-DATE"
	RuleRepeated = "EHF-REPEATED"
)

// RuleSet names the model reader in findings.
const RuleSet = "ehf-model"

// Read builds the model of the Invoice or CreditNote element root of d.
// Values that cannot be read as their type are left out of the model
// (OK false) and reported as fatal findings; everything else is read.
func Read(d *xmltree.Document, root xmltree.NodeID) (*Invoice, []report.Finding) {
	// The reader stays on the stack: a few kilobytes of tables that cost
	// nothing to collect.
	r := &reader{d: d, root: root}
	r.resolveNames()
	r.indexRoot()
	inv := r.invoice(root)
	return inv, r.findings
}

// rootIndex lists the children of the document element by name (as
// xmltree.ChildIndex, without allocating for a usual invoice): the model
// asks the document element for some forty names.
type rootIndex struct {
	// all holds, by NameID, where its children start (names+1 entries),
	// then the children grouped by name. It is small, or big when small
	// is too short.
	small [160]xmltree.NodeID
	big   []xmltree.NodeID
	names int
}

func (x *rootIndex) named(id xmltree.NameID) []xmltree.NodeID {
	if id < 0 || int(id) >= x.names {
		return nil
	}
	all := x.small[:]
	if x.big != nil {
		all = x.big
	}
	a, b := all[id], all[id+1]
	return all[a:b:b]
}

// indexRoot builds rootKids by a counting sort of the root's children.
func (r *reader) indexRoot() {
	d, n := r.d, r.root
	if n == xmltree.None {
		return
	}
	var top xmltree.NameID = -1
	total := 0
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			top = max(top, d.NameID(c))
			total++
		}
	}
	names := int(top) + 1
	// The counts sit two ahead of their name while counting, so that
	// after placing, all[id] is where id starts; the children are stored
	// after the names+2 count slots.
	x := &r.rootKids
	all := x.small[:]
	if size := names + 2 + total; size > len(all) {
		x.big = make([]xmltree.NodeID, size)
		all = x.big
	}
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			all[d.NameID(c)+2]++
		}
	}
	base := xmltree.NodeID(names + 2)
	all[0], all[1] = base, base
	for k := 2; k < names+2; k++ {
		all[k] += all[k-1]
	}
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			id := d.NameID(c)
			all[all[id+1]] = c
			all[id+1]++
		}
	}
	x.names = names
}

type reader struct {
	d        *xmltree.Document
	root     xmltree.NodeID
	rootKids rootIndex // the children of root, by name
	findings []report.Finding
	credit   bool
	// ids holds the document's NameID of each name, -1 when the document
	// does not use it.
	ids [numNames]int32
	// decimals shares the values of repeated numbers.
	decimals decimals
}

// lookup is the document's NameID of k, or -1 when no element or
// attribute has that name.
func (r *reader) lookup(k name) xmltree.NameID { return xmltree.NameID(r.ids[k]) }

// resolveNames finds the NameID of every name the reader may ask for, in
// one pass over the document's names (fewer than the reader's, each found
// by its local name): cheaper than looking up the reader's names one by
// one.
func (r *reader) resolveNames() {
	for k := range r.ids {
		r.ids[k] = -1
	}
	d := r.d
	// The names read under one namespace declaration share its URI
	// string: once that string has matched one of ours, a pointer compare
	// stands for comparing its 60-odd bytes again.
	var seen [4]struct{ doc, ours *byte }
	for id := range xmltree.NameID(d.NameCount()) {
		nm := d.NameOf(id)
		k := findLocal(nm.Local)
		if k == noName || r.ids[k] >= 0 {
			continue
		}
		want := qnames[k].space
		if len(nm.Space) != len(want) {
			continue
		}
		if len(want) > 0 {
			doc, ours := unsafe.StringData(nm.Space), unsafe.StringData(want)
			i := 0
			for i < len(seen) && seen[i].doc != nil && (seen[i].doc != doc || seen[i].ours != ours) {
				i++
			}
			if i == len(seen) || seen[i].doc == nil {
				if nm.Space != want {
					continue
				}
				if i < len(seen) {
					seen[i].doc, seen[i].ours = doc, ours
				}
			}
		}
		r.ids[k] = int32(id)
	}
}

func (r *reader) fatal(n xmltree.NodeID, id, en, nb string) {
	line, col := r.d.Pos(n)
	r.findings = append(r.findings, report.Finding{
		ID: id, Flag: report.Fatal, Message: en, Norsk: nb, RuleSet: RuleSet,
		Location: r.d.Path(n, Prefix), Line: line, Column: col, Offset: r.d.Offset(n),
	})
}

// Prefix writes UBL namespaces with their customary prefixes in
// locations, whatever prefixes the document used.
func Prefix(space, written string) string {
	switch space {
	case NSCBC:
		return "cbc"
	case NSCAC:
		return "cac"
	case NSEXT:
		return "ext"
	case NSInvoice, NSCreditNote:
		return ""
	}
	return written
}

// each yields the children of n named {ns}local, in document order,
// without gathering them.
func (r *reader) each(n xmltree.NodeID, k name) iter.Seq[xmltree.NodeID] {
	return func(yield func(xmltree.NodeID) bool) {
		id := r.lookup(k)
		if n == xmltree.None || id < 0 {
			return
		}
		if n == r.root {
			for _, c := range r.rootKids.named(id) {
				if !yield(c) {
					return
				}
			}
			return
		}
		d := r.d
		for c, end := n+1, d.End(n); c < end; c = d.End(c) {
			if d.NameID(c) == id && d.Kind(c) == xmltree.ElementNode && !yield(c) {
				return
			}
		}
	}
}

// next is the first child of n named id from c on (c is a child of n or
// n's end), or None. Most containers have a few children: a plain scan
// finds them faster than any index. The document element, which has
// many and is asked about most, is indexed in rootKids.
func (r *reader) next(n, c xmltree.NodeID, id xmltree.NameID) xmltree.NodeID {
	d := r.d
	for end := d.End(n); c < end; c = d.End(c) {
		if d.NameID(c) == id && d.Kind(c) == xmltree.ElementNode {
			return c
		}
	}
	return xmltree.None
}

// count is the number of children of n named {ns}local.
func (r *reader) count(n xmltree.NodeID, k name) int {
	id := r.lookup(k)
	if n == xmltree.None || id < 0 {
		return 0
	}
	if n == r.root {
		return len(r.rootKids.named(id))
	}
	c := 0
	for k := r.next(n, n+1, id); k != xmltree.None; k = r.next(n, r.d.End(k), id) {
		c++
	}
	return c
}

// first returns the first child of n named {ns}local, or None.
func (r *reader) first(n xmltree.NodeID, k name) xmltree.NodeID {
	id := r.lookup(k)
	if n == xmltree.None || id < 0 {
		return xmltree.None
	}
	if n == r.root {
		if kids := r.rootKids.named(id); len(kids) > 0 {
			return kids[0]
		}
		return xmltree.None
	}
	return r.next(n, n+1, id)
}

// one returns the child of n named {ns}local where UBL allows at most one,
// reporting any repeat.
func (r *reader) one(n xmltree.NodeID, k name) xmltree.NodeID {
	found := r.first(n, k)
	if found == xmltree.None {
		return found
	}
	var again xmltree.NodeID
	id := r.lookup(k)
	if n == r.root {
		if len(r.rootKids.named(id)) == 1 {
			return found
		}
		again = r.d.End(found)
	} else if again = r.next(n, r.d.End(found), id); again == xmltree.None {
		return found
	}
	// A repeat: rare, so reported through the general loop.
	for c := range r.each(n, k) {
		if c < again {
			continue
		}
		local := qnames[k].local
		r.fatal(c, RuleRepeated,
			fmt.Sprintf("%s may appear only once here; remove the repeated element", local),
			fmt.Sprintf("%s kan bare forekomme én gang her; fjern elementet som er gjentatt", local))
	}
	return found
}

// cbc and cac are one; they say at the call which namespace k is in.
func (r *reader) cbc(n xmltree.NodeID, k name) xmltree.NodeID { return r.one(n, k) }
func (r *reader) cac(n xmltree.NodeID, k name) xmltree.NodeID { return r.one(n, k) }

func (r *reader) text(n xmltree.NodeID) Text {
	if n == xmltree.None {
		return Text{Node: xmltree.None}
	}
	return Text{Value: r.value(n), Node: n}
}

// value is the text of n, or "" when n is absent.
func (r *reader) value(n xmltree.NodeID) string {
	if n == xmltree.None {
		return ""
	}
	return r.d.Text(n)
}

func (r *reader) textOf(n xmltree.NodeID, k name) Text { return r.text(r.cbc(n, k)) }

func (r *reader) attr(n xmltree.NodeID, k name) string {
	if n == xmltree.None || k == noName {
		return ""
	}
	// As d.Attr, with the name's ID remembered.
	id := r.lookup(k)
	if id < 0 {
		return ""
	}
	for _, a := range r.d.Attrs(n) {
		if a.Name == id {
			return r.d.Value(a)
		}
	}
	return ""
}

func (r *reader) id(n xmltree.NodeID, schemeAttr name) ID {
	if n == xmltree.None {
		return ID{Node: xmltree.None}
	}
	return ID{Value: r.value(n), Scheme: r.attr(n, schemeAttr), Node: n}
}

func (r *reader) amount(n xmltree.NodeID) Amount {
	a := Amount{Node: n}
	if n == xmltree.None {
		return a
	}
	a.Currency = r.attr(n, atCurrencyID)
	s := r.value(n)
	if a.Value, a.OK = r.decimals.parse(s); !a.OK {
		r.fatal(n, RuleAmount,
			fmt.Sprintf("%q is not an amount: write digits with a point as the decimal mark, such as 1250.50", s),
			fmt.Sprintf("%q er ikke et beløp: skriv sifre med punktum som desimaltegn, for eksempel 1250.50", s))
	}
	return a
}

func (r *reader) amountOf(n xmltree.NodeID, k name) Amount { return r.amount(r.cbc(n, k)) }

func (r *reader) decimal(n xmltree.NodeID, unitAttr name) Decimal {
	v := Decimal{Node: n}
	if n == xmltree.None {
		return v
	}
	v.Unit = r.attr(n, unitAttr)
	s := r.value(n)
	if v.Value, v.OK = r.decimals.parse(s); !v.OK {
		r.fatal(n, RuleDecimal,
			fmt.Sprintf("%q is not a number: write digits with a point as the decimal mark, such as 12.5", s),
			fmt.Sprintf("%q er ikke et tall: skriv sifre med punktum som desimaltegn, for eksempel 12.5", s))
	}
	return v
}

func (r *reader) date(n xmltree.NodeID) Date {
	v := Date{Node: n}
	if n == xmltree.None {
		return v
	}
	s := r.value(n)
	if v.Value, v.OK = parseDate(s); !v.OK {
		r.fatal(n, RuleDate,
			fmt.Sprintf("%q is not a date: write an existing date as YYYY-MM-DD, such as 2026-11-24", s),
			fmt.Sprintf("%q er ikke en dato: skriv en gyldig dato som ÅÅÅÅ-MM-DD, for eksempel 2026-11-24", s))
	}
	return v
}

func (r *reader) dateOf(n xmltree.NodeID, k name) Date { return r.date(r.cbc(n, k)) }

func (r *reader) invoice(root xmltree.NodeID) *Invoice {
	d := r.d
	inv := &Invoice{Root: root}
	if d.Name(root).Space == NSCreditNote {
		inv.Kind, r.credit = KindCreditNote, true
	}
	inv.CustomizationID = r.textOf(root, cbcCustomizationID)
	inv.ProfileID = r.textOf(root, cbcProfileID)
	inv.ID = r.textOf(root, cbcID)
	inv.IssueDate = r.dateOf(root, cbcIssueDate)
	inv.DueDate = r.dateOf(root, cbcDueDate)
	if r.credit {
		inv.TypeCode = r.textOf(root, cbcCreditNoteTypeCode)
	} else {
		inv.TypeCode = r.textOf(root, cbcInvoiceTypeCode)
	}
	for n := range r.each(root, cbcNote) {
		inv.Notes = append(inv.Notes, r.text(n))
	}
	inv.TaxPointDate = r.dateOf(root, cbcTaxPointDate)
	inv.Currency = r.textOf(root, cbcDocumentCurrencyCode)
	inv.TaxCurrency = r.textOf(root, cbcTaxCurrencyCode)
	inv.AccountingCost = r.textOf(root, cbcAccountingCost)
	inv.BuyerReference = r.textOf(root, cbcBuyerReference)
	// UBL allows several invoice periods; EN 16931 reads the first and
	// a rule reports the rest.
	inv.Period = r.period(r.first(root, cacInvoicePeriod))
	if o := r.cac(root, cacOrderReference); o != xmltree.None {
		inv.OrderReference = r.textOf(o, cbcID)
		inv.SalesOrderReference = r.textOf(o, cbcSalesOrderID)
	} else {
		inv.OrderReference, inv.SalesOrderReference = Text{Node: xmltree.None}, Text{Node: xmltree.None}
	}
	for b := range r.each(root, cacBillingReference) {
		ref := r.cac(b, cacInvoiceDocumentReference)
		inv.PrecedingInvoices = append(inv.PrecedingInvoices, PrecedingInvoice{Node: b, ID: r.textOf(ref, cbcID), IssueDate: r.dateOf(ref, cbcIssueDate)})
	}
	inv.DespatchReference = r.textOf(r.first(root, cacDespatchDocumentReference), cbcID)
	inv.ReceiptReference = r.textOf(r.first(root, cacReceiptDocumentReference), cbcID)
	inv.OriginatorReference = r.textOf(r.first(root, cacOriginatorDocumentReference), cbcID)
	inv.ContractReference = r.textOf(r.first(root, cacContractDocumentReference), cbcID)
	inv.ProjectReference = r.textOf(r.first(root, cacProjectReference), cbcID)
	for a := range r.each(root, cacAdditionalDocumentReference) {
		inv.AdditionalDocuments = append(inv.AdditionalDocuments, r.docRef(a))
	}
	r.party(&inv.Seller, r.cac(r.cac(root, cacAccountingSupplierParty), cacParty))
	r.party(&inv.Buyer, r.cac(r.cac(root, cacAccountingCustomerParty), cacParty))
	if p := r.cac(root, cacPayeeParty); p != xmltree.None {
		inv.Payee = new(Party)
		r.party(inv.Payee, p)
	}
	if p := r.cac(root, cacTaxRepresentativeParty); p != xmltree.None {
		inv.TaxRepresentative = new(Party)
		r.party(inv.TaxRepresentative, p)
	}
	if dl := r.first(root, cacDelivery); dl != xmltree.None {
		inv.Delivery = r.delivery(dl)
	}
	for pm := range r.each(root, cacPaymentMeans) {
		inv.PaymentMeans = append(inv.PaymentMeans, r.paymentMeans(pm))
		if r.credit && !inv.DueDate.Present() {
			if n := r.cbc(pm, cbcPaymentDueDate); n != xmltree.None {
				inv.DueDate = r.date(n)
			}
		}
	}
	inv.PaymentTerms = r.textOf(r.first(root, cacPaymentTerms), cbcNote)
	for ac := range r.each(root, cacAllowanceCharge) {
		v := r.allowanceCharge(ac)
		if v.Charge {
			inv.Charges = append(inv.Charges, v)
		} else {
			inv.Allowances = append(inv.Allowances, v)
		}
	}
	for tt := range r.each(root, cacTaxTotal) {
		inv.TaxTotals = append(inv.TaxTotals, r.taxTotal(tt))
	}
	inv.Totals = r.totals(r.cac(root, cacLegalMonetaryTotal))
	lineName := cacInvoiceLine
	if r.credit {
		lineName = cacCreditNoteLine
	}
	// The lines are most of a large invoice: room for all at once.
	if k := r.count(root, lineName); k > 0 {
		inv.Lines = make([]Line, 0, k)
	}
	for n := range r.each(root, lineName) {
		// Read in place: a line is some 500 bytes, copied twice on the
		// way otherwise.
		inv.Lines = append(inv.Lines, Line{})
		r.line(&inv.Lines[len(inv.Lines)-1], n)
	}
	return inv
}

func (r *reader) period(n xmltree.NodeID) Period {
	return Period{Node: n, Start: r.dateOf(n, cbcStartDate), End: r.dateOf(n, cbcEndDate), DescriptionCode: r.textOf(n, cbcDescriptionCode)}
}

func (r *reader) docRef(n xmltree.NodeID) DocumentReference {
	att := r.cac(n, cacAttachment)
	bin := r.cbc(att, cbcEmbeddedDocumentBinaryObject)
	return DocumentReference{
		Node:        n,
		ID:          r.id(r.cbc(n, cbcID), atSchemeID),
		TypeCode:    r.textOf(n, cbcDocumentTypeCode),
		Description: r.textOf(n, cbcDocumentDescription),
		URI:         r.textOf(r.cac(att, cacExternalReference), cbcURI),
		Attachment:  Attachment{Node: bin, MimeCode: r.attr(bin, atMimeCode), Filename: r.attr(bin, atFilename)},
	}
}

// party reads the party element p into v, which is zero: in place, as a
// party is some 500 bytes.
func (r *reader) party(v *Party, p xmltree.NodeID) {
	v.Node = p
	v.EndpointID = r.id(r.cbc(p, cbcEndpointID), atSchemeID)
	for pi := range r.each(p, cacPartyIdentification) {
		v.Identifiers = append(v.Identifiers, r.id(r.cbc(pi, cbcID), atSchemeID))
	}
	v.TradingName = r.textOf(r.first(p, cacPartyName), cbcName)
	le := r.cac(p, cacPartyLegalEntity)
	v.Name = r.textOf(le, cbcRegistrationName)
	v.LegalRegistrationID = r.id(r.cbc(le, cbcCompanyID), atSchemeID)
	v.LegalForm = r.textOf(le, cbcCompanyLegalForm)
	v.VATID, v.TaxRegistrationID = Text{Node: xmltree.None}, Text{Node: xmltree.None}
	for pts := range r.each(p, cacPartyTaxScheme) {
		scheme := r.value(r.cbc(r.cac(pts, cacTaxScheme), cbcID))
		id := r.textOf(pts, cbcCompanyID)
		if scheme == "VAT" {
			if !v.VATID.Present() {
				v.VATID = id
			}
		} else if !v.TaxRegistrationID.Present() {
			v.TaxRegistrationID = id
		}
	}
	r.address(&v.Address, r.cac(p, cacPostalAddress))
	c := r.cac(p, cacContact)
	v.Contact = Contact{Node: c, Name: r.textOf(c, cbcName), Phone: r.textOf(c, cbcTelephone), Email: r.textOf(c, cbcElectronicMail)}
}

// address reads the address element a into v.
func (r *reader) address(v *Address, a xmltree.NodeID) {
	v.Node = a
	v.Street = r.textOf(a, cbcStreetName)
	v.Additional = r.textOf(a, cbcAdditionalStreetName)
	v.Line3 = r.textOf(r.first(a, cacAddressLine), cbcLine)
	v.City = r.textOf(a, cbcCityName)
	v.PostalCode = r.textOf(a, cbcPostalZone)
	v.Subdivision = r.textOf(a, cbcCountrySubentity)
	v.Country = r.textOf(r.cac(a, cacCountry), cbcIdentificationCode)
}

func (r *reader) delivery(n xmltree.NodeID) *Delivery {
	loc := r.cac(n, cacDeliveryLocation)
	v := &Delivery{
		Node:       n,
		PartyName:  r.textOf(r.first(r.cac(n, cacDeliveryParty), cacPartyName), cbcName),
		LocationID: r.id(r.cbc(loc, cbcID), atSchemeID),
		Date:       r.dateOf(n, cbcActualDeliveryDate),
	}
	r.address(&v.Address, r.cac(loc, cacAddress))
	return v
}

func (r *reader) paymentMeans(n xmltree.NodeID) PaymentMeans {
	code := r.cbc(n, cbcPaymentMeansCode)
	acct := r.cac(n, cacPayeeFinancialAccount)
	card := r.cac(n, cacCardAccount)
	mandate := r.cac(n, cacPaymentMandate)
	pm := PaymentMeans{
		Node:            n,
		Code:            r.text(code),
		Text:            Text{Value: r.attr(code, atName), Node: code},
		RemittanceInfo:  r.text(r.first(n, cbcPaymentID)),
		Account:         r.id(r.cbc(acct, cbcID), atSchemeID),
		AccountName:     r.textOf(acct, cbcName),
		ServiceProvider: r.textOf(r.cac(acct, cacFinancialInstitutionBranch), cbcID),
		CardNumber:      r.textOf(card, cbcPrimaryAccountNumberID),
		CardHolder:      r.textOf(card, cbcHolderName),
		MandateID:       r.textOf(mandate, cbcID),
		DebitedAccount:  r.textOf(r.cac(mandate, cacPayerFinancialAccount), cbcID),
	}
	return pm
}

func (r *reader) allowanceCharge(n xmltree.NodeID) AllowanceCharge {
	cat := r.cac(n, cacTaxCategory)
	return AllowanceCharge{
		Node:       n,
		Charge:     r.value(r.cbc(n, cbcChargeIndicator)) == "true",
		Amount:     r.amountOf(n, cbcAmount),
		BaseAmount: r.amountOf(n, cbcBaseAmount),
		Percent:    r.decimal(r.cbc(n, cbcMultiplierFactorNumeric), noName),
		Category:   r.textOf(cat, cbcID),
		Rate:       r.decimal(r.cbc(cat, cbcPercent), noName),
		TaxScheme:  r.textOf(r.cac(cat, cacTaxScheme), cbcID),
		Reason:     r.textOf(n, cbcAllowanceChargeReason),
		ReasonCode: r.textOf(n, cbcAllowanceChargeReasonCode),
	}
}

func (r *reader) taxTotal(n xmltree.NodeID) TaxTotal {
	tt := TaxTotal{Node: n, TaxAmount: r.amountOf(n, cbcTaxAmount)}
	for s := range r.each(n, cacTaxSubtotal) {
		cat := r.cac(s, cacTaxCategory)
		tt.Subtotals = append(tt.Subtotals, TaxSubtotal{
			Node:            s,
			TaxableAmount:   r.amountOf(s, cbcTaxableAmount),
			TaxAmount:       r.amountOf(s, cbcTaxAmount),
			Category:        r.textOf(cat, cbcID),
			Rate:            r.decimal(r.cbc(cat, cbcPercent), noName),
			ExemptionReason: r.textOf(cat, cbcTaxExemptionReason),
			ExemptionCode:   r.textOf(cat, cbcTaxExemptionReasonCode),
			TaxScheme:       r.textOf(r.cac(cat, cacTaxScheme), cbcID),
		})
	}
	return tt
}

func (r *reader) totals(n xmltree.NodeID) Totals {
	return Totals{
		Node:           n,
		LineExtension:  r.amountOf(n, cbcLineExtensionAmount),
		AllowanceTotal: r.amountOf(n, cbcAllowanceTotalAmount),
		ChargeTotal:    r.amountOf(n, cbcChargeTotalAmount),
		TaxExclusive:   r.amountOf(n, cbcTaxExclusiveAmount),
		TaxInclusive:   r.amountOf(n, cbcTaxInclusiveAmount),
		Prepaid:        r.amountOf(n, cbcPrepaidAmount),
		Rounding:       r.amountOf(n, cbcPayableRoundingAmount),
		Payable:        r.amountOf(n, cbcPayableAmount),
	}
}

// line reads the line element n into l, which is zero.
func (r *reader) line(l *Line, n xmltree.NodeID) {
	qty := cbcInvoicedQuantity
	sub := cacSubInvoiceLine
	if r.credit {
		qty, sub = cbcCreditedQuantity, cacSubCreditNoteLine
	}
	l.Node = n
	l.ID = r.textOf(n, cbcID)
	l.Note = r.text(r.first(n, cbcNote))
	l.Quantity = r.decimal(r.cbc(n, qty), atUnitCode)
	l.NetAmount = r.amountOf(n, cbcLineExtensionAmount)
	l.AccountingCost = r.textOf(n, cbcAccountingCost)
	l.OrderLineRef = r.textOf(r.first(n, cacOrderLineReference), cbcLineID)
	if p := r.first(n, cacInvoicePeriod); p != xmltree.None {
		period := r.period(p)
		l.Period = &period
	}
	for dr := range r.each(n, cacDocumentReference) {
		if r.value(r.cbc(dr, cbcDocumentTypeCode)) == "130" && l.ObjectID == nil {
			id := r.id(r.cbc(dr, cbcID), atSchemeID)
			l.ObjectID = &id
		}
	}
	for ac := range r.each(n, cacAllowanceCharge) {
		v := r.allowanceCharge(ac)
		if v.Charge {
			l.Charges = append(l.Charges, v)
		} else {
			l.Allowances = append(l.Allowances, v)
		}
	}
	price := r.cac(n, cacPrice)
	l.Price.Node, l.Price.NetPrice = price, r.amountOf(price, cbcPriceAmount)
	if pac := r.first(price, cacAllowanceCharge); pac != xmltree.None {
		l.Price.Allowance = &PriceAllowance{
			Node:       pac,
			Discount:   r.amountOf(pac, cbcAmount),
			GrossPrice: r.amountOf(pac, cbcBaseAmount),
		}
	}
	l.Price.BaseQuantity = r.decimal(r.cbc(price, cbcBaseQuantity), atUnitCode)
	r.item(&l.Item, r.cac(n, cacItem))
	for s := range r.each(n, sub) {
		l.SubLines = append(l.SubLines, Line{})
		r.line(&l.SubLines[len(l.SubLines)-1], s)
	}
}

// itemDetails are the children of cac:Item read into ItemDetails.
var itemDetails = [...]name{
	cbcDescription, cacSellersItemIdentification, cacBuyersItemIdentification, cacStandardItemIdentification,
	cacCommodityClassification, cacOriginCountry, cacAdditionalItemProperty,
}

// item reads the item element n into it, which is zero.
func (r *reader) item(it *Item, n xmltree.NodeID) {
	it.Node = n
	it.Name = r.textOf(n, cbcName)
	if r.hasAny(n, itemDetails[:]) {
		it.Details = r.itemDetails(n)
	}
	cat := r.first(n, cacClassifiedTaxCategory)
	it.Category = r.textOf(cat, cbcID)
	it.Rate = r.decimal(r.cbc(cat, cbcPercent), noName)
	it.TaxScheme = r.textOf(r.cac(cat, cacTaxScheme), cbcID)
}

// hasAny reports whether n has a child element of one of the names.
func (r *reader) hasAny(n xmltree.NodeID, names []name) bool {
	if n == xmltree.None {
		return false
	}
	d := r.d
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) != xmltree.ElementNode {
			continue
		}
		id := d.NameID(c)
		for _, k := range names {
			if id == r.lookup(k) {
				return true
			}
		}
	}
	return false
}

func (r *reader) itemDetails(n xmltree.NodeID) *ItemDetails {
	it := &ItemDetails{
		Description:   r.text(r.first(n, cbcDescription)),
		SellerID:      r.textOf(r.cac(n, cacSellersItemIdentification), cbcID),
		BuyerID:       r.textOf(r.cac(n, cacBuyersItemIdentification), cbcID),
		StandardID:    r.id(r.cbc(r.cac(n, cacStandardItemIdentification), cbcID), atSchemeID),
		OriginCountry: r.textOf(r.cac(n, cacOriginCountry), cbcIdentificationCode),
	}
	for cc := range r.each(n, cacCommodityClassification) {
		for c := range r.each(cc, cbcItemClassificationCode) {
			it.Classification = append(it.Classification, r.id(c, atListID))
		}
	}
	for p := range r.each(n, cacAdditionalItemProperty) {
		it.Attributes = append(it.Attributes, ItemAttribute{Node: p, Name: r.textOf(p, cbcName), Value: r.textOf(p, cbcValue)})
	}
	return it
}
