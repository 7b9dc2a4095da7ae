package xpath

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Some forty whole-document VAT rules each look for the elements of one
// name whose code has a given value:
// //cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'E'][...], or
// .../cbc:ID[normalize-space(.) = 'E']. On an invoice with many lines each
// would compute the code of every line. Such a predicate, "K = 'literal'"
// where K gives exactly one string and depends on nothing but the node
// (normalize-space(path), upper-case(.)), is answered from an index built
// once per document: for every element of the step's name, its K value.
// The rules with the same name and K share the index, whatever literal
// they compare with.

// eqIndex is a predicate answered from an index.
type eqIndex struct {
	id   int   // index in Context.eqs, shared by name and key
	lid  int   // slot of this predicate's literal in Context.eqLits
	ord  int   // the literal's order among the index's literals (Compiler.eqWant)
	name int32 // compiler name of the indexed elements
	key  evaluator
	lit  string
}

// eqData is one index in one document.
type eqData struct {
	built bool
	// small: the document has too few such elements for an index to pay;
	// the predicate is evaluated as written.
	small bool
	id    xmltree.NameID // the indexed elements' name in this document
	byVal map[string][]xmltree.NodeID
	// nwant is the number of literals the index was built for: a
	// predicate compiled later, with a new literal, rebuilds it.
	nwant int
	// odd are the elements whose key cannot be computed (two cbc:ID
	// children make normalize-space fail): on them the predicate is
	// evaluated as written, so that it fails where it would have.
	odd []xmltree.NodeID
}

// eqLit is a predicate's list of matching elements in one document.
type eqLit struct {
	ok    bool
	nodes []xmltree.NodeID
}

// eqPred recognises "K = 'literal'" (either way round) as a predicate of
// a step that tests for element name name, and returns its index.
func (s *Scope) eqPred(a ast, name int32) (*eqIndex, error) {
	b, ok := a.(*aBinary)
	if !ok || b.op != opGEq {
		return nil, nil
	}
	k, l := b.l, b.r
	if _, ok := k.(*aLiteral); ok {
		k, l = l, k
	}
	lit, ok := l.(*aLiteral)
	if !ok || lit.it.k != KString || !stringKey(k, true) {
		return nil, nil
	}
	var sb strings.Builder
	if !s.canon(k, nil, &sb) {
		return nil, nil
	}
	fs := s.focused()
	inner := *fs
	inner.inCache = true         // no per-document cache inside: K depends on the node
	ke, err := inner.compile1(k) // nor a memo: K is computed once per node
	if err == nil {
		ke = inner.fold(ke)
	}
	if err != nil {
		return nil, err
	}
	c := s.c
	if c.eqs == nil {
		c.eqs = map[string]int{}
	}
	key := fmt.Sprintf("%d ", name) + sb.String()
	id, ok := c.eqs[key]
	if !ok {
		id = len(c.eqs)
		c.eqs[key] = id
		c.eqWant = append(c.eqWant, map[string]int{})
	}
	want := c.eqWant[id]
	ord, ok := want[lit.it.s]
	if !ok {
		ord = len(want)
		want[lit.it.s] = ord
	}
	c.neqLits++
	return &eqIndex{id: id, lid: c.neqLits - 1, ord: ord, name: name, key: ke, lit: lit.it.s}, nil
}

// stringKey reports whether a gives xs:strings only (or fails) and
// depends on nothing but the context node: a call of normalize-space,
// upper-case, lower-case or string with one argument that is such a call,
// ".", or a relative path of plain child steps; at the top, also plain
// child steps followed by such a call (one string per node they select).
func stringKey(a ast, top bool) bool {
	switch a := a.(type) {
	case *aCall:
		prefix, local := splitQName(a.name)
		if prefix != "" && prefix != "fn" || len(a.args) != 1 {
			return false
		}
		switch local {
		case "normalize-space", "upper-case", "lower-case", "string":
			return stringKey(a.args[0], false)
		}
		return false
	case *aContext:
		return !top
	case *aStep:
		return !top && plainChild(a)
	case *aPath:
		if a.root != 0 || len(a.steps) == 0 {
			return false
		}
		steps := a.steps
		if top {
			// cac:TaxScheme/normalize-space(upper-case(cbc:ID)): one
			// string per cac:TaxScheme, any of which may equal the
			// literal.
			last := steps[len(steps)-1]
			if len(steps) < 2 || last.desc || len(last.preds) > 0 || last.expr == nil || !stringKey(last.expr, true) {
				return false
			}
			steps = steps[:len(steps)-1]
		}
		for _, st := range steps {
			if !plainChild(st) {
				return false
			}
		}
		return true
	}
	return false
}

func plainChild(st *aStep) bool {
	return st.expr == nil && !st.desc && st.axis == axChild && st.test.kind == testName && len(st.preds) == 0
}

// eqIndexes marks the predicates of a name-test step that an index can
// answer.
func (s *Scope) eqIndexes(st *stepE, as []ast) error {
	if st.expr != nil || st.test.kind != testName {
		return nil
	}
	switch st.axis {
	case axChild, axDescendant, axDescendantOrSelf, axSelf, axParent, axAncestor, axAncestorOrSelf,
		axFollowing, axFollowingSibling, axPreceding, axPrecedingSibling:
	default:
		return nil
	}
	for i, a := range as {
		e, err := s.eqPred(a, st.test.name)
		if err != nil {
			return err
		}
		st.preds[i].eq = e
	}
	return nil
}

// eqMinNodes is the number of elements from which an index pays (a
// variable for tests). An index keeps only the elements whose key is one
// of the literals, so it pays as soon as two elements would each have
// their key computed by a dozen VAT rules (the base example's two
// cac:ClassifiedTaxCategory: base example 0.276 → 0.248 ms against 32).
var eqMinNodes = 2

// eqBuild makes index q's data for this document.
func (x *Context) eqBuild(q *eqIndex) *eqData {
	for q.id >= len(x.eqs) {
		x.eqs = append(x.eqs, eqData{})
	}
	d := &x.eqs[q.id]
	if d.built && q.ord < d.nwant {
		return d
	}
	want := x.c.eqWant[q.id]
	id := x.id(q.name)
	var all []xmltree.NodeID
	if id >= 0 {
		all = x.named(id)
	}
	if len(all) < eqMinNodes {
		d = &x.eqs[q.id]
		*d = eqData{built: true, small: true, id: id, nwant: len(want)}
		return d
	}
	byVal := map[string][]xmltree.NodeID{}
	var odd []xmltree.NodeID
	if kids, fn := kidsThenString(q.key); fn != nil {
		// cac:Item/cac:ClassifiedTaxCategory/normalize-space(cbc:ID) on
		// each of 10,000 invoice lines: the same strings as evaluating the
		// path, without a sequence per line.
		var strs []string
		for _, n := range all {
			var c collector
			x.kidPath(kids, -1, n, &c)
			strs = strs[:0]
			bad := false
			for i := 0; i < c.n && !bad; i++ {
				it := c.one
				if c.many != nil {
					it = c.many[i]
				}
				s, err := fn.evalStr(x, focus{it: it, pos: i + 1, size: c.n}, desc{format: "the key"})
				if err != nil {
					bad = true
				}
				strs = append(strs, s)
			}
			if bad {
				odd = append(odd, n)
				continue
			}
		strs:
			for i, s := range strs {
				if _, ok := want[s]; !ok {
					continue
				}
				for _, w := range strs[:i] {
					if w == s {
						continue strs
					}
				}
				byVal[s] = append(byVal[s], n)
			}
		}
	} else {
		for _, n := range all {
			f := focus{it: nodeItem(n), pos: 1, size: 1}
			if _, ok := q.key.(*callE); ok {
				// Exactly one string (stringKey).
				s, err := x.evalString(q.key, f, desc{format: "the key"})
				if err != nil {
					odd = append(odd, n)
				} else if _, ok := want[s]; ok {
					byVal[s] = append(byVal[s], n)
				}
				continue
			}
			v, err := q.key.eval(x, f)
			if err != nil {
				odd = append(odd, n)
				continue
			}
		items:
			for i := 0; i < v.n; i++ {
				it := v.At(i)
				if it.k != KString {
					// Not what stringKey promises: keep the predicate.
					odd = append(odd, n)
					for _, w := range v.Items()[:i] {
						if l := byVal[w.s]; len(l) > 0 && l[len(l)-1] == n {
							byVal[w.s] = l[:len(l)-1]
						}
					}
					break
				}
				if _, ok := want[it.s]; !ok {
					continue
				}
				for _, w := range v.Items()[:i] {
					if w.s == it.s {
						continue items
					}
				}
				byVal[it.s] = append(byVal[it.s], n)
			}
		}
	}
	d = &x.eqs[q.id]
	*d = eqData{built: true, id: id, byVal: byVal, odd: odd, nwant: len(want)}
	return d
}

// kidsThenString returns, for a key that is plain child name steps
// followed by a string function step, the steps' compiler names and the
// function; else nil.
func kidsThenString(e evaluator) ([]int32, *callE) {
	p, ok := e.(*pathE)
	if !ok || p.root || len(p.steps) < 2 {
		return nil, nil
	}
	last := p.steps[len(p.steps)-1]
	ex := last.expr
	if m, ok := ex.(*memoE); ok {
		// normalize-space(cbc:ID) remembered for the last node: the
		// same value, computed.
		ex = m.e
	}
	fn, ok := ex.(*callE)
	if !ok || fn.str == nil || len(last.preds) > 0 {
		return nil, nil
	}
	kids := make([]int32, 0, len(p.steps)-1)
	for _, st := range p.steps[:len(p.steps)-1] {
		if st.expr != nil || st.axis != axChild || st.test.kind != testName || len(st.preds) > 0 {
			return nil, nil
		}
		kids = append(kids, st.test.name)
	}
	return kids, fn
}

// eqNodes returns the elements whose key equals q's literal, and the
// index.
func (x *Context) eqNodes(q *eqIndex) ([]xmltree.NodeID, *eqData) {
	d := x.eqBuild(q)
	for q.lid >= len(x.eqLits) {
		x.eqLits = append(x.eqLits, eqLit{})
	}
	l := &x.eqLits[q.lid]
	if !l.ok {
		*l = eqLit{ok: true, nodes: d.byVal[q.lit]}
	}
	return l.nodes, d
}

// eqMember answers predicate q for element n: known is false when the
// predicate must be evaluated as written (n is not of the indexed name,
// or its key could not be computed).
func (x *Context) eqMember(q *eqIndex, n xmltree.NodeID) (in, known bool) {
	nodes, d := x.eqNodes(q)
	if d.small || x.d.NameID(n) != d.id || x.d.Kind(n) != xmltree.ElementNode {
		return false, false
	}
	if _, found := slices.BinarySearch(nodes, n); found {
		return true, true
	}
	if len(d.odd) > 0 {
		if _, found := slices.BinarySearch(d.odd, n); found {
			return false, false
		}
	}
	return false, true
}

// eqNone reports whether a step's first predicate is answered from an
// index and no element can pass it.
func (x *Context) eqNone(st *stepE) bool {
	if len(st.preds) == 0 || st.preds[0].eq == nil {
		return false
	}
	nodes, d := x.eqNodes(st.preds[0].eq)
	return !d.small && len(nodes) == 0 && len(d.odd) == 0
}

// eqIndexed reports whether predicate q has an index in this document.
func (x *Context) eqIndexed(q *eqIndex) bool { return !x.eqBuild(q).small }

// eqRange appends to out, in document order, the elements in (lo, hi)
// that may pass q: those whose key equals the literal and those whose key
// could not be computed.
func (x *Context) eqRange(q *eqIndex, lo, hi xmltree.NodeID, out []xmltree.NodeID) []xmltree.NodeID {
	nodes, d := x.eqNodes(q)
	i, _ := slices.BinarySearch(nodes, lo+1)
	j, _ := slices.BinarySearch(d.odd, lo+1)
	for {
		a, b := i < len(nodes) && nodes[i] < hi, j < len(d.odd) && d.odd[j] < hi
		switch {
		case a && (!b || nodes[i] < d.odd[j]):
			out = append(out, nodes[i])
			i++
		case b:
			out = append(out, d.odd[j])
			j++
		default:
			return out
		}
	}
}
