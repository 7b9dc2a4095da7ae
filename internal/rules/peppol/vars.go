package peppol

import (
	"strings"
	"sync"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// vars are the official file's global variables for one document:
// worked out once per document and shared by the rules that need them.
type vars struct {
	t              tree
	root           Node
	invoice        bool // the root is a UBL Invoice
	credit         bool // the root is a UBL CreditNote
	profile        string
	profileMissing bool // $profile is the empty sequence
	// $supplierCountry, $customerCountry, $accountingSupplierCountry
	supplierCountry, customerCountry, accountingSupplierCountry string
	// the postal country codes as written, and normalized upper case
	supplierAddr, customerAddr, taxRepAddr string
	supplierAddrs                          []string // every supplier postal country code
	supplierDE, customerDE                 bool
	supplierNL, customerNL, taxRepNL       bool
	docCurrency                            []string    // /*/cbc:DocumentCurrencyCode
	idNodes                                [][]Node    // by position of the release's identifier rules
	idDone                                 bool        // idNodes is worked out
	lineNodes, acs, both                   []Node      // worked out on first use
	swedish                                int8        // 0 unknown, 1 a seller has postal country SE, 2 none has
	ix                                     index       // t.ix
	exempt                                 []exemption // see exemptions
	exemptDone                             bool
}

// exemption is a cac:TaxCategory with one exemption reason code, upper
// case (P0104-P0111).
type exemption struct {
	n    Node
	code string
}

// exemptions are the tax categories of P0104-P0111, found once for the
// eight rules: those with exactly one cbc:TaxExemptionReasonCode
// (upper-case() of more than one is an error, which makes the official
// context select nothing), in document order.
func (v *vars) exemptions() []exemption {
	if !v.exemptDone {
		v.exemptDone = true
		for _, n := range v.t.d.Elements(v.t.id(cacTaxCategory)) {
			if codes := v.t.kids(n, cbcTaxExemptionReasonCode); len(codes) == 1 {
				v.exempt = append(v.exempt, exemption{n, strings.ToUpper(v.t.text(codes[0]))})
			}
		}
	}
	return v.exempt
}

// varsPool keeps the vars of finished checks, with their buffers, for
// the next documents.
var varsPool = sync.Pool{New: func() any { return new(vars) }}

// pooledMax is the most nodes a buffer of vars may hold to be pooled: the
// buffers of a very large document are not kept after it.
const pooledMax = 1 << 14

// newVars readies pooled vars for document d.
func newVars(d *xmltree.Document) *vars {
	v := varsPool.Get().(*vars)
	ix, ids, exempt := v.ix, v.idNodes, v.exempt[:0]
	for i := range ids {
		ids[i] = ids[i][:0]
	}
	*v = vars{ix: index{empty: ix.empty, slab: ix.slab, strs: ix.strs, rkStart: ix.rkStart, rkAll: ix.rkAll}, idNodes: ids, exempt: exempt}
	v.ix.init(d)
	v.t = tree{d: d, ix: &v.ix}
	return v
}

// Release gives the document's index back for another document, when the
// check is over (rule.Context.Close).
func (v *vars) Release() {
	if v.t.ix == nil {
		return
	}
	v.t.ix, v.ix.d = nil, nil
	x := &v.ix
	if max(cap(x.slab), cap(x.strs), cap(x.empty), cap(x.rkAll), cap(x.rkStart), cap(v.exempt)) <= pooledMax {
		varsPool.Put(v)
	}
}

// lineName is the line element of the document.
func (v *vars) lineName() step {
	if v.credit {
		return cacCreditNoteLine
	}
	return cacInvoiceLine
}

// lines are the document's lines (ubl-invoice:Invoice/cac:InvoiceLine or
// ubl-creditnote:CreditNote/cac:CreditNoteLine).
func (v *vars) lines() []Node {
	if !v.invoice && !v.credit {
		return nil
	}
	if v.lineNodes == nil {
		v.lineNodes = v.t.kids(v.root, v.lineName())
		if v.lineNodes == nil {
			v.lineNodes = []Node{}
		}
	}
	return v.lineNodes
}

func compute(d *xmltree.Document, rel *release) *vars {
	v := newVars(d)
	t := v.t
	v.root = d.Root()
	if v.root == none {
		v.root = none
		v.profile = "Unknown"
		return v
	}
	name := d.Name(v.root)
	v.invoice = name == xmltree.Name{Space: invoice.NSInvoice, Local: "Invoice"}
	v.credit = name == xmltree.Name{Space: invoice.NSCreditNote, Local: "CreditNote"}
	root := v.root

	profile := t.kid(root, cbcProfileID)
	if rel.v2026 {
		switch norm(t.text(profile)) {
		case "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
			"urn:peppol:france:billing:regulated",
			"urn:peppol:france:billing:non-regulated":
			v.profile = "01"
		case "urn:peppol:bis:billing_with_response":
			v.profile = "02"
		default:
			v.profile = "Unknown"
		}
	} else {
		p := norm(t.text(profile))
		if profile != none && profileRE.MatchString(p) {
			v.profile, v.profileMissing = item(tokenize(p, ":"), 7)
			v.profileMissing = !v.profileMissing
		} else {
			v.profile = "Unknown"
		}
	}

	supVAT := vatPrefix(t, t.all(root, cacAccountingSupplierParty, cacParty, cacPartyTaxScheme))
	repVAT := vatPrefix(t, t.all(root, cacTaxRepresentativeParty, cacPartyTaxScheme))
	custVAT := vatPrefix(t, t.all(root, cacAccountingCustomerParty, cacParty, cacPartyTaxScheme))
	supAddr := t.texts(root, cacAccountingSupplierParty, cacParty, cacPostalAddress, cacCountry, cbcIdentificationCode)
	custAddr := t.texts(root, cacAccountingCustomerParty, cacParty, cacPostalAddress, cacCountry, cbcIdentificationCode)
	repAddr := t.texts(root, cacTaxRepresentativeParty, cacPostalAddress, cacCountry, cbcIdentificationCode)
	one := func(seq []string) string {
		switch len(seq) {
		case 0:
			return ""
		case 1:
			return seq[0]
		}
		return errValue
	}
	v.supplierAddr, v.customerAddr, v.taxRepAddr = one(supAddr), one(custAddr), one(repAddr)
	v.supplierAddrs = supAddr

	// country is the official if/else chain; a sequence of more than one
	// value where one is wanted is an error in XPath, which makes the
	// rules whose context reads the variable select nothing.
	country := func(vat, rep []string, addr []string) string {
		switch {
		case len(vat) > 1:
			return errValue
		case len(vat) == 1 && vat[0] != "":
			return strings.ToUpper(norm(vat[0]))
		case len(rep) > 1:
			return errValue
		case len(rep) == 1 && rep[0] != "":
			return strings.ToUpper(norm(rep[0]))
		case len(addr) > 1:
			return errValue
		case len(addr) == 1:
			return strings.ToUpper(norm(addr[0]))
		}
		return "XX"
	}
	v.supplierCountry = country(supVAT, repVAT, supAddr)
	v.accountingSupplierCountry = country(supVAT, nil, supAddr)
	v.customerCountry = country(custVAT, nil, custAddr)
	up := func(s string) string {
		if s == errValue {
			return s
		}
		return strings.ToUpper(norm(s))
	}
	v.supplierDE, v.customerDE = up(v.supplierAddr) == "DE", up(v.customerAddr) == "DE"
	v.supplierNL, v.customerNL, v.taxRepNL = up(v.supplierAddr) == "NL", up(v.customerAddr) == "NL", up(v.taxRepAddr) == "NL"
	v.docCurrency = t.texts(root, cbcDocumentCurrencyCode)
	return v
}

// errValue stands for a variable whose evaluation is an XPath error: it
// equals no country code.
const errValue = "\x00error"

// vatPrefix is PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2):
// one string per VAT scheme.
func vatPrefix(t tree, schemes []Node) []string {
	out := t.ix.strs[len(t.ix.strs):len(t.ix.strs)]
	for _, s := range schemes {
		if t.anyIs(s, "VAT", cacTaxScheme, cbcID) {
			if len(t.kids(s, cbcCompanyID)) > 1 {
				// substring() of two values: the variable is an error
				return []string{errValue, errValue}
			}
			out = append(out, substr(t.val(s, cbcCompanyID), 1, 2))
		}
	}
	// the strings stay in the index's string slab when they fitted
	if len(out) > 0 && cap(t.ix.strs)-len(t.ix.strs) >= len(out) && &out[0] == &t.ix.strs[:len(t.ix.strs)+1][len(t.ix.strs)] {
		t.ix.strs = t.ix.strs[:len(t.ix.strs)+len(out)]
	}
	return out[:len(out):len(out)]
}
