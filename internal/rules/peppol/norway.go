package peppol

import (
	"regexp"

	"github.com/ehf-project/ehf/internal/rule"
)

// onSupplier runs test on /*/cac:AccountingSupplierParty/cac:Party when
// gate holds for the document.
func (r *release) onParty(role step, gate func(v *vars) bool, test func(v *vars, p Node) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		if !gate(v) {
			return
		}
		v.t.each(func(n Node) {
			if v.t.parentIs(n, role) && !test(v, n) {
				c.Fail(ru, n)
			}
		}, cacParty)
	}
}

// taxSchemes are p's cac:PartyTaxScheme elements whose normalized
// cac:TaxScheme/cbc:ID is scheme. A scheme with more than one ID is left
// out: normalize-space() of two values is an error, and an error in a
// context's predicate selects nothing.
func taxSchemes(t tree, p Node, scheme string) []Node {
	var out []Node
	for _, s := range t.kids(p, cacPartyTaxScheme) {
		if ids := t.texts(s, cacTaxScheme, cbcID); len(ids) <= 1 && norm(t.val(s, cacTaxScheme, cbcID)) == scheme {
			out = append(out, s)
		}
	}
	return out
}

var noVATRE = regexp.MustCompile(`^[0-9]{9}MVA$`)

// norway are the NO-R rules: for suppliers whose country ($supplierCountry)
// is NO.
func norway(r *release) []rule.Rule {
	isNO := func(v *vars) bool { return v.supplierCountry == "NO" }
	return []rule.Rule{
		warning("NO-R-002",
			"A Norwegian seller that is a limited company (AS, ASA) or a branch of a foreign company must state \"Foretaksregisteret\": add cac:PartyTaxScheme with cbc:CompanyID Foretaksregisteret and tax scheme TAX.",
			"En norsk selger som er aksjeselskap, allmennaksjeselskap eller filial av utenlandsk selskap skal oppgi «Foretaksregisteret» (foretaksregisterloven § 10-2): legg til cac:PartyTaxScheme med cbc:CompanyID Foretaksregisteret og skatteskjema TAX.",
			r.onParty(cacAccountingSupplierParty, isNO, func(v *vars, p Node) bool {
				var s string
				if ts := taxSchemes(v.t, p, "TAX"); len(ts) > 0 {
					s = v.t.val(ts[0], cbcCompanyID)
				}
				return norm(s) == "Foretaksregisteret"
			})),
		fatal("NO-R-001",
			"A Norwegian seller's VAT number must be NO, the nine-digit organisation number (with a valid check digit) and MVA, such as NO123456785MVA.",
			"Norsk selgers MVA-nummer må være NO, det nisifrede organisasjonsnummeret (med gyldig kontrollsiffer) og MVA, for eksempel NO123456785MVA.",
			r.onParty(cacAccountingSupplierParty, isNO, func(v *vars, p Node) bool {
				vat := taxSchemes(v.t, p, "VAT")
				isNOPrefix := false
				for _, s := range vat {
					if substr(v.t.val(s, cbcCompanyID), 1, 2) == "NO" {
						isNOPrefix = true
					}
				}
				if !isNOPrefix {
					return true
				}
				id := v.t.val(vat[0], cbcCompanyID)
				return noVATRE.MatchString(substr(id, 3, -1)) && mod11OK(substr(id, 3, 9))
			})),
	}
}
