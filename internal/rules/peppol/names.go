package peppol

import "strings"

// steps are the element names the rules walk, numbered so that a
// document resolves each to its NameID once, into an array, instead of
// looking names up by string on every step. names_test.go checks that
// every name the rules use is here.
var steps = strings.Fields(`
	cac: cac:AccountingCustomerParty cac:AccountingSupplierParty cac:AdditionalDocumentReference
	cac:Address cac:AllowanceCharge cac:Attachment cac:BillingReference cac:CardAccount
	cac:ClassifiedTaxCategory cac:CommodityClassification cac:Contact cac:Country cac:CreditNoteLine
	cac:Delivery cac:DeliveryLocation cac:DocumentReference cac:ExternalReference
	cac:FinancialInstitutionBranch cac:InvoiceDocumentReference cac:InvoiceLine
	cac:InvoicePeriod cac:Item cac:LegalMonetaryTotal cac:Name cac:OrderLineReference
	cac:OrderReference cac:Party cac:PartyIdentification cac:PartyLegalEntity cac:PartyName
	cac:PartyTaxScheme cac:PayeeFinancialAccount cac:PayeeParty cac:PayerFinancialAccount
	cac:PaymentMandate cac:PaymentMeans cac:PaymentTerms cac:PostalAddress cac:Price cac:TaxCategory
	cac:TaxRepresentativeParty cac:TaxScheme cac:TaxSubtotal cac:TaxTotal cbc: cbc:ActualDeliveryDate
	cbc:AllowanceChargeReason cbc:AllowanceChargeReasonCode cbc:AllowanceTotalAmount cbc:Amount
	cbc:BaseAmount cbc:BaseQuantity cbc:BuyerReference cbc:ChargeIndicator cbc:ChargeTotalAmount
	cbc:CityName cbc:CompanyID cbc:CreditNoteTypeCode cbc:CreditedQuantity cbc:CustomizationID
	cbc:DescriptionCode cbc:DocumentCurrencyCode cbc:DocumentDescription cbc:DocumentTypeCode
	cbc:DueDate cbc:ElectronicMail cbc:EmbeddedDocumentBinaryObject cbc:EndDate cbc:EndpointID
	cbc:ID cbc:IdentificationCode cbc:InvoiceTypeCode cbc:InvoicedQuantity cbc:IssueDate
	cbc:ItemClassificationCode cbc:LineExtensionAmount cbc:LineID cbc:MultiplierFactorNumeric
	cbc:Name cbc:Note cbc:PayableAmount cbc:PayableRoundingAmount cbc:PaymentID cbc:PaymentMeansCode
	cbc:Percent cbc:PostalZone cbc:PrepaidAmount cbc:PriceAmount cbc:ProfileID cbc:StartDate
	cbc:StreetName cbc:TaxAmount cbc:TaxCurrencyCode cbc:TaxExclusiveAmount cbc:TaxExemptionReasonCode
	cbc:TaxInclusiveAmount cbc:TaxPointDate cbc:TaxableAmount cbc:Telephone cbc:URI
`)

// stepKey numbers the steps.
var stepKey = func() map[string]int {
	m := make(map[string]int, len(steps))
	for i, s := range steps {
		m[s] = i
	}
	return m
}()
