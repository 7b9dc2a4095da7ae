package peppol

// step is an element name the rules walk, numbered so that a document
// resolves each to its NameID once, into an array (index.ids), instead of
// looking names up by string on every step. names_test.go checks that each
// constant's name is its element name.
type step uint8

// The steps: cacX is cac:X, cbcX is cbc:X.
const (
	cacAccountingCustomerParty step = iota
	cacAccountingSupplierParty
	cacAdditionalDocumentReference
	cacAddress
	cacAllowanceCharge
	cacAttachment
	cacBillingReference
	cacCardAccount
	cacClassifiedTaxCategory
	cacCommodityClassification
	cacContact
	cacCountry
	cacCreditNoteLine
	cacDelivery
	cacDeliveryLocation
	cacDocumentReference
	cacExternalReference
	cacFinancialInstitutionBranch
	cacInvoiceDocumentReference
	cacInvoiceLine
	cacInvoicePeriod
	cacItem
	cacLegalMonetaryTotal
	cacName
	cacOrderLineReference
	cacOrderReference
	cacParty
	cacPartyIdentification
	cacPartyLegalEntity
	cacPartyName
	cacPartyTaxScheme
	cacPayeeFinancialAccount
	cacPayeeParty
	cacPayerFinancialAccount
	cacPaymentMandate
	cacPaymentMeans
	cacPaymentTerms
	cacPostalAddress
	cacPrice
	cacTaxCategory
	cacTaxRepresentativeParty
	cacTaxScheme
	cacTaxSubtotal
	cacTaxTotal
	cbcActualDeliveryDate
	cbcAllowanceChargeReason
	cbcAllowanceChargeReasonCode
	cbcAllowanceTotalAmount
	cbcAmount
	cbcBaseAmount
	cbcBaseQuantity
	cbcBuyerReference
	cbcChargeIndicator
	cbcChargeTotalAmount
	cbcCityName
	cbcCompanyID
	cbcCreditNoteTypeCode
	cbcCreditedQuantity
	cbcCustomizationID
	cbcDescriptionCode
	cbcDocumentCurrencyCode
	cbcDocumentDescription
	cbcDocumentTypeCode
	cbcDueDate
	cbcElectronicMail
	cbcEmbeddedDocumentBinaryObject
	cbcEndDate
	cbcEndpointID
	cbcID
	cbcIdentificationCode
	cbcInvoiceTypeCode
	cbcInvoicedQuantity
	cbcIssueDate
	cbcItemClassificationCode
	cbcLineExtensionAmount
	cbcLineID
	cbcMultiplierFactorNumeric
	cbcName
	cbcNote
	cbcPayableAmount
	cbcPayableRoundingAmount
	cbcPaymentID
	cbcPaymentMeansCode
	cbcPercent
	cbcPostalZone
	cbcPrepaidAmount
	cbcPriceAmount
	cbcProfileID
	cbcStartDate
	cbcStreetName
	cbcTaxAmount
	cbcTaxCurrencyCode
	cbcTaxExclusiveAmount
	cbcTaxExemptionReasonCode
	cbcTaxInclusiveAmount
	cbcTaxPointDate
	cbcTaxableAmount
	cbcTelephone
	cbcURI
	numSteps // how many steps there are
)

// stepNames are the steps as the official paths write them.
var stepNames = [numSteps]string{
	"cac:AccountingCustomerParty",
	"cac:AccountingSupplierParty",
	"cac:AdditionalDocumentReference",
	"cac:Address",
	"cac:AllowanceCharge",
	"cac:Attachment",
	"cac:BillingReference",
	"cac:CardAccount",
	"cac:ClassifiedTaxCategory",
	"cac:CommodityClassification",
	"cac:Contact",
	"cac:Country",
	"cac:CreditNoteLine",
	"cac:Delivery",
	"cac:DeliveryLocation",
	"cac:DocumentReference",
	"cac:ExternalReference",
	"cac:FinancialInstitutionBranch",
	"cac:InvoiceDocumentReference",
	"cac:InvoiceLine",
	"cac:InvoicePeriod",
	"cac:Item",
	"cac:LegalMonetaryTotal",
	"cac:Name",
	"cac:OrderLineReference",
	"cac:OrderReference",
	"cac:Party",
	"cac:PartyIdentification",
	"cac:PartyLegalEntity",
	"cac:PartyName",
	"cac:PartyTaxScheme",
	"cac:PayeeFinancialAccount",
	"cac:PayeeParty",
	"cac:PayerFinancialAccount",
	"cac:PaymentMandate",
	"cac:PaymentMeans",
	"cac:PaymentTerms",
	"cac:PostalAddress",
	"cac:Price",
	"cac:TaxCategory",
	"cac:TaxRepresentativeParty",
	"cac:TaxScheme",
	"cac:TaxSubtotal",
	"cac:TaxTotal",
	"cbc:ActualDeliveryDate",
	"cbc:AllowanceChargeReason",
	"cbc:AllowanceChargeReasonCode",
	"cbc:AllowanceTotalAmount",
	"cbc:Amount",
	"cbc:BaseAmount",
	"cbc:BaseQuantity",
	"cbc:BuyerReference",
	"cbc:ChargeIndicator",
	"cbc:ChargeTotalAmount",
	"cbc:CityName",
	"cbc:CompanyID",
	"cbc:CreditNoteTypeCode",
	"cbc:CreditedQuantity",
	"cbc:CustomizationID",
	"cbc:DescriptionCode",
	"cbc:DocumentCurrencyCode",
	"cbc:DocumentDescription",
	"cbc:DocumentTypeCode",
	"cbc:DueDate",
	"cbc:ElectronicMail",
	"cbc:EmbeddedDocumentBinaryObject",
	"cbc:EndDate",
	"cbc:EndpointID",
	"cbc:ID",
	"cbc:IdentificationCode",
	"cbc:InvoiceTypeCode",
	"cbc:InvoicedQuantity",
	"cbc:IssueDate",
	"cbc:ItemClassificationCode",
	"cbc:LineExtensionAmount",
	"cbc:LineID",
	"cbc:MultiplierFactorNumeric",
	"cbc:Name",
	"cbc:Note",
	"cbc:PayableAmount",
	"cbc:PayableRoundingAmount",
	"cbc:PaymentID",
	"cbc:PaymentMeansCode",
	"cbc:Percent",
	"cbc:PostalZone",
	"cbc:PrepaidAmount",
	"cbc:PriceAmount",
	"cbc:ProfileID",
	"cbc:StartDate",
	"cbc:StreetName",
	"cbc:TaxAmount",
	"cbc:TaxCurrencyCode",
	"cbc:TaxExclusiveAmount",
	"cbc:TaxExemptionReasonCode",
	"cbc:TaxInclusiveAmount",
	"cbc:TaxPointDate",
	"cbc:TaxableAmount",
	"cbc:Telephone",
	"cbc:URI",
}

// attrName is an attribute name the rules read (without namespace).
type attrName uint8

// The attribute names.
const (
	attrCurrencyID attrName = iota
	attrFilename
	attrListID
	attrListVersionID
	attrMimeCode
	attrSchemeID
	attrUnitCode
	numAttrs // how many there are
)

// attrNames are the attribute names as written.
var attrNames = [numAttrs]string{"currencyID", "filename", "listID", "listVersionID", "mimeCode", "schemeID", "unitCode"}
