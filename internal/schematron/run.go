package schematron

import (
	"fmt"
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
	cands [][]*cRule // by NameID; nil until looked up
	out   []report.Finding
}

// Validate applies the program to a document. It walks the tree once: at
// each element, the rules whose context can match its name are tried,
// pattern by pattern, and the first that matches fires, as in the ISO
// skeleton. A rule test that cannot be evaluated gives a fatal finding
// with the rule's ID, and every other rule still runs.
func (p *Program) Validate(d *xmltree.Document) []report.Finding {
	x, _ := p.pool.Get().(*xpath.Context)
	if x == nil {
		x = p.c.NewContext(d)
	} else {
		x.Reset(d)
	}
	r := &run{p: p, x: x, d: d}
	r.visit(0, p.docRules)
	n := xmltree.NodeID(d.Len())
	for i := xmltree.NodeID(1); i < n; i++ {
		if d.Kind(i) != xmltree.ElementNode {
			continue
		}
		if c := r.candidates(d.NameID(i)); len(c) > 0 {
			r.visit(i, c)
		}
	}
	x.Reset(nil)
	p.pool.Put(x)
	return r.out
}

// candidates are the rules that may match an element with this name, in
// program order.
func (r *run) candidates(id xmltree.NameID) []*cRule {
	if int(id) < len(r.cands) && r.cands[id] != nil {
		return r.cands[id]
	}
	for int(id) >= len(r.cands) {
		r.cands = append(r.cands, nil)
	}
	name := r.d.NameOf(id)
	var l []*cRule
	if v, ok := r.p.merged.Load(name); ok {
		l = v.([]*cRule)
	} else {
		l = mergeRules(r.p.byName[name], r.p.anyElem)
		r.p.merged.Store(name, l)
	}
	if l == nil {
		l = []*cRule{}
	}
	r.cands[id] = l
	return l
}

func mergeRules(a, b []*cRule) []*cRule {
	out := make([]*cRule, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// visit tries the candidate rules on node n; in each pattern the first
// rule whose context matches fires.
func (r *run) visit(n xmltree.NodeID, cands []*cRule) {
	fired := -1
	for _, cr := range cands {
		if cr.pat == fired {
			continue
		}
		// A dynamic error while matching a pattern means the pattern
		// does not match (XSLT 3.0, 5.5.4), as in the reference engine.
		ok, err := r.x.Match(cr.context, n)
		if err != nil || !ok {
			continue
		}
		fired = cr.pat
		r.fire(cr, n)
	}
}

func (r *run) fire(cr *cRule, n xmltree.NodeID) {
	x := r.x
	x.Enter(cr.frame)
	for _, l := range cr.lets {
		x.BindLazy(l.slot, l.e, n)
	}
	for _, ch := range cr.checks {
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
