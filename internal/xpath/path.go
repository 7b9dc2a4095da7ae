package xpath

import (
	"slices"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// pathE is a path expression: an optional root and steps.
type pathE struct {
	root   bool // starts at the document node
	steps  []*stepE
	simple bool // streamable
	// rev: an ancestor step streams its nodes nearest first, so the
	// streamed nodes are sorted.
	rev bool
	// needs are the names the steps test for: when the document lacks one,
	// the path selects nothing (most "must not be used" rules test for
	// elements that are absent).
	needs []int32
	// kids: the path is plain child steps from the context node, by
	// compiler name (-1 for "*"): the commonest path ("cbc:ID",
	// "cac:Price/cbc:PriceAmount") takes a loop of its own.
	kids []int32
	// kidAttr: the compiler name of a last attribute step after kids
	// ("cbc:Amount/@currencyID", "@schemeID"), or -1.
	kidAttr int32
	// up: the path may be read from its end to find whether it selects
	// anything (uppath.go).
	up *upPath
}

// plainKids sets kids and kidAttr for a relative path of child steps
// without predicates, optionally followed by an attribute name.
func (e *pathE) plainKids() {
	e.kidAttr = -1
	if e.root || len(e.steps) == 0 || len(e.steps) > 4 {
		return
	}
	steps := e.steps
	attr := int32(-1)
	if st := steps[len(steps)-1]; st.expr == nil && st.axis == axAttribute && st.test.kind == testName && len(st.preds) == 0 {
		attr = st.test.name
		steps = steps[:len(steps)-1]
	}
	out := []int32{}
	for _, st := range steps {
		if st.expr != nil || st.axis != axChild || len(st.preds) > 0 {
			return
		}
		switch st.test.kind {
		case testName:
			out = append(out, st.test.name)
		case testAny:
			out = append(out, -1)
		default:
			return
		}
	}
	e.kids, e.kidAttr = out, attr
}

// kidPath adds to c the nodes that child steps names, and the attribute
// step attr (>= 0), select from element n, in document order.
func (x *Context) kidPath(names []int32, attr int32, n xmltree.NodeID, c *collector) {
	d := x.d
	if len(names) == 0 {
		if attr < 0 {
			c.add(nodeItem(n))
			return
		}
		id := x.id(attr)
		if id < 0 || d.Kind(n) != xmltree.ElementNode {
			return
		}
		for i, a := range d.Attrs(n) {
			if a.Name == id {
				c.add(attrItem(n, i))
				return
			}
		}
		return
	}
	last := len(names) == 1 && attr < 0
	id := xmltree.NameID(-1)
	if names[0] >= 0 {
		if id = x.id(names[0]); id < 0 {
			return
		}
		if kids, ok := x.children(n, id); ok {
			for _, ch := range kids {
				if c.done {
					return
				}
				if last {
					c.add(nodeItem(ch))
				} else {
					x.kidPath(names[1:], attr, ch, c)
				}
			}
			return
		}
	}
	end := d.End(n)
	for ch := n + 1; ch < end && !c.done; ch = d.End(ch) {
		if d.Kind(ch) != xmltree.ElementNode || id >= 0 && d.NameID(ch) != id {
			continue
		}
		if last {
			c.add(nodeItem(ch))
		} else {
			x.kidPath(names[1:], attr, ch, c)
		}
	}
}

// absent reports whether the document lacks a name the path needs.
func (e *pathE) absent(x *Context) bool {
	for _, n := range e.needs {
		if x.id(n) < 0 {
			return true
		}
	}
	return false
}

// stepE is one step: an axis and node test, or a filter expression, and
// predicates.
type stepE struct {
	axis  axis
	test  nodeTest
	expr  evaluator // a filter step ("cac:X/xs:decimal(cbc:Y)")
	preds []*predE
}

// predE is a predicate.
type predE struct {
	e evaluator
	// index > 0: the predicate is the integer literal index.
	index int64
	// maybeNumeric: the value could be a number, so it may select by
	// position.
	maybeNumeric bool
	// usesLast: the predicate calls last(), so the candidates must be
	// counted first.
	usesLast bool
	// fixed: the predicate does not depend on the candidate ("$digits[$i
	// + 1]"), so it is evaluated once for all candidates.
	fixed bool
	// eq: the predicate is answered from a per-document index.
	eq *eqIndex
}

// fixedPred evaluates a fixed predicate once: it selects the candidate at
// index (when index > 0), every candidate (all), or none.
func (x *Context) fixedPred(p *predE, f focus) (index int64, all bool, err error) {
	if p.index > 0 {
		return p.index, false, nil
	}
	s, err := p.e.eval(x, f)
	if err != nil {
		return 0, false, err
	}
	if s.n == 1 && s.one.isNumeric() {
		v := toDouble(s.one)
		if v >= 1 && v == float64(int64(v)) {
			return int64(v), false, nil
		}
		return 0, false, nil
	}
	all, err = x.ebv(s)
	return 0, all, err
}

func (e *pathE) eval(x *Context, f focus) (Seq, error) {
	if len(e.needs) > 0 && e.absent(x) {
		return Empty, nil
	}
	if e.kids != nil && f.pos != 0 && f.it.k == KNode {
		var c collector
		x.kidPath(e.kids, e.kidAttr, xmltree.NodeID(f.it.n), &c)
		return c.seq(), nil
	}
	if e.simple {
		var c collector
		err := x.stream(e, f, &c)
		if err == nil {
			if c.nodes == 0 {
				if e.rev && c.n > 1 {
					return SeqOf(sortNodes(append([]Item(nil), c.seq().Items()...))), nil
				}
				return c.seq(), nil
			}
			if c.nodes != c.n {
				return Empty, dynErr("XPTY0018", "the last step of a path gives both nodes and atomic values")
			}
			return SeqOf(sortNodes(append([]Item(nil), c.seq().Items()...))), nil
		}
		if err != errNested {
			return Empty, err
		}
	}
	return e.evalGeneral(x, f)
}

// first reports whether the path selects anything; ok is false when that
// cannot be told from the first item (an atomic value from an expression
// step).
func (e *pathE) first(x *Context, f focus) (nonEmpty, node, ok bool, err error) {
	if len(e.needs) > 0 && e.absent(x) {
		return false, false, true, nil
	}
	if e.up != nil && f.pos != 0 && f.it.k == KNode && x.d.Kind(xmltree.NodeID(f.it.n)) == xmltree.ElementNode {
		if found, ok := x.upFind(e.up, xmltree.NodeID(f.it.n)); ok {
			return found, found, true, nil
		}
	}
	if e.kids != nil && f.pos != 0 && f.it.k == KNode {
		c := collector{first: true}
		x.kidPath(e.kids, e.kidAttr, xmltree.NodeID(f.it.n), &c)
		return c.n > 0, c.n > 0, true, nil
	}
	if !e.simple {
		return false, false, false, nil
	}
	c := collector{first: true}
	err = x.stream(e, f, &c)
	if err == errNested {
		return false, false, false, nil
	}
	if err != nil {
		return false, false, true, err
	}
	return c.n > 0, c.n > 0 && c.one.IsNode(), true, nil
}

// evalGeneral evaluates any path step by step.
func (e *pathE) evalGeneral(x *Context, f focus) (Seq, error) {
	var cur []Item
	start := 0
	switch {
	case e.root:
		if f.pos == 0 {
			return Empty, dynErr("XPDY0002", "there is no context node for '/'")
		}
		cur = []Item{nodeItem(0)}
	case e.steps[0].expr != nil:
		s, err := x.filterStep(e.steps[0], f)
		if err != nil {
			return Empty, err
		}
		cur = s
		start = 1
	default:
		if f.pos == 0 {
			return Empty, dynErr("XPDY0002", "there is no context item for the path")
		}
		cur = []Item{f.it}
	}
	for _, st := range e.steps[start:] {
		if len(cur) == 0 {
			return Empty, nil
		}
		next, err := x.step(st, cur)
		if err != nil {
			return Empty, err
		}
		cur = next
	}
	return SeqOf(cur), nil
}

func (e *pathE) ebv(x *Context, f focus) (bool, error) {
	nonEmpty, node, ok, err := e.first(x, f)
	if err != nil {
		return false, err
	}
	if ok && (!nonEmpty || node) {
		return nonEmpty, nil
	}
	s, err := e.eval(x, f)
	if err != nil {
		return false, err
	}
	return x.ebv(s)
}

// step applies one step to every item of cur.
func (x *Context) step(st *stepE, cur []Item) ([]Item, error) {
	var out []Item
	if st.expr != nil {
		atomic, nodes := 0, 0
		for i, it := range cur {
			if !it.IsNode() {
				return nil, dynErr("XPTY0019", "a path step cannot start from the %s value %s", it.k, quote(atomString(it)))
			}
			s, err := x.filterStep(st, focus{it: it, pos: i + 1, size: len(cur)})
			if err != nil {
				return nil, err
			}
			for _, r := range s {
				if r.IsNode() {
					nodes++
				} else {
					atomic++
				}
			}
			out = append(out, s...)
		}
		if nodes > 0 && atomic > 0 {
			return nil, dynErr("XPTY0018", "the last step of a path gives both nodes and atomic values")
		}
		if nodes > 0 && len(cur) > 1 {
			out = sortNodes(out)
		}
		return out, nil
	}
	for _, it := range cur {
		if !it.IsNode() {
			return nil, dynErr("XPTY0019", "a path step cannot start from the %s value %s", it.k, quote(atomString(it)))
		}
		var err error
		out, err = x.axisStep(st, it, out)
		if err != nil {
			return nil, err
		}
	}
	if len(cur) > 1 {
		out = sortNodes(out)
	}
	return out, nil
}

// filterStep evaluates a filter step's expression and predicates.
func (x *Context) filterStep(st *stepE, f focus) ([]Item, error) {
	s, err := st.expr.eval(x, f)
	if err != nil {
		return nil, err
	}
	items := s.Items()
	if len(st.preds) == 0 {
		return items, nil
	}
	items = append([]Item(nil), items...)
	return x.applyPreds(st.preds, items)
}

// applyPreds filters candidates (in axis or sequence order) by each
// predicate in turn.
func (x *Context) applyPreds(preds []*predE, cands []Item) ([]Item, error) {
	for _, p := range preds {
		n := len(cands)
		if n == 0 {
			break
		}
		if p.fixed {
			index, all, err := x.fixedPred(p, focus{it: cands[0], pos: 1, size: n})
			switch {
			case err != nil:
				return nil, err
			case index > 0 && index <= int64(n):
				cands = cands[index-1 : index]
			case !all:
				cands = cands[:0]
			}
			continue
		}
		j := 0
		for i, c := range cands {
			keep, err := x.predTrue(p, c, i+1, n)
			if err != nil {
				return nil, err
			}
			if keep {
				cands[j] = c
				j++
			}
		}
		cands = cands[:j]
	}
	return cands, nil
}

func (x *Context) predTrue(p *predE, c Item, pos, size int) (bool, error) {
	if p.index > 0 {
		return int64(pos) == p.index, nil
	}
	if p.eq != nil && c.k == KNode {
		if in, known := x.eqMember(p.eq, xmltree.NodeID(c.n)); known {
			return in, nil
		}
	}
	f := focus{it: c, pos: pos, size: size}
	if !p.maybeNumeric {
		return x.ebvOf(p.e, f)
	}
	s, err := p.e.eval(x, f)
	if err != nil {
		return false, err
	}
	if s.n == 1 && s.one.isNumeric() {
		switch s.one.k {
		case KInteger:
			if s.one.n != bigInt {
				return s.one.i == int64(pos), nil
			}
		case KDouble:
			return s.one.dbl() == float64(pos), nil
		}
		return s.one.dec().Equal(decimal.NewFromInt(int64(pos))), nil
	}
	return x.ebv(s)
}

// axisStep appends to out the nodes that step st selects from it.
func (x *Context) axisStep(st *stepE, it Item, out []Item) ([]Item, error) {
	if len(st.preds) == 0 {
		mark := len(out)
		out = x.axis(st.axis, &st.test, it, out)
		if st.axis.reverse() {
			slices.Reverse(out[mark:])
		}
		return out, nil
	}
	cands := x.axis(st.axis, &st.test, it, nil)
	cands, err := x.applyPreds(st.preds, cands)
	if err != nil {
		return nil, err
	}
	if st.axis.reverse() {
		slices.Reverse(cands)
	}
	return append(out, cands...), nil
}

// resolved is a node test resolved against the document.
type resolved struct {
	t  *nodeTest
	id xmltree.NameID // for testName, element()/attribute() with a name
}

func (x *Context) resolve(t *nodeTest) (resolved, bool) {
	r := resolved{t: t, id: -1}
	if t.kind == testName || ((t.kind == testElement || t.kind == testAttribute) && t.local != "") {
		r.id = x.id(t.name)
		if r.id < 0 {
			return r, false
		}
	}
	return r, true
}

// element reports whether tree node n passes the test on an axis whose
// principal node kind is element.
func (x *Context) element(r *resolved, n xmltree.NodeID) bool {
	d := x.d
	switch r.t.kind {
	case testName:
		return d.Kind(n) == xmltree.ElementNode && d.NameID(n) == r.id
	case testAny:
		return d.Kind(n) == xmltree.ElementNode
	case testNode:
		return true
	case testText:
		return d.Kind(n) == xmltree.TextNode
	case testNsWild:
		return d.Kind(n) == xmltree.ElementNode && d.NameOf(d.NameID(n)).Space == r.t.space
	case testLocalWild:
		return d.Kind(n) == xmltree.ElementNode && d.NameOf(d.NameID(n)).Local == r.t.local
	case testElement:
		return d.Kind(n) == xmltree.ElementNode && (r.id < 0 || d.NameID(n) == r.id)
	case testDocument:
		return d.Kind(n) == xmltree.DocumentNode
	}
	return false
}

// attr reports whether attribute a passes the test on the attribute axis.
func (x *Context) attr(r *resolved, a xmltree.Attr) bool {
	switch r.t.kind {
	case testName, testAttribute:
		return r.id < 0 && r.t.kind == testAttribute || a.Name == r.id
	case testAny, testNode:
		return true
	case testNsWild:
		return x.d.NameOf(a.Name).Space == r.t.space
	case testLocalWild:
		return x.d.NameOf(a.Name).Local == r.t.local
	}
	return false
}

// axis appends the nodes on axis ax from it that pass test t, in axis
// order (reverse document order for reverse axes).
func (x *Context) axis(ax axis, t *nodeTest, it Item, out []Item) []Item {
	r, ok := x.resolve(t)
	if !ok {
		return out
	}
	d := x.d
	n := xmltree.NodeID(it.n)
	if it.k == KAttr {
		self := (t.kind == testNode || t.kind == testAttribute) && x.attrSelf(&r, it)
		owner := nodeItem(n)
		switch ax {
		case axSelf, axDescendantOrSelf:
			if self {
				out = append(out, it)
			}
		case axAncestorOrSelf:
			if self {
				out = append(out, it)
			}
			return x.axis(axAncestorOrSelf, t, owner, out)
		case axParent:
			if x.element(&r, n) {
				out = append(out, owner)
			}
		case axAncestor:
			return x.axis(axAncestorOrSelf, t, owner, out)
		case axFollowing:
			out = x.axis(axDescendant, t, owner, out)
			return x.axis(axFollowing, t, owner, out)
		case axPreceding:
			return x.axis(axPreceding, t, owner, out)
		}
		return out
	}
	switch ax {
	case axChild:
		end := d.End(n)
		if r.t.kind == testName {
			if kids, ok := x.children(n, r.id); ok {
				for _, c := range kids {
					out = append(out, nodeItem(c))
				}
				return out
			}
			for c := n + 1; c < end; c = d.End(c) {
				if d.NameID(c) == r.id && d.Kind(c) == xmltree.ElementNode {
					out = append(out, nodeItem(c))
				}
			}
			return out
		}
		for c := n + 1; c < end; c = d.End(c) {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
	case axAttribute:
		if d.Kind(n) != xmltree.ElementNode {
			return out
		}
		for i, a := range d.Attrs(n) {
			if x.attr(&r, a) {
				out = append(out, attrItem(n, i))
			}
		}
	case axSelf:
		if x.element(&r, n) {
			out = append(out, it)
		}
	case axDescendant, axDescendantOrSelf:
		if ax == axDescendantOrSelf && x.element(&r, n) {
			out = append(out, it)
		}
		end := d.End(n)
		if r.t.kind == testName {
			all := x.named(r.id)
			i := sort.Search(len(all), func(i int) bool { return all[i] > n })
			for ; i < len(all) && all[i] < end; i++ {
				out = append(out, nodeItem(all[i]))
			}
			return out
		}
		for c := n + 1; c < end; c++ {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
	case axDescAttr:
		end := d.End(n)
		for c := n; c < end; c++ {
			if d.Kind(c) != xmltree.ElementNode {
				continue
			}
			for i, a := range d.Attrs(c) {
				if x.attr(&r, a) {
					out = append(out, attrItem(c, i))
				}
			}
		}
	case axParent:
		if p := d.Parent(n); p != xmltree.None && x.element(&r, p) {
			out = append(out, nodeItem(p))
		}
	case axAncestor, axAncestorOrSelf:
		c := n
		if ax == axAncestor {
			c = d.Parent(n)
		}
		for ; c != xmltree.None; c = d.Parent(c) {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
	case axFollowingSibling:
		p := d.Parent(n)
		if p == xmltree.None {
			return out
		}
		pend := d.End(p)
		for c := d.End(n); c < pend; c = d.End(c) {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
	case axPrecedingSibling:
		p := d.Parent(n)
		if p == xmltree.None {
			return out
		}
		mark := len(out)
		for c := p + 1; c < n; c = d.End(c) {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
		slices.Reverse(out[mark:])
	case axFollowing:
		total := xmltree.NodeID(d.Len())
		if r.t.kind == testName {
			all := x.named(r.id)
			i := sort.Search(len(all), func(i int) bool { return all[i] >= d.End(n) })
			for ; i < len(all); i++ {
				out = append(out, nodeItem(all[i]))
			}
			return out
		}
		for c := d.End(n); c < total; c++ {
			if x.element(&r, c) {
				out = append(out, nodeItem(c))
			}
		}
	case axPreceding:
		mark := len(out)
		if r.t.kind == testName {
			all := x.named(r.id)
			for _, c := range all {
				if c >= n {
					break
				}
				if d.End(c) <= n {
					out = append(out, nodeItem(c))
				}
			}
		} else {
			for c := xmltree.NodeID(1); c < n; c++ {
				if d.End(c) <= n && x.element(&r, c) {
					out = append(out, nodeItem(c))
				}
			}
		}
		slices.Reverse(out[mark:])
	}
	return out
}

// attrSelf tests an attribute against a test on the self axis.
func (x *Context) attrSelf(r *resolved, it Item) bool {
	a := x.d.Attrs(xmltree.NodeID(it.n))[it.i]
	switch r.t.kind {
	case testAttribute, testNode:
		return r.id < 0 || a.Name == r.id
	}
	return false
}

// bigSubtree is the subtree size from which a node's children are indexed
// by name: the root of a 10,000-line invoice has 10,000 children, and a
// rule on each line that looks at a root child would otherwise scan them
// all. The document element's children are indexed whatever its size:
// a few hundred document-level rules ask it for one child name each.
const bigSubtree = 512

// children returns n's element children named id, and ok; ok is false
// when n is small enough to scan.
func (x *Context) children(n xmltree.NodeID, id xmltree.NameID) ([]xmltree.NodeID, bool) {
	d := x.d
	if d.End(n)-n < bigSubtree && n != x.root {
		return nil, false
	}
	idx, ok := x.kids[n]
	if !ok {
		idx = d.IndexChildren(n)
		if x.kids == nil {
			x.kids = map[xmltree.NodeID]*xmltree.ChildIndex{}
		}
		x.kids[n] = idx
	}
	return idx.Named(id), true
}

// named lists the elements with name id in document order, from the
// document's index (built once per document and shared with the other
// rule engines).
func (x *Context) named(id xmltree.NameID) []xmltree.NodeID { return x.d.Elements(id) }

// filterE is a filter expression: a primary expression and predicates.
type filterE struct {
	x     evaluator
	preds []*predE
}

func (e *filterE) eval(x *Context, f focus) (Seq, error) {
	s, err := e.x.eval(x, f)
	if err != nil || s.n == 0 {
		return s, err
	}
	if len(e.preds) == 1 && e.preds[0].fixed {
		// "$digits[$i + 1]": one evaluation, no copy.
		index, all, err := x.fixedPred(e.preds[0], focus{it: s.At(0), pos: 1, size: s.n})
		switch {
		case err != nil:
			return Empty, err
		case index > 0 && index <= int64(s.n):
			return Single(s.At(int(index - 1))), nil
		case index > 0 || !all:
			return Empty, nil
		}
		return s, nil
	}
	items, err := x.applyPreds(e.preds, append([]Item(nil), s.Items()...))
	if err != nil {
		return Empty, err
	}
	return SeqOf(items), nil
}
