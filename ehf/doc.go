// Package ehf reads and validates Norwegian EHF and Peppol BIS Billing 3.0
// invoices and credit notes.
//
// Parse reads a document (bare UBL, or wrapped in an SBDH envelope) into a
// Document with its typed EN 16931 model; a Validator applies the layers the
// official validators apply (the UBL XSD when available, then the business
// rules, natively in Go or with the official Schematron files) and returns
// one Report of findings, each with rule ID, flag, message, location and
// line:column in the file.
//
//	doc, err := ehf.ParseFile("invoice.xml")
//	if err != nil { ... }           // unreadable XML: err says file:line:col
//	rep := ehf.Validate(doc, nil)   // today's rules, native engine
//	if !rep.Valid() { ... }
package ehf

import (
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Finding is one rule a document breaks: rule ID, flag, message (English
// and bokmål), XPath location, line and column, and the rule set.
type Finding = report.Finding

// Report is the outcome of validating one document.
type Report = report.Report

// Flag is how serious a finding is.
type Flag = report.Flag

// Flags.
const (
	Fatal       = report.Fatal
	Warning     = report.Warning
	Information = report.Information
)

// SyntaxError is a document that cannot be read as XML, with file, line
// and column.
type SyntaxError = xmltree.SyntaxError

// The EN 16931 model. A credit note is an Invoice whose Kind is
// KindCreditNote, as EN 16931 itself treats it.
type (
	// Invoice is an EN 16931 invoice or credit note (BG-0).
	Invoice = invoice.Invoice
	// Party is a seller, buyer, payee or tax representative.
	Party = invoice.Party
	// Line is an invoice line (BG-25). The groups a line seldom has
	// (Period, Price.Allowance, Item.Details, ObjectID) are nil when
	// absent.
	Line = invoice.Line
	// Period is an invoicing period (BG-14, BG-26).
	Period = invoice.Period
	// Price is the price details of a line (BG-29).
	Price = invoice.Price
	// PriceAllowance is the discount from a gross to a net price
	// (BT-147, BT-148).
	PriceAllowance = invoice.PriceAllowance
	// Item is the item of a line (BG-31): name and VAT category.
	Item = invoice.Item
	// ItemDetails describes and identifies an item beyond its name
	// (BT-154 to BT-159, BG-32).
	ItemDetails = invoice.ItemDetails
	// Amount is an exact decimal amount with its currency and source node.
	Amount = invoice.Amount
	// AllowanceCharge is a document or line allowance or charge.
	AllowanceCharge = invoice.AllowanceCharge
	// TaxSubtotal is one VAT breakdown (BG-23).
	TaxSubtotal = invoice.TaxSubtotal
	// Totals are the document totals (BG-22).
	Totals = invoice.Totals
)

// Kinds of billing document.
const (
	KindInvoice    = invoice.KindInvoice
	KindCreditNote = invoice.KindCreditNote
)
