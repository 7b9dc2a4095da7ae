// Package peppol is the native pack of the Peppol BIS Billing 3.0 rules
// (PEPPOL-EN16931-UBL.sch): the PEPPOL-EN16931-R/P/F/CL rules, the
// PEPPOL-COMMON identifier checks and the national rules that file
// carries (NO, DK, SE, NL, IT, DE, GR, IS), written in Go with the
// official IDs, flags and contexts and with our own messages.
//
// The official file is Schematron: a rule's context selects nodes, and
// within one pattern a node is checked by the first rule whose context
// selects it only. The checks here keep that: where two official rules of
// one pattern can select the same node, the later one skips it.
package peppol

import (
	"regexp"

	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/rule"
)

// Releases this pack knows.
const (
	Release3019  = "3.0.19"
	Release20265 = "2026.5"
)

// release holds what differs between the official releases.
type release struct {
	name  string
	v2026 bool
	key   rule.Key            // its variables in rule.Context.Memo
	lists []*codelist.Version // by list ID: the list as this release has it
}

// Rules returns the pack's rules for a release ("3.0.19" or "2026.5"),
// or nil for a release it does not know. Each call builds a fresh slice;
// the rules are safe for concurrent use.
func Rules(rel string) []rule.Rule {
	_, out := build(rel)
	return out
}

// build makes the rules of a release, and gives the release they share.
func build(rel string) (*release, []rule.Rule) {
	r := &release{name: rel}
	switch rel {
	case Release3019:
	case Release20265:
		r.v2026 = true
	default:
		return nil, nil
	}
	for id := codelist.ID(0); codelist.Get(id) != nil; id++ {
		r.lists = append(r.lists, codelist.Get(id).Version(rel))
	}
	var out []rule.Rule
	var inner []group
	for _, g := range groups {
		rs := g.rules(r)
		out = append(out, rs...)
		inner = append(inner, group{gate: g.gate, rules: rs})
	}
	// The checks run as one: the first rule's check works out the
	// document's variables once and runs each group whose gate holds
	// (rule.Run still reports a panicking rule by its own ID and goes
	// on); the others are checked by it. A national group's gate is what
	// every rule of the group asks of the document first, so a document
	// from elsewhere skips the group with one test.
	for i := range out {
		out[i].Check = nil
	}
	if len(out) > 0 {
		out[0].Check = func(c *rule.Context, _ *rule.Rule) {
			if c.Doc == nil || c.Doc.Root() == none {
				return
			}
			v := r.vars(c)
			for _, g := range inner {
				if g.gate == nil || g.gate(v) {
					rule.Run(c, g.rules)
				}
			}
		}
	}
	return r, out
}

// group is rules that run together, when gate (if any) holds.
type group struct {
	gate  func(v *vars) bool
	rules []rule.Rule
}

// groups are the pack's rules in the official order, with the gate of
// the national ones: what each rule of the group tests first.
var groups = []struct {
	rules func(*release) []rule.Rule
	gate  func(v *vars) bool
}{
	{core, nil}, {lineRules, nil}, {identifiers, nil}, {codeRules, nil},
	{norway, func(v *vars) bool { return v.supplierCountry == "NO" }},
	{denmark, func(v *vars) bool { return v.supplierAddr == "DK" }},
	{italy, func(v *vars) bool { return v.supplierCountry == "IT" }},
	{sweden, swedish},
	{greece, func(v *vars) bool { return v.supplierCountry == "GR" || v.supplierCountry == "EL" }},
	{iceland, func(v *vars) bool { return v.supplierAddr == "IS" }},
	{netherlands, func(v *vars) bool { return v.supplierNL }},
	{germany, func(v *vars) bool { return (v.invoice || v.credit) && v.supplierDE && v.customerDE }},
}

// vars are the document's global variables.
// They are computed once per document and kept in its Context.
func (r *release) vars(c *rule.Context) *vars {
	return c.Memo(&r.key, func() any { return compute(c.Doc, r) }).(*vars)
}

var profileRE = regexp.MustCompile(`urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0`)
