// Package cen is the native pack of the CEN EN 16931 rules for UBL
// invoices and credit notes (the rules of CEN-EN16931-UBL.sch as each
// Peppol release carries them): BR-*, BR-CO-*, the VAT category rules,
// BR-DEC-*, BR-CL-*, UBL-CR-*, UBL-SR-* and UBL-DT-*.
//
// Each rule has the official ID and flag, our own message in English and
// bokmål, and reports the node the official rule's context would be. The
// checks follow the official tests to the letter, including their
// arithmetic (xs:decimal sums, XPath round half towards positive infinity,
// the ±1 tolerances) and their quirks, since agreeing with the official
// validation is the point; where a test needs a value that cannot be read
// (not a number, not a date), the rule does not fire: the model reader has
// already reported that value.
package cen

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
)

// Releases the pack knows; the CEN file of the 2026.5 release is the CEN
// validation artefacts 1.3.16, that of 3.0.19 is 1.3.14.1.
const (
	R3019  = "3.0.19"
	R20265 = "2026.5"
)

// def is one official assert.
type def struct {
	id     string
	flag   report.Flag
	en, nb string
	ctx    func(e *ev) []node       // the nodes the rule's context matches
	ok     func(e *ev, n node) bool // the assert's test; false fires
}

const (
	fatal   = report.Fatal
	warning = report.Warning
)

// Rules lists the pack's rules for release ("3.0.19" or "2026.5"; any
// other value gets the newest).
func Rules(release string) []rule.Rule {
	if release != R3019 { // any other release gets the newest
		release = R20265
	}
	ds := defs(release)
	out := make([]rule.Rule, 0, len(ds))
	var cr crGroup
	rows := crRows(release)
	for _, d := range ds {
		if row, ok := rows[d.id]; ok {
			// The table rules are checked together by the first of them.
			r := rule.Rule{ID: d.id, Flag: d.flag, En: d.en, Nb: d.nb}
			if len(cr.rules) == 0 {
				r.Check = cr.check
			}
			cr.rules = append(cr.rules, r)
			cr.rows = append(cr.rows, row)
			out = append(out, r)
			continue
		}
		out = append(out, rule.Rule{ID: d.id, Flag: d.flag, En: d.en, Nb: d.nb, Check: func(c *rule.Context, r *rule.Rule) {
			e := newEv(c)
			if e.root == none {
				return
			}
			for _, n := range d.ctx(e) {
				if d.ok(e, n) {
					continue
				}
				if want := wants[d.id]; want != nil {
					if v := want(e, n); v != "" {
						r2 := *r
						r2.En += " It should be " + v + "."
						r2.Nb += " Det skal være " + v + "."
						c.Fail(&r2, n)
						continue
					}
				}
				c.Fail(r, n)
			}
		}})
	}
	return out
}

// crGroup checks the UBL-CR table rules in one go: they are two thirds of
// the pack, and each only reads its answer from the table walk (crFound).
type crGroup struct {
	rules []rule.Rule // the table rules, in order
	rows  []int       // each one's row of crTable
}

func (g *crGroup) check(c *rule.Context, _ *rule.Rule) {
	e := newEv(c)
	if e.root == none {
		return
	}
	for i, row := range g.rows {
		if e.cr[row] {
			c.Fail(&g.rules[i], e.root)
		}
	}
}

func defs(rel string) []def {
	var ds []def
	ds = append(ds, modelRules(rel)...)
	ds = append(ds, vatRules(rel)...)
	ds = append(ds, syntaxRules(rel)...)
	ds = append(ds, codeRules(rel)...)
	ds = append(ds, crRules(rel)...)
	return ds
}

// Contexts.

func atRoot(e *ev) []node { return e.rootSet }

// under matches any of the relative patterns, in document order. Many
// rules share a context: each context is found once per check, and the
// rules read the same (shared, unchangeable) slice.
func under(ps ...string) func(e *ev) []node {
	cps := make([]path, len(ps))
	for i, s := range ps {
		cps[i] = p(s)
	}
	id := underID(strings.Join(ps, "|"))
	return func(e *ev) []node {
		if int(id) < len(e.unders) && e.underOK[id] {
			return e.unders[id]
		}
		out := e.gather(func(out []node) []node {
			for _, cp := range cps {
				out = e.appendUnder(out, cp)
			}
			return out
		})
		if len(cps) > 1 {
			slices.Sort(out)
		}
		e.keep(id, out)
		return e.unders[id]
	}
}

// underCount is how many contexts underIDs has numbered.
var underCount atomic.Int32

// underIDs number the distinct contexts of under.
var underIDs struct {
	sync.Mutex
	ids map[string]int32
}

func underID(key string) int32 {
	underIDs.Lock()
	defer underIDs.Unlock()
	if underIDs.ids == nil {
		underIDs.ids = map[string]int32{}
	}
	id, ok := underIDs.ids[key]
	if !ok {
		id = int32(len(underIDs.ids))
		underIDs.ids[key] = id
		underCount.Store(int32(len(underIDs.ids)))
	}
	return id
}

// shared is a context that many rules use, found once per check; key
// names it.
func shared(key string, find func(e *ev) []node) func(e *ev) []node {
	id := underID("func:" + key)
	return func(e *ev) []node {
		if int(id) < len(e.unders) && e.underOK[id] {
			return e.unders[id]
		}
		out := find(e)
		e.keep(id, out)
		return out
	}
}

// keep remembers the node set of context id for the rest of the check.
func (e *ev) keep(id int32, out []node) {
	if int(id) >= len(e.unders) {
		n := max(int(id)+1, int(underCount.Load()))
		e.unders = append(e.unders, make([][]node, n-len(e.unders))...)
		e.underOK = append(e.underOK, make([]bool, n-len(e.underOK))...)
	}
	e.unders[id], e.underOK[id] = out[:len(out):len(out)], true
}

// fromRoot is the node set of a path from the document element.
func fromRoot(s string) func(e *ev) []node {
	cp := p(s)
	return func(e *ev) []node { return e.all(e.root, cp) }
}

// where keeps the context nodes for which keep holds.
func where(ctx func(e *ev) []node, keep func(e *ev, n node) bool) func(e *ev) []node {
	return func(e *ev) []node {
		var out []node
		for _, n := range ctx(e) {
			if keep(e, n) {
				out = append(out, n)
			}
		}
		return out
	}
}

// Tests.

func exists(s string) func(e *ev, n node) bool {
	cp := p(s)
	return func(e *ev, n node) bool { return e.has(n, cp) }
}

func notEmpty(s string) func(e *ev, n node) bool {
	cp := p(s)
	return func(e *ev, n node) bool { return e.val(n, cp) != "" }
}

func atMost(s string, max int) func(e *ev, n node) bool {
	cp := p(s)
	return func(e *ev, n node) bool { return e.count(n, cp) <= max }
}

// decimals is string-length(substring-after(p, '.')) <= 2 (the first
// node's string value; an absent node passes).
func decimals(s string) func(e *ev, n node) bool {
	cp := p(s)
	return func(e *ev, n node) bool { return fracDigits(e.str(e.one(n, cp))) <= 2 }
}

func always(*ev, node) bool { return true }
