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
	"fmt"
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
	ctx    *ctxT                    // the nodes the rule's context matches
	ok     func(e *ev, n node) bool // the assert's test; false fires
}

// ctxT is a rule context: the nodes it matches in a document. Rules that
// share a context share one ctxT, and are checked together (see plan).
type ctxT struct {
	find func(e *ev) []node
}

const (
	fatal   = report.Fatal
	warning = report.Warning
)

// Rules lists the pack's rules for release ("3.0.19" or "2026.5"; any
// other value gets the newest).
//
// The first rule checks the whole pack (the others have a nil Check): the
// rules are grouped by context, each context is found once per document,
// and the rules of a group are checked node by node while the node is at
// hand. A context that matches nothing costs its group one test.
func Rules(release string) []rule.Rule {
	if release != R3019 { // any other release gets the newest
		release = R20265
	}
	return build(defs(release), crRows(release))
}

// build makes the rules of ds, the first of which checks them all; rows
// are the UBL-CR table rules among them.
func build(ds []def, rows map[string]int) []rule.Rule {
	out := make([]rule.Rule, 0, len(ds))
	pl := &plan{}
	at := map[*ctxT]int{}
	for _, d := range ds {
		r := rule.Rule{ID: d.id, Flag: d.flag, En: d.en, Nb: d.nb}
		out = append(out, r)
		if row, ok := rows[d.id]; ok {
			// The table rules only read their answer from the table walk
			// (crFound).
			pl.cr.rules = append(pl.cr.rules, r)
			pl.cr.rows = append(pl.cr.rows, row)
			continue
		}
		g, ok := at[d.ctx]
		if !ok {
			g = len(pl.groups)
			at[d.ctx] = g
			pl.groups = append(pl.groups, group{ctx: d.ctx})
		}
		pl.groups[g].defs = append(pl.groups[g].defs, len(pl.defs))
		pl.groups[g].oks = append(pl.groups[g].oks, d.ok)
		pl.defs = append(pl.defs, d)
		pl.rules = append(pl.rules, r)
		pl.wants = append(pl.wants, wants[d.id])
	}
	if len(out) > 0 {
		out[0].Check = pl.check
	}
	return out
}

// plan is how the pack checks a document.
type plan struct {
	groups []group
	defs   []def
	rules  []rule.Rule                  // by def: what findings name
	wants  []func(e *ev, n node) string // by def: see wants; nil for most
	cr     crGroup
}

// group is the rules of one context, by index in plan.defs.
type group struct {
	ctx  *ctxT
	defs []int
	oks  []func(e *ev, n node) bool // by position in defs: their tests, side by side for the loop
}

// crGroup is the UBL-CR table rules: they are two thirds of the pack, and
// each only reads its answer from the table walk (crFound).
type crGroup struct {
	rules []rule.Rule // the table rules, in order
	rows  []int       // each one's row of crTable
}

func (pl *plan) check(c *rule.Context, _ *rule.Rule) {
	if c.Doc == nil {
		return
	}
	e := makeEv(c.Doc)
	defer e.Release()
	if e.root == none {
		return
	}
	var st runState
	for st.g < len(pl.groups) {
		pl.run(c, e, &st)
	}
	if e.crAny {
		for i, row := range pl.cr.rows {
			if e.cr[row] {
				c.Fail(&pl.cr.rules[i], e.root)
			}
		}
	}
}

// runState is where a check is: group g, node j of its context, def k of
// the group; dead are the rules that failed inside ehf on this document.
type runState struct {
	g, j, k int
	nodes   []node
	found   bool // nodes is group g's context
	dead    map[int]bool
}

// run checks from st on, until a rule fails inside ehf: that rule is
// reported (as rule.Run would report it), takes no further part in this
// document, and run returns so that the check goes on after it.
func (pl *plan) run(c *rule.Context, e *ev, st *runState) {
	defer func() {
		if p := recover(); p != nil {
			gr := &pl.groups[st.g]
			if !st.found {
				// The context itself: every rule of it would have
				// failed, each on its own.
				for _, di := range gr.defs {
					internal(c, pl.rules[di].ID, p)
				}
				st.g, st.j, st.k = st.g+1, 0, 0
				return
			}
			di := gr.defs[st.k]
			internal(c, pl.rules[di].ID, p)
			if st.dead == nil {
				st.dead = map[int]bool{}
			}
			st.dead[di] = true
			st.k++
		}
	}()
	for ; st.g < len(pl.groups); st.g, st.j, st.k, st.found = st.g+1, 0, 0, false {
		gr := &pl.groups[st.g]
		if !st.found {
			st.nodes = gr.ctx.find(e)
			st.found = true
		}
		oks := gr.oks
		for ; st.j < len(st.nodes); st.j, st.k = st.j+1, 0 {
			n := st.nodes[st.j]
			for ; st.k < len(oks); st.k++ {
				if st.dead != nil && st.dead[gr.defs[st.k]] {
					continue
				}
				if !oks[st.k](e, n) {
					pl.fail(c, e, gr.defs[st.k], n)
				}
			}
		}
	}
}

// fail reports rule di at n, saying the value it should have had where
// the rule can tell.
func (pl *plan) fail(c *rule.Context, e *ev, di int, n node) {
	r := &pl.rules[di]
	if want := pl.wants[di]; want != nil {
		if v := want(e, n); v != "" {
			r2 := *r
			r2.En += " It should be " + v + "."
			r2.Nb += " Det skal være " + v + "."
			c.Fail(&r2, n)
			return
		}
	}
	c.Fail(r, n)
}

// internal reports that rule id failed inside ehf, as rule.Run reports a
// rule that does.
func internal(c *rule.Context, id string, p any) {
	c.Fail(&rule.Rule{ID: rule.RuleInternal, Flag: report.Fatal,
		En: fmt.Sprintf("ehf could not check rule %s on this document (%v); please report this with the document", id, p),
		Nb: fmt.Sprintf("ehf klarte ikke å kontrollere regel %s for dette dokumentet (%v); meld gjerne fra og legg ved dokumentet", id, p),
	}, none)
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

var atRoot = &ctxT{find: func(e *ev) []node { return e.rootSet }}

// contexts are the contexts made so far by key, so that rules asking for
// the same context (under the same patterns, say) share it.
var contexts struct {
	sync.Mutex
	m map[string]*ctxT
}

// keyed is the context named key, made by mk the first time.
func keyed(key string, mk func(id int32) func(e *ev) []node) *ctxT {
	contexts.Lock()
	defer contexts.Unlock()
	if c, ok := contexts.m[key]; ok {
		return c
	}
	if contexts.m == nil {
		contexts.m = map[string]*ctxT{}
	}
	c := &ctxT{find: mk(underID(key))}
	contexts.m[key] = c
	return c
}

// under matches any of the relative patterns, in document order. Many
// rules share a context: each context is found once per check, and the
// rules read the same (shared, unchangeable) slice.
func under(ps ...string) *ctxT {
	cps := make([]path, len(ps))
	for i, s := range ps {
		cps[i] = p(s)
	}
	return keyed(strings.Join(ps, "|"), func(id int32) func(e *ev) []node {
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
	})
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
func shared(key string, find func(e *ev) []node) *ctxT {
	return keyed("func:"+key, func(id int32) func(e *ev) []node {
		return func(e *ev) []node {
			if int(id) < len(e.unders) && e.underOK[id] {
				return e.unders[id]
			}
			out := find(e)
			e.keep(id, out)
			return out
		}
	})
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
func fromRoot(s string) *ctxT {
	cp := p(s)
	return &ctxT{find: func(e *ev) []node { return e.all(e.root, cp) }}
}

// ctxFunc is a context of its own.
func ctxFunc(find func(e *ev) []node) *ctxT { return &ctxT{find: find} }

// where keeps the context nodes for which keep holds. keep must not find
// a context itself: the nodes it keeps go straight to the arena.
func where(ctx *ctxT, keep func(e *ev, n node) bool) *ctxT {
	return &ctxT{find: func(e *ev) []node {
		nodes := ctx.find(e)
		start := len(e.arena)
		for _, n := range nodes {
			if keep(e, n) {
				e.arena = append(e.arena, n)
			}
		}
		return e.arena[start:len(e.arena):len(e.arena)]
	}}
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
