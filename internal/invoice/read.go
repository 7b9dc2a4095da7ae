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
	r := &reader{d: d}
	inv := r.invoice(root)
	return inv, r.findings
}

type reader struct {
	d        *xmltree.Document
	findings []report.Finding
	credit   bool
	// names remembers the NameIDs looked up, by the address of the local
	// name's text: the names are string constants, so a look-up that was
	// made before costs a compare, not a hash (a large invoice asks the
	// same few dozen names for every line).
	names [128]nameSlot
}

type nameSlot struct {
	local, ns *byte // the text of the local name and namespace
	n, nsN    int
	id        xmltree.NameID
}

// lookup is d.Lookup(ns, local), remembered.
func (r *reader) lookup(ns, local string) xmltree.NameID {
	p, q := unsafe.StringData(local), unsafe.StringData(ns)
	slot := &r.names[(uintptr(unsafe.Pointer(p))>>3)&127]
	if p != nil && slot.local == p && slot.ns == q && slot.n == len(local) && slot.nsN == len(ns) {
		return slot.id
	}
	id := r.d.Lookup(ns, local)
	// The slot holds the texts, so they stay where they are while the
	// reader lives.
	*slot = nameSlot{local: p, ns: q, n: len(local), nsN: len(ns), id: id}
	return id
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
func (r *reader) each(n xmltree.NodeID, ns, local string) iter.Seq[xmltree.NodeID] {
	return func(yield func(xmltree.NodeID) bool) {
		if n == xmltree.None {
			return
		}
		id := r.lookup(ns, local)
		if id < 0 {
			return
		}
		for c := range r.d.ChildElements(n, id) {
			if !yield(c) {
				return
			}
		}
	}
}

// count is the number of children of n named {ns}local.
func (r *reader) count(n xmltree.NodeID, ns, local string) int {
	k := 0
	for range r.each(n, ns, local) {
		k++
	}
	return k
}

// first returns the first child of n named {ns}local, or None.
func (r *reader) first(n xmltree.NodeID, ns, local string) xmltree.NodeID {
	for c := range r.each(n, ns, local) {
		return c
	}
	return xmltree.None
}

// one returns the child of n named {ns}local where UBL allows at most one,
// reporting any repeat.
func (r *reader) one(n xmltree.NodeID, ns, local string) xmltree.NodeID {
	found := xmltree.None
	for c := range r.each(n, ns, local) {
		if found == xmltree.None {
			found = c
			continue
		}
		r.fatal(c, RuleRepeated,
			fmt.Sprintf("%s may appear only once here; remove the repeated element", local),
			fmt.Sprintf("%s kan bare forekomme én gang her; fjern elementet som er gjentatt", local))
	}
	return found
}

func (r *reader) cbc(n xmltree.NodeID, local string) xmltree.NodeID { return r.one(n, NSCBC, local) }
func (r *reader) cac(n xmltree.NodeID, local string) xmltree.NodeID { return r.one(n, NSCAC, local) }

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

func (r *reader) textOf(n xmltree.NodeID, local string) Text { return r.text(r.cbc(n, local)) }

func (r *reader) attr(n xmltree.NodeID, name string) string {
	if n == xmltree.None {
		return ""
	}
	// As d.Attr, with the name's ID remembered.
	id := r.lookup("", name)
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

func (r *reader) id(n xmltree.NodeID, schemeAttr string) ID {
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
	a.Currency = r.attr(n, "currencyID")
	s := r.value(n)
	if a.Value, a.OK = parseDecimal(s); !a.OK {
		r.fatal(n, RuleAmount,
			fmt.Sprintf("%q is not an amount: write digits with a point as the decimal mark, such as 1250.50", s),
			fmt.Sprintf("%q er ikke et beløp: skriv sifre med punktum som desimaltegn, for eksempel 1250.50", s))
	}
	return a
}

func (r *reader) amountOf(n xmltree.NodeID, local string) Amount { return r.amount(r.cbc(n, local)) }

func (r *reader) decimal(n xmltree.NodeID, unitAttr string) Decimal {
	v := Decimal{Node: n}
	if n == xmltree.None {
		return v
	}
	if unitAttr != "" {
		v.Unit = r.attr(n, unitAttr)
	}
	s := r.value(n)
	if v.Value, v.OK = parseDecimal(s); !v.OK {
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

func (r *reader) dateOf(n xmltree.NodeID, local string) Date { return r.date(r.cbc(n, local)) }

func (r *reader) invoice(root xmltree.NodeID) *Invoice {
	d := r.d
	inv := &Invoice{Root: root}
	if d.Name(root).Space == NSCreditNote {
		inv.Kind, r.credit = KindCreditNote, true
	}
	inv.CustomizationID = r.textOf(root, "CustomizationID")
	inv.ProfileID = r.textOf(root, "ProfileID")
	inv.ID = r.textOf(root, "ID")
	inv.IssueDate = r.dateOf(root, "IssueDate")
	inv.DueDate = r.dateOf(root, "DueDate")
	if r.credit {
		inv.TypeCode = r.textOf(root, "CreditNoteTypeCode")
	} else {
		inv.TypeCode = r.textOf(root, "InvoiceTypeCode")
	}
	for n := range r.each(root, NSCBC, "Note") {
		inv.Notes = append(inv.Notes, r.text(n))
	}
	inv.TaxPointDate = r.dateOf(root, "TaxPointDate")
	inv.Currency = r.textOf(root, "DocumentCurrencyCode")
	inv.TaxCurrency = r.textOf(root, "TaxCurrencyCode")
	inv.AccountingCost = r.textOf(root, "AccountingCost")
	inv.BuyerReference = r.textOf(root, "BuyerReference")
	// UBL allows several invoice periods; EN 16931 reads the first and
	// a rule reports the rest.
	inv.Period = r.period(r.first(root, NSCAC, "InvoicePeriod"))
	if o := r.cac(root, "OrderReference"); o != xmltree.None {
		inv.OrderReference = r.textOf(o, "ID")
		inv.SalesOrderReference = r.textOf(o, "SalesOrderID")
	} else {
		inv.OrderReference, inv.SalesOrderReference = Text{Node: xmltree.None}, Text{Node: xmltree.None}
	}
	for b := range r.each(root, NSCAC, "BillingReference") {
		ref := r.cac(b, "InvoiceDocumentReference")
		inv.PrecedingInvoices = append(inv.PrecedingInvoices, PrecedingInvoice{Node: b, ID: r.textOf(ref, "ID"), IssueDate: r.dateOf(ref, "IssueDate")})
	}
	inv.DespatchReference = r.textOf(r.first(root, NSCAC, "DespatchDocumentReference"), "ID")
	inv.ReceiptReference = r.textOf(r.first(root, NSCAC, "ReceiptDocumentReference"), "ID")
	inv.OriginatorReference = r.textOf(r.first(root, NSCAC, "OriginatorDocumentReference"), "ID")
	inv.ContractReference = r.textOf(r.first(root, NSCAC, "ContractDocumentReference"), "ID")
	inv.ProjectReference = r.textOf(r.first(root, NSCAC, "ProjectReference"), "ID")
	for a := range r.each(root, NSCAC, "AdditionalDocumentReference") {
		inv.AdditionalDocuments = append(inv.AdditionalDocuments, r.docRef(a))
	}
	inv.Seller = r.party(r.cac(r.cac(root, "AccountingSupplierParty"), "Party"))
	inv.Buyer = r.party(r.cac(r.cac(root, "AccountingCustomerParty"), "Party"))
	if p := r.cac(root, "PayeeParty"); p != xmltree.None {
		payee := r.party(p)
		inv.Payee = &payee
	}
	if p := r.cac(root, "TaxRepresentativeParty"); p != xmltree.None {
		rep := r.party(p)
		inv.TaxRepresentative = &rep
	}
	if dl := r.first(root, NSCAC, "Delivery"); dl != xmltree.None {
		inv.Delivery = r.delivery(dl)
	}
	for pm := range r.each(root, NSCAC, "PaymentMeans") {
		inv.PaymentMeans = append(inv.PaymentMeans, r.paymentMeans(pm))
		if r.credit && !inv.DueDate.Present() {
			if n := r.cbc(pm, "PaymentDueDate"); n != xmltree.None {
				inv.DueDate = r.date(n)
			}
		}
	}
	inv.PaymentTerms = r.textOf(r.first(root, NSCAC, "PaymentTerms"), "Note")
	for ac := range r.each(root, NSCAC, "AllowanceCharge") {
		v := r.allowanceCharge(ac)
		if v.Charge {
			inv.Charges = append(inv.Charges, v)
		} else {
			inv.Allowances = append(inv.Allowances, v)
		}
	}
	for tt := range r.each(root, NSCAC, "TaxTotal") {
		inv.TaxTotals = append(inv.TaxTotals, r.taxTotal(tt))
	}
	inv.Totals = r.totals(r.cac(root, "LegalMonetaryTotal"))
	lineName := "InvoiceLine"
	if r.credit {
		lineName = "CreditNoteLine"
	}
	// The lines are most of a large invoice: room for all at once.
	if k := r.count(root, NSCAC, lineName); k > 0 {
		inv.Lines = make([]Line, 0, k)
	}
	for l := range r.each(root, NSCAC, lineName) {
		inv.Lines = append(inv.Lines, r.line(l))
	}
	return inv
}

func (r *reader) period(n xmltree.NodeID) Period {
	return Period{Node: n, Start: r.dateOf(n, "StartDate"), End: r.dateOf(n, "EndDate"), DescriptionCode: r.textOf(n, "DescriptionCode")}
}

func (r *reader) docRef(n xmltree.NodeID) DocumentReference {
	att := r.cac(n, "Attachment")
	bin := r.cbc(att, "EmbeddedDocumentBinaryObject")
	return DocumentReference{
		Node:        n,
		ID:          r.id(r.cbc(n, "ID"), "schemeID"),
		TypeCode:    r.textOf(n, "DocumentTypeCode"),
		Description: r.textOf(n, "DocumentDescription"),
		URI:         r.textOf(r.cac(att, "ExternalReference"), "URI"),
		Attachment:  Attachment{Node: bin, MimeCode: r.attr(bin, "mimeCode"), Filename: r.attr(bin, "filename")},
	}
}

func (r *reader) party(p xmltree.NodeID) Party {
	v := Party{Node: p}
	v.EndpointID = r.id(r.cbc(p, "EndpointID"), "schemeID")
	for pi := range r.each(p, NSCAC, "PartyIdentification") {
		v.Identifiers = append(v.Identifiers, r.id(r.cbc(pi, "ID"), "schemeID"))
	}
	v.TradingName = r.textOf(r.first(p, NSCAC, "PartyName"), "Name")
	le := r.cac(p, "PartyLegalEntity")
	v.Name = r.textOf(le, "RegistrationName")
	v.LegalRegistrationID = r.id(r.cbc(le, "CompanyID"), "schemeID")
	v.LegalForm = r.textOf(le, "CompanyLegalForm")
	v.VATID, v.TaxRegistrationID = Text{Node: xmltree.None}, Text{Node: xmltree.None}
	for pts := range r.each(p, NSCAC, "PartyTaxScheme") {
		scheme := r.value(r.cbc(r.cac(pts, "TaxScheme"), "ID"))
		id := r.textOf(pts, "CompanyID")
		if scheme == "VAT" {
			if !v.VATID.Present() {
				v.VATID = id
			}
		} else if !v.TaxRegistrationID.Present() {
			v.TaxRegistrationID = id
		}
	}
	v.Address = r.address(r.cac(p, "PostalAddress"))
	c := r.cac(p, "Contact")
	v.Contact = Contact{Node: c, Name: r.textOf(c, "Name"), Phone: r.textOf(c, "Telephone"), Email: r.textOf(c, "ElectronicMail")}
	return v
}

func (r *reader) address(a xmltree.NodeID) Address {
	return Address{
		Node:        a,
		Street:      r.textOf(a, "StreetName"),
		Additional:  r.textOf(a, "AdditionalStreetName"),
		Line3:       r.textOf(r.first(a, NSCAC, "AddressLine"), "Line"),
		City:        r.textOf(a, "CityName"),
		PostalCode:  r.textOf(a, "PostalZone"),
		Subdivision: r.textOf(a, "CountrySubentity"),
		Country:     r.textOf(r.cac(a, "Country"), "IdentificationCode"),
	}
}

func (r *reader) delivery(n xmltree.NodeID) *Delivery {
	loc := r.cac(n, "DeliveryLocation")
	return &Delivery{
		Node:       n,
		PartyName:  r.textOf(r.first(r.cac(n, "DeliveryParty"), NSCAC, "PartyName"), "Name"),
		LocationID: r.id(r.cbc(loc, "ID"), "schemeID"),
		Date:       r.dateOf(n, "ActualDeliveryDate"),
		Address:    r.address(r.cac(loc, "Address")),
	}
}

func (r *reader) paymentMeans(n xmltree.NodeID) PaymentMeans {
	code := r.cbc(n, "PaymentMeansCode")
	acct := r.cac(n, "PayeeFinancialAccount")
	card := r.cac(n, "CardAccount")
	mandate := r.cac(n, "PaymentMandate")
	pm := PaymentMeans{
		Node:            n,
		Code:            r.text(code),
		Text:            Text{Value: r.attr(code, "name"), Node: code},
		RemittanceInfo:  r.text(r.first(n, NSCBC, "PaymentID")),
		Account:         r.id(r.cbc(acct, "ID"), "schemeID"),
		AccountName:     r.textOf(acct, "Name"),
		ServiceProvider: r.textOf(r.cac(acct, "FinancialInstitutionBranch"), "ID"),
		CardNumber:      r.textOf(card, "PrimaryAccountNumberID"),
		CardHolder:      r.textOf(card, "HolderName"),
		MandateID:       r.textOf(mandate, "ID"),
		DebitedAccount:  r.textOf(r.cac(mandate, "PayerFinancialAccount"), "ID"),
	}
	return pm
}

func (r *reader) allowanceCharge(n xmltree.NodeID) AllowanceCharge {
	cat := r.cac(n, "TaxCategory")
	return AllowanceCharge{
		Node:       n,
		Charge:     r.value(r.cbc(n, "ChargeIndicator")) == "true",
		Amount:     r.amountOf(n, "Amount"),
		BaseAmount: r.amountOf(n, "BaseAmount"),
		Percent:    r.decimal(r.cbc(n, "MultiplierFactorNumeric"), ""),
		Category:   r.textOf(cat, "ID"),
		Rate:       r.decimal(r.cbc(cat, "Percent"), ""),
		TaxScheme:  r.textOf(r.cac(cat, "TaxScheme"), "ID"),
		Reason:     r.textOf(n, "AllowanceChargeReason"),
		ReasonCode: r.textOf(n, "AllowanceChargeReasonCode"),
	}
}

func (r *reader) taxTotal(n xmltree.NodeID) TaxTotal {
	tt := TaxTotal{Node: n, TaxAmount: r.amountOf(n, "TaxAmount")}
	for s := range r.each(n, NSCAC, "TaxSubtotal") {
		cat := r.cac(s, "TaxCategory")
		tt.Subtotals = append(tt.Subtotals, TaxSubtotal{
			Node:            s,
			TaxableAmount:   r.amountOf(s, "TaxableAmount"),
			TaxAmount:       r.amountOf(s, "TaxAmount"),
			Category:        r.textOf(cat, "ID"),
			Rate:            r.decimal(r.cbc(cat, "Percent"), ""),
			ExemptionReason: r.textOf(cat, "TaxExemptionReason"),
			ExemptionCode:   r.textOf(cat, "TaxExemptionReasonCode"),
			TaxScheme:       r.textOf(r.cac(cat, "TaxScheme"), "ID"),
		})
	}
	return tt
}

func (r *reader) totals(n xmltree.NodeID) Totals {
	return Totals{
		Node:           n,
		LineExtension:  r.amountOf(n, "LineExtensionAmount"),
		AllowanceTotal: r.amountOf(n, "AllowanceTotalAmount"),
		ChargeTotal:    r.amountOf(n, "ChargeTotalAmount"),
		TaxExclusive:   r.amountOf(n, "TaxExclusiveAmount"),
		TaxInclusive:   r.amountOf(n, "TaxInclusiveAmount"),
		Prepaid:        r.amountOf(n, "PrepaidAmount"),
		Rounding:       r.amountOf(n, "PayableRoundingAmount"),
		Payable:        r.amountOf(n, "PayableAmount"),
	}
}

func (r *reader) line(n xmltree.NodeID) Line {
	qty := "InvoicedQuantity"
	sub := "SubInvoiceLine"
	if r.credit {
		qty, sub = "CreditedQuantity", "SubCreditNoteLine"
	}
	l := Line{
		Node:           n,
		ID:             r.textOf(n, "ID"),
		Note:           r.text(r.first(n, NSCBC, "Note")),
		Quantity:       r.decimal(r.cbc(n, qty), "unitCode"),
		NetAmount:      r.amountOf(n, "LineExtensionAmount"),
		AccountingCost: r.textOf(n, "AccountingCost"),
		Period:         r.period(r.first(n, NSCAC, "InvoicePeriod")),
		OrderLineRef:   r.textOf(r.first(n, NSCAC, "OrderLineReference"), "LineID"),
	}
	l.ObjectID = ID{Node: xmltree.None}
	for dr := range r.each(n, NSCAC, "DocumentReference") {
		if r.value(r.cbc(dr, "DocumentTypeCode")) == "130" && !l.ObjectID.Present() {
			l.ObjectID = r.id(r.cbc(dr, "ID"), "schemeID")
		}
	}
	for ac := range r.each(n, NSCAC, "AllowanceCharge") {
		v := r.allowanceCharge(ac)
		if v.Charge {
			l.Charges = append(l.Charges, v)
		} else {
			l.Allowances = append(l.Allowances, v)
		}
	}
	price := r.cac(n, "Price")
	pac := r.first(price, NSCAC, "AllowanceCharge")
	l.Price = Price{
		Node:         price,
		NetPrice:     r.amountOf(price, "PriceAmount"),
		Discount:     r.amountOf(pac, "Amount"),
		GrossPrice:   r.amountOf(pac, "BaseAmount"),
		BaseQuantity: r.decimal(r.cbc(price, "BaseQuantity"), "unitCode"),
	}
	l.Item = r.item(r.cac(n, "Item"))
	for s := range r.each(n, NSCAC, sub) {
		l.SubLines = append(l.SubLines, r.line(s))
	}
	return l
}

func (r *reader) item(n xmltree.NodeID) Item {
	cat := r.first(n, NSCAC, "ClassifiedTaxCategory")
	it := Item{
		Node:          n,
		Name:          r.textOf(n, "Name"),
		Description:   r.text(r.first(n, NSCBC, "Description")),
		SellerID:      r.textOf(r.cac(n, "SellersItemIdentification"), "ID"),
		BuyerID:       r.textOf(r.cac(n, "BuyersItemIdentification"), "ID"),
		StandardID:    r.id(r.cbc(r.cac(n, "StandardItemIdentification"), "ID"), "schemeID"),
		OriginCountry: r.textOf(r.cac(n, "OriginCountry"), "IdentificationCode"),
		Category:      r.textOf(cat, "ID"),
		Rate:          r.decimal(r.cbc(cat, "Percent"), ""),
		TaxScheme:     r.textOf(r.cac(cat, "TaxScheme"), "ID"),
	}
	for cc := range r.each(n, NSCAC, "CommodityClassification") {
		for c := range r.each(cc, NSCBC, "ItemClassificationCode") {
			it.Classification = append(it.Classification, r.id(c, "listID"))
		}
	}
	for p := range r.each(n, NSCAC, "AdditionalItemProperty") {
		it.Attributes = append(it.Attributes, ItemAttribute{Node: p, Name: r.textOf(p, "Name"), Value: r.textOf(p, "Value")})
	}
	return it
}
