package invoice

// name is one of the element and attribute names the reader asks for. The
// reader resolves each to the document's NameID on first use and then
// finds it by index: a large invoice asks the same few dozen names for
// every line.
type name uint8

const (
	noName name = iota // no attribute
	cbcAccountingCost
	cbcActualDeliveryDate
	cbcAdditionalStreetName
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
	cbcCompanyLegalForm
	cbcCountrySubentity
	cbcCreditNoteTypeCode
	cbcCreditedQuantity
	cbcCustomizationID
	cbcDescription
	cbcDescriptionCode
	cbcDocumentCurrencyCode
	cbcDocumentDescription
	cbcDocumentTypeCode
	cbcDueDate
	cbcElectronicMail
	cbcEmbeddedDocumentBinaryObject
	cbcEndDate
	cbcEndpointID
	cbcHolderName
	cbcID
	cbcIdentificationCode
	cbcInvoiceTypeCode
	cbcInvoicedQuantity
	cbcIssueDate
	cbcItemClassificationCode
	cbcLine
	cbcLineExtensionAmount
	cbcLineID
	cbcMultiplierFactorNumeric
	cbcName
	cbcNote
	cbcPayableAmount
	cbcPayableRoundingAmount
	cbcPaymentDueDate
	cbcPaymentID
	cbcPaymentMeansCode
	cbcPercent
	cbcPostalZone
	cbcPrepaidAmount
	cbcPriceAmount
	cbcPrimaryAccountNumberID
	cbcProfileID
	cbcRegistrationName
	cbcSalesOrderID
	cbcStartDate
	cbcStreetName
	cbcTaxAmount
	cbcTaxCurrencyCode
	cbcTaxExclusiveAmount
	cbcTaxExemptionReason
	cbcTaxExemptionReasonCode
	cbcTaxInclusiveAmount
	cbcTaxPointDate
	cbcTaxableAmount
	cbcTelephone
	cbcURI
	cbcValue
	cacAccountingCustomerParty
	cacAccountingSupplierParty
	cacAdditionalDocumentReference
	cacAdditionalItemProperty
	cacAddress
	cacAddressLine
	cacAllowanceCharge
	cacAttachment
	cacBillingReference
	cacBuyersItemIdentification
	cacCardAccount
	cacClassifiedTaxCategory
	cacCommodityClassification
	cacContact
	cacContractDocumentReference
	cacCountry
	cacCreditNoteLine
	cacDelivery
	cacDeliveryLocation
	cacDeliveryParty
	cacDespatchDocumentReference
	cacDocumentReference
	cacExternalReference
	cacFinancialInstitutionBranch
	cacInvoiceDocumentReference
	cacInvoiceLine
	cacInvoicePeriod
	cacItem
	cacLegalMonetaryTotal
	cacOrderLineReference
	cacOrderReference
	cacOriginCountry
	cacOriginatorDocumentReference
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
	cacProjectReference
	cacReceiptDocumentReference
	cacSellersItemIdentification
	cacStandardItemIdentification
	cacSubCreditNoteLine
	cacSubInvoiceLine
	cacTaxCategory
	cacTaxRepresentativeParty
	cacTaxScheme
	cacTaxSubtotal
	cacTaxTotal
	atCurrencyID
	atFilename
	atListID
	atMimeCode
	atName
	atSchemeID
	atUnitCode

	numNames
)

// byLocal finds a name by its local part, which no two names share: an
// open-addressing table, cheaper per look-up than a map.
var byLocal = func() (t [localSlots]name) {
	for k, q := range qnames {
		if name(k) == noName {
			continue
		}
		i := hashLocal(q.local)
		for t[i] != noName {
			i = (i + 1) % localSlots
		}
		t[i] = name(k)
	}
	return t
}()

// localSlots is the size of byLocal, a power of two over three times the
// number of names.
const localSlots = 512

// findLocal is the name whose local part is local, or noName.
func findLocal(local string) name {
	for i := hashLocal(local); ; i = (i + 1) % localSlots {
		k := byLocal[i]
		if k == noName || qnames[k].local == local {
			return k
		}
	}
}

// hashLocal mixes the length and the first and last bytes of a local name
// (enough to tell UBL's apart) into an index of byLocal.
func hashLocal(s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(s[0])<<16 ^ uint32(s[n-1])<<8 ^ uint32(s[n/2])
	h *= 0x85EBCA6B
	return int(h >> 23) // 9 bits: below localSlots
}

// qname is an expanded name.
type qname struct{ space, local string }

var qnames = [numNames]qname{
	cbcAccountingCost:               {NSCBC, "AccountingCost"},
	cbcActualDeliveryDate:           {NSCBC, "ActualDeliveryDate"},
	cbcAdditionalStreetName:         {NSCBC, "AdditionalStreetName"},
	cbcAllowanceChargeReason:        {NSCBC, "AllowanceChargeReason"},
	cbcAllowanceChargeReasonCode:    {NSCBC, "AllowanceChargeReasonCode"},
	cbcAllowanceTotalAmount:         {NSCBC, "AllowanceTotalAmount"},
	cbcAmount:                       {NSCBC, "Amount"},
	cbcBaseAmount:                   {NSCBC, "BaseAmount"},
	cbcBaseQuantity:                 {NSCBC, "BaseQuantity"},
	cbcBuyerReference:               {NSCBC, "BuyerReference"},
	cbcChargeIndicator:              {NSCBC, "ChargeIndicator"},
	cbcChargeTotalAmount:            {NSCBC, "ChargeTotalAmount"},
	cbcCityName:                     {NSCBC, "CityName"},
	cbcCompanyID:                    {NSCBC, "CompanyID"},
	cbcCompanyLegalForm:             {NSCBC, "CompanyLegalForm"},
	cbcCountrySubentity:             {NSCBC, "CountrySubentity"},
	cbcCreditNoteTypeCode:           {NSCBC, "CreditNoteTypeCode"},
	cbcCreditedQuantity:             {NSCBC, "CreditedQuantity"},
	cbcCustomizationID:              {NSCBC, "CustomizationID"},
	cbcDescription:                  {NSCBC, "Description"},
	cbcDescriptionCode:              {NSCBC, "DescriptionCode"},
	cbcDocumentCurrencyCode:         {NSCBC, "DocumentCurrencyCode"},
	cbcDocumentDescription:          {NSCBC, "DocumentDescription"},
	cbcDocumentTypeCode:             {NSCBC, "DocumentTypeCode"},
	cbcDueDate:                      {NSCBC, "DueDate"},
	cbcElectronicMail:               {NSCBC, "ElectronicMail"},
	cbcEmbeddedDocumentBinaryObject: {NSCBC, "EmbeddedDocumentBinaryObject"},
	cbcEndDate:                      {NSCBC, "EndDate"},
	cbcEndpointID:                   {NSCBC, "EndpointID"},
	cbcHolderName:                   {NSCBC, "HolderName"},
	cbcID:                           {NSCBC, "ID"},
	cbcIdentificationCode:           {NSCBC, "IdentificationCode"},
	cbcInvoiceTypeCode:              {NSCBC, "InvoiceTypeCode"},
	cbcInvoicedQuantity:             {NSCBC, "InvoicedQuantity"},
	cbcIssueDate:                    {NSCBC, "IssueDate"},
	cbcItemClassificationCode:       {NSCBC, "ItemClassificationCode"},
	cbcLine:                         {NSCBC, "Line"},
	cbcLineExtensionAmount:          {NSCBC, "LineExtensionAmount"},
	cbcLineID:                       {NSCBC, "LineID"},
	cbcMultiplierFactorNumeric:      {NSCBC, "MultiplierFactorNumeric"},
	cbcName:                         {NSCBC, "Name"},
	cbcNote:                         {NSCBC, "Note"},
	cbcPayableAmount:                {NSCBC, "PayableAmount"},
	cbcPayableRoundingAmount:        {NSCBC, "PayableRoundingAmount"},
	cbcPaymentDueDate:               {NSCBC, "PaymentDueDate"},
	cbcPaymentID:                    {NSCBC, "PaymentID"},
	cbcPaymentMeansCode:             {NSCBC, "PaymentMeansCode"},
	cbcPercent:                      {NSCBC, "Percent"},
	cbcPostalZone:                   {NSCBC, "PostalZone"},
	cbcPrepaidAmount:                {NSCBC, "PrepaidAmount"},
	cbcPriceAmount:                  {NSCBC, "PriceAmount"},
	cbcPrimaryAccountNumberID:       {NSCBC, "PrimaryAccountNumberID"},
	cbcProfileID:                    {NSCBC, "ProfileID"},
	cbcRegistrationName:             {NSCBC, "RegistrationName"},
	cbcSalesOrderID:                 {NSCBC, "SalesOrderID"},
	cbcStartDate:                    {NSCBC, "StartDate"},
	cbcStreetName:                   {NSCBC, "StreetName"},
	cbcTaxAmount:                    {NSCBC, "TaxAmount"},
	cbcTaxCurrencyCode:              {NSCBC, "TaxCurrencyCode"},
	cbcTaxExclusiveAmount:           {NSCBC, "TaxExclusiveAmount"},
	cbcTaxExemptionReason:           {NSCBC, "TaxExemptionReason"},
	cbcTaxExemptionReasonCode:       {NSCBC, "TaxExemptionReasonCode"},
	cbcTaxInclusiveAmount:           {NSCBC, "TaxInclusiveAmount"},
	cbcTaxPointDate:                 {NSCBC, "TaxPointDate"},
	cbcTaxableAmount:                {NSCBC, "TaxableAmount"},
	cbcTelephone:                    {NSCBC, "Telephone"},
	cbcURI:                          {NSCBC, "URI"},
	cbcValue:                        {NSCBC, "Value"},
	cacAccountingCustomerParty:      {NSCAC, "AccountingCustomerParty"},
	cacAccountingSupplierParty:      {NSCAC, "AccountingSupplierParty"},
	cacAdditionalDocumentReference:  {NSCAC, "AdditionalDocumentReference"},
	cacAdditionalItemProperty:       {NSCAC, "AdditionalItemProperty"},
	cacAddress:                      {NSCAC, "Address"},
	cacAddressLine:                  {NSCAC, "AddressLine"},
	cacAllowanceCharge:              {NSCAC, "AllowanceCharge"},
	cacAttachment:                   {NSCAC, "Attachment"},
	cacBillingReference:             {NSCAC, "BillingReference"},
	cacBuyersItemIdentification:     {NSCAC, "BuyersItemIdentification"},
	cacCardAccount:                  {NSCAC, "CardAccount"},
	cacClassifiedTaxCategory:        {NSCAC, "ClassifiedTaxCategory"},
	cacCommodityClassification:      {NSCAC, "CommodityClassification"},
	cacContact:                      {NSCAC, "Contact"},
	cacContractDocumentReference:    {NSCAC, "ContractDocumentReference"},
	cacCountry:                      {NSCAC, "Country"},
	cacCreditNoteLine:               {NSCAC, "CreditNoteLine"},
	cacDelivery:                     {NSCAC, "Delivery"},
	cacDeliveryLocation:             {NSCAC, "DeliveryLocation"},
	cacDeliveryParty:                {NSCAC, "DeliveryParty"},
	cacDespatchDocumentReference:    {NSCAC, "DespatchDocumentReference"},
	cacDocumentReference:            {NSCAC, "DocumentReference"},
	cacExternalReference:            {NSCAC, "ExternalReference"},
	cacFinancialInstitutionBranch:   {NSCAC, "FinancialInstitutionBranch"},
	cacInvoiceDocumentReference:     {NSCAC, "InvoiceDocumentReference"},
	cacInvoiceLine:                  {NSCAC, "InvoiceLine"},
	cacInvoicePeriod:                {NSCAC, "InvoicePeriod"},
	cacItem:                         {NSCAC, "Item"},
	cacLegalMonetaryTotal:           {NSCAC, "LegalMonetaryTotal"},
	cacOrderLineReference:           {NSCAC, "OrderLineReference"},
	cacOrderReference:               {NSCAC, "OrderReference"},
	cacOriginCountry:                {NSCAC, "OriginCountry"},
	cacOriginatorDocumentReference:  {NSCAC, "OriginatorDocumentReference"},
	cacParty:                        {NSCAC, "Party"},
	cacPartyIdentification:          {NSCAC, "PartyIdentification"},
	cacPartyLegalEntity:             {NSCAC, "PartyLegalEntity"},
	cacPartyName:                    {NSCAC, "PartyName"},
	cacPartyTaxScheme:               {NSCAC, "PartyTaxScheme"},
	cacPayeeFinancialAccount:        {NSCAC, "PayeeFinancialAccount"},
	cacPayeeParty:                   {NSCAC, "PayeeParty"},
	cacPayerFinancialAccount:        {NSCAC, "PayerFinancialAccount"},
	cacPaymentMandate:               {NSCAC, "PaymentMandate"},
	cacPaymentMeans:                 {NSCAC, "PaymentMeans"},
	cacPaymentTerms:                 {NSCAC, "PaymentTerms"},
	cacPostalAddress:                {NSCAC, "PostalAddress"},
	cacPrice:                        {NSCAC, "Price"},
	cacProjectReference:             {NSCAC, "ProjectReference"},
	cacReceiptDocumentReference:     {NSCAC, "ReceiptDocumentReference"},
	cacSellersItemIdentification:    {NSCAC, "SellersItemIdentification"},
	cacStandardItemIdentification:   {NSCAC, "StandardItemIdentification"},
	cacSubCreditNoteLine:            {NSCAC, "SubCreditNoteLine"},
	cacSubInvoiceLine:               {NSCAC, "SubInvoiceLine"},
	cacTaxCategory:                  {NSCAC, "TaxCategory"},
	cacTaxRepresentativeParty:       {NSCAC, "TaxRepresentativeParty"},
	cacTaxScheme:                    {NSCAC, "TaxScheme"},
	cacTaxSubtotal:                  {NSCAC, "TaxSubtotal"},
	cacTaxTotal:                     {NSCAC, "TaxTotal"},
	atCurrencyID:                    {"", "currencyID"},
	atFilename:                      {"", "filename"},
	atListID:                        {"", "listID"},
	atMimeCode:                      {"", "mimeCode"},
	atName:                          {"", "name"},
	atSchemeID:                      {"", "schemeID"},
	atUnitCode:                      {"", "unitCode"},
}
