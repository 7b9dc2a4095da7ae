package schematron

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/ehf-project/ehf/internal/xpath"
)

// RuleSet is the name given to Compile.
func (p *Program) RuleSet() string { return p.ruleSet }

// Rules lists every assert and report of the active patterns, in order.
func (p *Program) Rules() []Rule { return append([]Rule(nil), p.info...) }

// run is one validation.
type run struct {
	p     *Program
	x     *xpath.Context
	d     *xmltree.Document
	cands [][]cand         // by NameID
	seen  []bool           // by NameID: cands and ruledOut are known
	pids  []xmltree.NameID // Program.pnames in this document; -2 until looked up
	// ruledOut holds, by NameID, the guard bits of the rules that the
	// name rules out (see byNameGuards).
	ruledOut []uint64
	// alive holds, by rule seq, whether a rule with document guards may
	// match in this document: 0 not yet known, 1 yes, 2 no.
	alive []uint8
	out   []report.Finding
}

// Validate applies the program to a document. It walks the tree once: at
// each element, the rules whose context can match its name are tried,
// pattern by pattern, and the first that matches fires, as in the ISO
// skeleton. A rule test that cannot be evaluated gives a fatal finding
// with the rule's ID, and every other rule still runs.
func (p *Program) Validate(d *xmltree.Document) []report.Finding {
	// A run and its context are reused from document to document, with
	// their per-name tables.
	r, _ := p.pool.Get().(*run)
	if r == nil {
		r = &run{p: p, x: p.c.NewContext(d)}
	} else {
		r.x.Reset(d)
	}
	r.reset(d)
	r.visitDoc()
	n := xmltree.NodeID(d.Len())
	for i := xmltree.NodeID(1); i < n; i++ {
		if d.Kind(i) != xmltree.ElementNode {
			continue
		}
		if c := r.candidates(d.NameID(i), i); len(c) > 0 {
			r.visit(i, c)
		}
	}
	out := r.out
	r.x.Reset(nil)
	r.reset(nil)
	p.pool.Put(r)
	return out
}

// reset prepares the run for document d (nil: for the pool), keeping its
// tables' memory.
func (r *run) reset(d *xmltree.Document) {
	r.d = d
	r.out = nil
	names := 0
	if d != nil {
		names = d.NameCount()
	}
	r.cands = slices.Grow(r.cands[:0], names)[:names]
	clear(r.cands)
	r.ruledOut = slices.Grow(r.ruledOut[:0], names)[:names]
	clear(r.ruledOut)
	r.seen = slices.Grow(r.seen[:0], names)[:names]
	clear(r.seen)
	if d != nil {
		// The names that rules name, found by keys hashed once.
		for i := range r.p.targets {
			t := &r.p.targets[i]
			if id := d.LookupKey(t.key); id >= 0 {
				r.cands[id] = t.cands
			}
		}
	}
	r.pids = r.pids[:0]
	r.alive = r.alive[:0]
}

// candidates are the rules that may match an element with this name, in
// program order; n is the first element with the name.
func (r *run) candidates(id xmltree.NameID, n xmltree.NodeID) []cand {
	if int(id) < len(r.seen) && r.seen[id] {
		return r.cands[id]
	}
	for int(id) >= len(r.cands) {
		r.cands = append(r.cands, nil)
		r.ruledOut = append(r.ruledOut, 0)
	}
	for int(id) >= len(r.seen) {
		r.seen = append(r.seen, false)
	}
	r.seen[id] = true
	l := r.cands[id]
	if l == nil {
		// Only rules for any element (reset fills in the names that
		// rules name).
		l = r.p.anyElem
		if l == nil {
			l = []cand{}
		}
		r.cands[id] = l
	}
	r.ruledOut[id] = r.byNameGuards(l, n)
	return l
}

// byNameGuards returns the bits (cand.guard) of the rules whose context
// rules out elements with n's name ("//*[ends-with(name(),
// 'BinaryObject')]" on every other element).
//
// The static guards' bits are the same for a name (and prefix, which
// name() shows) in every document, and are kept in the program, up to
// maxGuardNames names.
func (r *run) byNameGuards(l []cand, n xmltree.NodeID) uint64 {
	id := r.d.NameID(n)
	name := r.d.NameOf(id)
	key := guardKey{space: name.Space, local: name.Local, prefix: r.d.Prefix(id)}
	var static, out uint64
	v, cached := r.p.guardBits.Load(key)
	if cached {
		static = v.(uint64)
	}
	for i := range l {
		g := l[i].guard
		if g < 0 || cached && l[i].static {
			continue
		}
		if !r.x.MayMatchName(l[i].r.context, n) {
			if l[i].static {
				static |= 1 << g
			} else {
				out |= 1 << g
			}
		}
	}
	if !cached && r.p.nguard.Load() < maxGuardNames {
		r.p.nguard.Add(1)
		// The document's strings may alias its input: keep copies.
		key = guardKey{space: strings.Clone(key.space), local: strings.Clone(key.local), prefix: strings.Clone(key.prefix)}
		r.p.guardBits.Store(key, static)
	}
	return out | static
}

// guardKey is an element name as name guards see it.
type guardKey struct{ space, local, prefix string }

// maxGuardNames bounds the names whose guard bits a program keeps, so
// that strangers' documents cannot make it grow without end.
const maxGuardNames = 4096

// pid is the NameID of parent name i in this document (-1: absent).
func (r *run) pid(i int32) xmltree.NameID {
	if len(r.pids) == 0 {
		r.pids = slices.Grow(r.pids, len(r.p.pnames))[:len(r.p.pnames)]
		for k := range r.pids {
			r.pids[k] = -2
		}
	}
	v := r.pids[i]
	if v == -2 {
		v = r.d.LookupKey(r.p.pnames[i])
		r.pids[i] = v
	}
	return v
}

func mergeCands(a, b []cand) []cand {
	out := make([]cand, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].r.seq < out[j].r.seq })
	return out
}

func (r *run) visitDoc() {
	fired := -1
	for _, cr := range r.p.docRules {
		if cr.pat == fired {
			continue
		}
		if ok, err := r.x.Match(cr.context, 0); err != nil || !ok {
			continue
		}
		fired = cr.pat
		r.fire(cr, 0)
	}
}

// visit tries the candidate rules on element n; in each pattern the first
// rule whose context matches fires. A candidate whose parent name does not
// fit is skipped without evaluating its pattern.
func (r *run) visit(n xmltree.NodeID, cands []cand) {
	fired := -1
	d := r.d
	out := r.ruledOut[d.NameID(n)]
	parent := d.Parent(n)
	pname := xmltree.NameID(-1)
	if parent > 0 {
		pname = d.NameID(parent)
	}
	for i := range cands {
		c := &cands[i]
		cr := c.r
		if cr.pat == fired || c.guard >= 0 && out&(1<<c.guard) != 0 {
			continue
		}
		if !c.anyParent {
			ok := c.docParent && parent == 0
			for _, p := range c.parents {
				if r.pid(p) == pname {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		if cr.docGuard && !r.mayMatch(cr) {
			continue
		}
		if c.emptyLeaf && !r.x.IsEmptyLeaf(n) {
			continue
		}
		if !c.exact {
			// A dynamic error while matching a pattern means the
			// pattern does not match (XSLT 3.0, 5.5.4), as in the
			// reference engine.
			ok, err := r.x.Match(cr.context, n)
			if err != nil || !ok {
				continue
			}
		}
		fired = cr.pat
		r.fire(cr, n)
	}
}

// mayMatch reports whether rule cr may match an element of this document
// (the eight VAT category rules on each invoice line, of which at most
// one category is used; national rules guarded by the seller's country).
func (r *run) mayMatch(cr *cRule) bool {
	if len(r.alive) == 0 {
		r.alive = slices.Grow(r.alive, len(r.p.rules))[:len(r.p.rules)]
		clear(r.alive)
	}
	if r.alive[cr.seq] == 0 {
		r.alive[cr.seq] = 2
		if r.x.MayMatchIn(cr.context) {
			r.alive[cr.seq] = 1
		}
	}
	return r.alive[cr.seq] == 1
}

func (r *run) fire(cr *cRule, n xmltree.NodeID) {
	x := r.x
	x.Enter(cr.frame)
	for _, l := range cr.lets {
		x.BindLazy(l.slot, l.e, n)
	}
	for _, ch := range cr.checks {
		if x.Lacks(ch.lacking) {
			if ch.report {
				r.finding(ch, n)
			}
			continue
		}
		ok, err := x.Bool(ch.test, n)
		if err != nil {
			r.failed(ch, n, err)
			continue
		}
		if ok == ch.report {
			r.finding(ch, n)
		}
	}
	x.Leave()
}

func (r *run) newFinding(id string, flag report.Flag, n xmltree.NodeID) report.Finding {
	f := report.Finding{ID: id, Flag: flag, RuleSet: r.p.ruleSet, Location: r.d.Path(n, invoice.Prefix), Offset: r.d.Offset(n)}
	f.Line, f.Column = r.d.Pos(n)
	return f
}

func (r *run) finding(ch *cCheck, n xmltree.NodeID) {
	f := r.newFinding(ch.id, ch.flag, n)
	f.Message = r.message(ch, n)
	r.out = append(r.out, f)
}

// message builds an assert's text (from the user's rule file) with its
// value-of and name parts filled in.
func (r *run) message(ch *cCheck, n xmltree.NodeID) string {
	var b strings.Builder
	for _, m := range ch.msg {
		if m.e == nil {
			b.WriteString(m.text)
			continue
		}
		s, err := r.x.String(m.e, n, " ")
		if err != nil {
			s = "?"
		}
		b.WriteString(s)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// failed reports a rule whose test could not be evaluated.
func (r *run) failed(ch *cCheck, n xmltree.NodeID, err error) {
	f := r.newFinding(ch.id, report.Fatal, n)
	f.Message = fmt.Sprintf("Rule %s could not be checked on this document: %v. Correct the value so that the rule can be evaluated.", ch.id, err)
	f.Norsk = fmt.Sprintf("Regel %s kunne ikke kontrolleres for dette dokumentet: %v. Rett verdien slik at regelen kan kontrolleres.", ch.id, err)
	r.out = append(r.out, f)
}
