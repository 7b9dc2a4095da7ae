package peppol

import (
	"regexp"

	"github.com/ehf-project/ehf/internal/rule"
)

var itTaxIDRE = regexp.MustCompile(`^[A-Z0-9]{11,16}$`)

// italy are the IT-R rules: for suppliers whose country ($supplierCountry)
// is IT.
func italy(r *release) []rule.Rule {
	isIT := func(v *vars) bool { return v.supplierCountry == "IT" }
	address := func(step step) func(v *vars, p Node) bool {
		return func(v *vars, p Node) bool { return v.t.has(p, cacPostalAddress, step) }
	}
	return []rule.Rule{
		fatal("IT-R-001",
			"An Italian seller's tax registration identifier (BT-32) must be 11 to 16 capital letters or digits.",
			"Skatteregistreringsnummeret (BT-32) til en italiensk selger må være 11 til 16 store bokstaver eller sifre.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !isIT(v) {
					return
				}
				v.t.each(func(p Node) {
					if !v.t.parentIs(p, cacAccountingSupplierParty) {
						return
					}
					for _, s := range v.t.kids(p, cacPartyTaxScheme) {
						if ids := v.t.texts(s, cacTaxScheme, cbcID); len(ids) > 1 || norm(v.t.val(s, cacTaxScheme, cbcID)) == "VAT" {
							continue
						}
						if !itTaxIDRE.MatchString(norm(v.t.val(s, cbcCompanyID))) {
							c.Fail(ru, s)
						}
					}
				}, cacParty)
			}),
		fatal("IT-R-002",
			"An Italian seller must give the first address line (cbc:StreetName).",
			"En italiensk selger må oppgi første adresselinje (cbc:StreetName).",
			r.onParty(cacAccountingSupplierParty, isIT, address(cbcStreetName))),
		fatal("IT-R-003",
			"An Italian seller must give the city (cbc:CityName).",
			"En italiensk selger må oppgi poststed (cbc:CityName).",
			r.onParty(cacAccountingSupplierParty, isIT, address(cbcCityName))),
		fatal("IT-R-004",
			"An Italian seller must give the post code (cbc:PostalZone).",
			"En italiensk selger må oppgi postnummer (cbc:PostalZone).",
			r.onParty(cacAccountingSupplierParty, isIT, address(cbcPostalZone))),
	}
}
