// Package invoice is the typed EN 16931 model of a UBL invoice or credit
// note: the business terms (BT-n) and groups (BG-n) that the rules and the
// totals checker read, each value typed (amounts as exact decimals with
// their currency, dates as dates) and each remembering the node it came
// from, so that a finding can point at the source.
//
// EN 16931 treats a credit note as an invoice with another type code; so
// does this model. Kind says which UBL document it was read from.
package invoice

import (
	"time"

	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

// Node is where a value was read from; xmltree.None when it is absent.
type Node = xmltree.NodeID

// Kind is the UBL document a model was read from.
type Kind uint8

// Kinds of billing document.
const (
	KindInvoice Kind = iota
	KindCreditNote
)

func (k Kind) String() string {
	if k == KindCreditNote {
		return "credit-note"
	}
	return "invoice"
}

// Text is a string value; Node is None when the element is absent.
type Text struct {
	Value string
	Node  Node
}

// Present reports whether the element was in the document.
func (t Text) Present() bool { return t.Node != xmltree.None }

// ID is an identifier with its optional scheme (@schemeID).
type ID struct {
	Value  string
	Scheme string
	Node   Node
}

// Present reports whether the element was in the document.
func (t ID) Present() bool { return t.Node != xmltree.None }

// Amount is a monetary amount with its currency (@currencyID). OK is
// false when the element is absent or its text is not a decimal number.
type Amount struct {
	Value    decimal.Decimal
	Currency string
	Node     Node
	OK       bool
}

// Present reports whether the element was in the document.
func (a Amount) Present() bool { return a.Node != xmltree.None }

// Decimal is a number that is not money: a percentage, a rate, a quantity.
type Decimal struct {
	Value decimal.Decimal
	Unit  string // @unitCode of a quantity
	Node  Node
	OK    bool
}

// Present reports whether the element was in the document.
func (d Decimal) Present() bool { return d.Node != xmltree.None }

// Date is a calendar date (xs:date).
type Date struct {
	Value time.Time
	Node  Node
	OK    bool
}

// Present reports whether the element was in the document.
func (d Date) Present() bool { return d.Node != xmltree.None }

// Invoice is an EN 16931 invoice (or credit note).
type Invoice struct {
	Kind Kind
	Root Node // the Invoice or CreditNote element

	CustomizationID Text // BT-24 specification identifier
	ProfileID       Text // BT-23 business process type
	ID              Text // BT-1 invoice number
	IssueDate       Date // BT-2
	DueDate         Date // BT-9 payment due date (cbc:DueDate, or cac:PaymentMeans/cbc:PaymentDueDate in a credit note)
	TypeCode        Text // BT-3 invoice type code (cbc:InvoiceTypeCode or cbc:CreditNoteTypeCode)
	Notes           []Text
	TaxPointDate    Date // BT-7
	Currency        Text // BT-5 document currency code
	TaxCurrency     Text // BT-6 VAT accounting currency code
	AccountingCost  Text // BT-19 buyer accounting reference
	BuyerReference  Text // BT-10

	Period              Period              // BG-14 invoicing period
	OrderReference      Text                // BT-13 purchase order reference
	SalesOrderReference Text                // BT-14
	PrecedingInvoices   []PrecedingInvoice  // BG-3
	DespatchReference   Text                // BT-16
	ReceiptReference    Text                // BT-15
	OriginatorReference Text                // BT-17 tender or lot reference
	ContractReference   Text                // BT-12
	ProjectReference    Text                // BT-11
	AdditionalDocuments []DocumentReference // BG-24 (and BT-18 invoiced object identifier)

	Seller            Party     // BG-4
	Buyer             Party     // BG-7
	Payee             *Party    // BG-10
	TaxRepresentative *Party    // BG-11
	Delivery          *Delivery // BG-13

	PaymentMeans []PaymentMeans // BG-16
	PaymentTerms Text           // BT-20

	Allowances []AllowanceCharge // BG-20 document level allowances
	Charges    []AllowanceCharge // BG-21 document level charges

	TaxTotals []TaxTotal // cac:TaxTotal: BT-110/BT-111 and the BG-23 breakdown
	Totals    Totals     // BG-22

	Lines []Line // BG-25
}

// Period is an invoicing period (BG-14, BG-26).
type Period struct {
	Node            Node
	Start           Date // BT-73 / BT-134
	End             Date // BT-74 / BT-135
	DescriptionCode Text // BT-8 value added tax point date code
}

// PrecedingInvoice is a reference to an earlier invoice (BG-3).
type PrecedingInvoice struct {
	Node      Node
	ID        Text // BT-25
	IssueDate Date // BT-26
}

// DocumentReference is an additional supporting document (BG-24), or the
// invoiced object identifier (BT-18) when TypeCode is 130.
type DocumentReference struct {
	Node        Node
	ID          ID         // BT-122 (BT-18 with its scheme)
	TypeCode    Text       // 130 marks BT-18
	Description Text       // BT-123
	URI         Text       // BT-124 external document location
	Attachment  Attachment // BT-125
}

// Attachment is an embedded binary object (BT-125).
type Attachment struct {
	Node     Node
	MimeCode string
	Filename string
}

// Party is a seller, buyer, payee or tax representative.
type Party struct {
	Node                Node
	EndpointID          ID      // BT-34 / BT-49 electronic address
	Identifiers         []ID    // BT-29 / BT-46 / BT-60 (cac:PartyIdentification)
	Name                Text    // BT-27 / BT-44 / BT-59 / BT-62 registration name (cac:PartyLegalEntity or cac:PartyName for payee and representative)
	TradingName         Text    // BT-28 / BT-45 (cac:PartyName)
	LegalRegistrationID ID      // BT-30 / BT-47 / BT-61
	LegalForm           Text    // BT-33 seller additional legal information
	VATID               Text    // BT-31 / BT-48 / BT-63 (cac:PartyTaxScheme with TaxScheme VAT)
	TaxRegistrationID   Text    // BT-32 (cac:PartyTaxScheme with another TaxScheme)
	Address             Address // BG-5 / BG-8 / BG-12
	Contact             Contact // BG-6 / BG-9
}

// Address is a postal address.
type Address struct {
	Node        Node
	Street      Text // BT-35
	Additional  Text // BT-36
	Line3       Text // BT-162
	City        Text // BT-37
	PostalCode  Text // BT-38
	Subdivision Text // BT-39
	Country     Text // BT-40 country code
}

// Contact is a contact point.
type Contact struct {
	Node  Node
	Name  Text // BT-41 / BT-56
	Phone Text // BT-42 / BT-57
	Email Text // BT-43 / BT-58
}

// Delivery is delivery information (BG-13).
type Delivery struct {
	Node       Node
	PartyName  Text    // BT-70
	LocationID ID      // BT-71
	Date       Date    // BT-72 actual delivery date
	Address    Address // BG-15
}

// PaymentMeans is one way to pay (BG-16).
type PaymentMeans struct {
	Node            Node
	Code            Text // BT-81 payment means type code
	Text            Text // BT-82 (@name of the code)
	RemittanceInfo  Text // BT-83
	Account         ID   // BT-84 payment account identifier
	AccountName     Text // BT-85
	ServiceProvider Text // BT-86
	CardNumber      Text // BT-87
	CardHolder      Text // BT-88
	MandateID       Text // BT-89
	DebitedAccount  Text // BT-91
}

// AllowanceCharge is an allowance or a charge, on the document (BG-20,
// BG-21) or a line (BG-27, BG-28).
type AllowanceCharge struct {
	Node       Node
	Charge     bool    // cbc:ChargeIndicator
	Amount     Amount  // BT-92 / BT-99 / BT-136 / BT-141
	BaseAmount Amount  // BT-93 / BT-100 / BT-137 / BT-142
	Percent    Decimal // BT-94 / BT-101 / BT-138 / BT-143
	Category   Text    // BT-95 / BT-102 VAT category code (document level)
	Rate       Decimal // BT-96 / BT-103
	TaxScheme  Text
	Reason     Text // BT-97 / BT-104 / BT-139 / BT-144
	ReasonCode Text // BT-98 / BT-105 / BT-140 / BT-145
}

// TaxTotal is one cac:TaxTotal: the total VAT amount in one currency and,
// for the document currency, the VAT breakdown.
type TaxTotal struct {
	Node      Node
	TaxAmount Amount        // BT-110 or BT-111, told apart by currency
	Subtotals []TaxSubtotal // BG-23
}

// TaxSubtotal is one VAT breakdown (BG-23).
type TaxSubtotal struct {
	Node            Node
	TaxableAmount   Amount  // BT-116
	TaxAmount       Amount  // BT-117
	Category        Text    // BT-118
	Rate            Decimal // BT-119
	ExemptionReason Text    // BT-120
	ExemptionCode   Text    // BT-121
	TaxScheme       Text
}

// Totals are the document totals (BG-22, cac:LegalMonetaryTotal).
type Totals struct {
	Node           Node
	LineExtension  Amount // BT-106 sum of invoice line net amounts
	AllowanceTotal Amount // BT-107
	ChargeTotal    Amount // BT-108
	TaxExclusive   Amount // BT-109
	TaxInclusive   Amount // BT-112
	Prepaid        Amount // BT-113
	Rounding       Amount // BT-114
	Payable        Amount // BT-115
}

// Line is an invoice line (BG-25).
//
// The parts a line seldom has are pointers, nil when the line has none of
// them: a large invoice is mostly lines, and most lines carry only an ID,
// a quantity, a net amount, a price and an item with its VAT category, so
// a line does not make room for the rest. Whatever the line carries, its
// groups and business terms are all read.
type Line struct {
	Node           Node
	ID             Text              // BT-126
	Note           Text              // BT-127
	ObjectID       *ID               // BT-128; nil unless a cac:DocumentReference has type code 130
	Quantity       Decimal           // BT-129 with BT-130 unit
	NetAmount      Amount            // BT-131
	OrderLineRef   Text              // BT-132
	AccountingCost Text              // BT-133
	Period         *Period           // BG-26; nil when the line has no cac:InvoicePeriod
	Allowances     []AllowanceCharge // BG-27
	Charges        []AllowanceCharge // BG-28
	Price          Price             // BG-29
	Item           Item              // BG-31
	SubLines       []Line            // cac:SubInvoiceLine (not part of EN 16931; kept for rules that look at them)
}

// Price is the price details of a line (BG-29).
type Price struct {
	Node         Node
	NetPrice     Amount          // BT-146
	BaseQuantity Decimal         // BT-149 with BT-150 unit
	Allowance    *PriceAllowance // nil when the price has no cac:AllowanceCharge
}

// PriceAllowance is the discount that takes an item's gross price to its
// net price (cac:Price/cac:AllowanceCharge).
type PriceAllowance struct {
	Node       Node
	Discount   Amount // BT-147 (cbc:Amount)
	GrossPrice Amount // BT-148 (cbc:BaseAmount)
}

// Item is the item information of a line (BG-31): its name and VAT
// category, which every line has, and the rest in Details.
type Item struct {
	Node      Node
	Name      Text    // BT-153
	Category  Text    // BT-151 VAT category code
	Rate      Decimal // BT-152
	TaxScheme Text
	// Details is nil when the item has none of the parts it holds.
	Details *ItemDetails
}

// ItemDetails is what describes and identifies an item beyond its name
// (BT-154 to BT-159, BG-32). Absent parts are as in the rest of the
// model: a Text or ID whose Node is None, a nil slice.
type ItemDetails struct {
	Description    Text            // BT-154
	SellerID       Text            // BT-155
	BuyerID        Text            // BT-156
	StandardID     ID              // BT-157
	Classification []ID            // BT-158 (scheme from @listID)
	OriginCountry  Text            // BT-159
	Attributes     []ItemAttribute // BG-32
}

// ItemAttribute is an item property (BG-32).
type ItemAttribute struct {
	Node  Node
	Name  Text // BT-160
	Value Text // BT-161
}
