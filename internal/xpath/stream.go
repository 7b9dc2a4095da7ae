package xpath

import (
	"errors"
	"sort"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Most paths in rule files are a few child steps from the context node
// ("cac:Party/cac:PartyTaxScheme/cbc:CompanyID"). For such paths nested
// loops yield the result in document order without duplicates, so they are
// evaluated without the intermediate node lists of the general algorithm,
// and a caller that needs only the first item stops there.

// streamable reports whether a path's result comes out of nested loops in
// document order without duplicates: the node set before each step must
// hold at most one node for the parent and descendant axes (descendants
// of one node are checked at run time for nested matches, whose children
// would come out of order), and an expression step may come first (its
// nodes are checked at run time to be in order and not nested) or last;
// no predicate may use last().
func (p *pathE) streamable() bool {
	single := true // the nodes before this step are at most one
	for i, st := range p.steps {
		for _, pr := range st.preds {
			if pr.usesLast {
				return false
			}
		}
		if st.expr != nil {
			switch {
			case i == len(p.steps)-1:
			case i == 0:
				single = false
			default:
				return false
			}
			continue
		}
		switch st.axis {
		case axChild, axAttribute:
			single = false
		case axSelf:
		case axParent:
			if !single {
				return false
			}
		case axAncestor, axAncestorOrSelf:
			// The ancestors of one node come nearest first: the path's
			// nodes are sorted afterwards (pathE.rev), which atomic
			// values of a last expression step could not be.
			if !single || p.steps[len(p.steps)-1].expr != nil {
				return false
			}
			single = false
			p.rev = true
		case axDescendant, axDescendantOrSelf, axDescAttr:
			if !single {
				return false
			}
			single = false
		default:
			return false
		}
	}
	return true
}

// collector receives a streamed path's items.
type collector struct {
	first bool // stop after one item
	done  bool
	n     int
	one   Item
	many  []Item
	nodes int    // items from an expression step that are nodes
	hint  int    // the number of items expected, for the first allocation
	buf   []Item // memory to collect into, when it has room for hint items

	// A general comparison with a string literal (path = 'AE') keeps no
	// items: it compares each node's string value as it comes and stops
	// at the first that fits.
	cmp   *Context // set: compare with lit instead of keeping items
	lit   string
	o     op
	found bool // a node's string value fits
	other bool // an item that is not a node: the comparison must decide
}

func (c *collector) add(it Item) {
	if c.cmp != nil {
		c.compare(it)
		return
	}
	switch c.n {
	case 0:
		c.one = it
	case 1:
		if cap(c.buf) >= max(8, c.hint) {
			c.many = append(c.buf[:0], c.one, it)
		} else {
			c.many = make([]Item, 2, max(8, c.hint))
			c.many[0], c.many[1] = c.one, it
		}
	default:
		c.many = append(c.many, it)
	}
	c.n++
	if c.first {
		c.done = true
	}
}

func (c *collector) compare(it Item) {
	if c.done {
		return
	}
	if it.k != KNode && it.k != KAttr {
		c.other, c.done = true, true
		return
	}
	if cmpResult(strings.Compare(c.cmp.str(it), c.lit), c.o) {
		c.found, c.done = true, true
	}
}

func (c *collector) seq() Seq {
	if c.n <= 1 {
		return Seq{n: c.n, one: c.one}
	}
	return Seq{n: c.n, many: c.many}
}

// errNested stops streaming when a descendant step finds a match inside
// another match, whose children would come out of order.
var errNested = errors.New("nested descendant matches")

// stream evaluates a streamable path into c.
func (x *Context) stream(p *pathE, f focus, c *collector) error {
	var start Item
	switch {
	case p.root:
		if f.pos == 0 {
			return dynErr("XPDY0002", "there is no context node for '/'")
		}
		start = nodeItem(0)
	case len(p.steps) > 0 && p.steps[0].expr != nil:
		// The path starts with an expression ($cat/cbc:ID), evaluated
		// with the path's own focus.
	case f.pos == 0:
		return dynErr("XPDY0002", "there is no context item for the path")
	default:
		start = f.it
		if !start.IsNode() {
			return dynErr("XPTY0019", "a path step cannot start from the %s value %s", start.k, quote(atomString(start)))
		}
	}
	if len(p.steps) == 0 {
		c.add(start)
		return nil
	}
	st := p.steps[0]
	if st.expr == nil {
		return x.walk(p.steps, start, c)
	}
	fs := f
	if p.root {
		fs = focus{it: start, pos: 1, size: 1}
	}
	v, err := st.expr.eval(x, fs)
	if err != nil {
		return err
	}
	items := v.Items()
	if len(st.preds) > 0 {
		if items, err = x.applyPreds(st.preds, append([]Item(nil), items...)); err != nil {
			return err
		}
	}
	if len(p.steps) == 1 {
		for _, it := range items {
			if it.IsNode() {
				c.nodes++
			}
			c.add(it)
			if c.done {
				break
			}
		}
		return nil
	}
	// Several start nodes: they must be in document order, none inside
	// another.
	prevEnd := xmltree.NodeID(-1)
	for _, it := range items {
		if it.k != KNode {
			if it.k == KAttr {
				return errNested
			}
			return dynErr("XPTY0019", "a path step cannot start from the %s value %s", it.k, quote(atomString(it)))
		}
		n := xmltree.NodeID(it.n)
		if n < prevEnd {
			return errNested
		}
		prevEnd = x.d.End(n)
	}
	for _, it := range items {
		if c.done {
			break
		}
		if err := x.walk(p.steps[1:], it, c); err != nil {
			return err
		}
	}
	return nil
}

// walk applies steps[0] to it and the rest to each result.
func (x *Context) walk(steps []*stepE, it Item, c *collector) error {
	st := steps[0]
	last := len(steps) == 1
	if st.expr != nil {
		s, err := st.expr.eval(x, focus{it: it, pos: 1, size: 1})
		if err != nil {
			return err
		}
		if len(st.preds) > 0 {
			items, err := x.applyPreds(st.preds, append([]Item(nil), s.Items()...))
			if err != nil {
				return err
			}
			s = SeqOf(items)
		}
		for i := 0; i < s.n && !c.done; i++ {
			r := s.At(i)
			if r.IsNode() {
				c.nodes++
			}
			c.add(r)
		}
		return nil
	}
	if len(st.preds) > 0 && st.preds[0].eq != nil && x.eqNone(st) {
		return nil
	}
	var counts [4]int
	var fixed [4]int64 // for a fixed predicate: the index it selects, 0 all, -1 none
	if len(st.preds) > len(counts) {
		return errNested // too many predicates to count positions for: use the general path
	}
	emit := func(cand Item) error {
		if len(st.preds) > 0 {
			for k, pr := range st.preds {
				counts[k]++
				if pr.fixed {
					// Evaluated when the first candidate reaches it, as
					// the reference engine would.
					if counts[k] == 1 {
						index, all, err := x.fixedPred(pr, focus{it: cand, pos: 1, size: 1})
						switch {
						case err != nil:
							return err
						case index > 0:
							fixed[k] = index
						case !all:
							fixed[k] = -1
						}
					}
					if fixed[k] != 0 && int64(counts[k]) != fixed[k] {
						return nil
					}
					continue
				}
				ok, err := x.predTrue(pr, cand, counts[k], 0)
				if err != nil || !ok {
					return err
				}
			}
		}
		if last {
			c.add(cand)
			return nil
		}
		return x.walk(steps[1:], cand, c)
	}
	d := x.d
	switch st.axis {
	case axChild:
		if it.k != KNode {
			return nil
		}
		r, ok := x.resolve(&st.test)
		if !ok {
			return nil
		}
		n := xmltree.NodeID(it.n)
		end := d.End(n)
		if r.t.kind == testName {
			if kids, ok := x.children(n, r.id); ok {
				if last && len(st.preds) == 0 && !c.first && c.n == 0 {
					c.hint = len(kids)
				}
				for _, ch := range kids {
					if c.done {
						break
					}
					if err := emit(nodeItem(ch)); err != nil {
						return err
					}
				}
				return nil
			}
			if len(st.preds) == 0 {
				// The common case, without the emit closure.
				for ch := n + 1; ch < end && !c.done; ch = d.End(ch) {
					if d.NameID(ch) == r.id && d.Kind(ch) == xmltree.ElementNode {
						if last {
							c.add(nodeItem(ch))
						} else if err := x.walk(steps[1:], nodeItem(ch), c); err != nil {
							return err
						}
					}
				}
				return nil
			}
			for ch := n + 1; ch < end && !c.done; ch = d.End(ch) {
				if d.NameID(ch) == r.id && d.Kind(ch) == xmltree.ElementNode {
					if err := emit(nodeItem(ch)); err != nil {
						return err
					}
				}
			}
			return nil
		}
		for ch := n + 1; ch < end && !c.done; ch = d.End(ch) {
			if x.element(&r, ch) {
				if err := emit(nodeItem(ch)); err != nil {
					return err
				}
			}
		}
	case axAttribute:
		if it.k != KNode {
			return nil
		}
		r, ok := x.resolve(&st.test)
		if !ok {
			return nil
		}
		n := xmltree.NodeID(it.n)
		if d.Kind(n) != xmltree.ElementNode {
			return nil
		}
		for i, a := range d.Attrs(n) {
			if c.done {
				break
			}
			if x.attr(&r, a) {
				if err := emit(attrItem(n, i)); err != nil {
					return err
				}
			}
		}
	case axSelf, axParent, axAncestor, axAncestorOrSelf:
		var buf [1]Item
		for _, cand := range x.axis(st.axis, &st.test, it, buf[:0]) {
			if err := emit(cand); err != nil {
				return err
			}
		}
	case axDescAttr:
		if it.k != KNode {
			return nil
		}
		r, ok := x.resolve(&st.test)
		if !ok {
			return nil
		}
		n := xmltree.NodeID(it.n)
		end := d.End(n)
		for e := n; e < end && !c.done; e++ {
			if d.Kind(e) != xmltree.ElementNode {
				continue
			}
			for i, a := range d.Attrs(e) {
				if c.done {
					break
				}
				if x.attr(&r, a) {
					if err := emit(attrItem(e, i)); err != nil {
						return err
					}
				}
			}
		}
	case axDescendant, axDescendantOrSelf:
		if it.k != KNode {
			if st.axis == axDescendantOrSelf && st.test.kind == testNode {
				return emit(it)
			}
			return nil
		}
		r, ok := x.resolve(&st.test)
		if !ok {
			return nil
		}
		n := xmltree.NodeID(it.n)
		end := d.End(n)
		prevEnd := xmltree.NodeID(-1)
		try := func(e xmltree.NodeID) error {
			if !last {
				if e < prevEnd {
					return errNested
				}
				prevEnd = d.End(e)
			}
			return emit(nodeItem(e))
		}
		if st.axis == axDescendantOrSelf && x.element(&r, n) {
			if err := try(n); err != nil {
				return err
			}
		}
		if r.t.kind == testName && len(st.preds) > 0 && st.preds[0].eq != nil && x.eqIndexed(st.preds[0].eq) {
			// Only the elements the index lets through.
			var buf [16]xmltree.NodeID
			for _, e := range x.eqRange(st.preds[0].eq, n, end, buf[:0]) {
				if c.done {
					break
				}
				if err := try(e); err != nil {
					return err
				}
			}
			return nil
		}
		if r.t.kind == testName {
			all := x.named(r.id)
			i := sort.Search(len(all), func(i int) bool { return all[i] > n })
			if last && len(st.preds) == 0 && !c.first && c.n == 0 {
				// //cac:ClassifiedTaxCategory: the list is allocated once.
				c.hint = sort.Search(len(all)-i, func(j int) bool { return all[i+j] >= end })
			}
			for ; i < len(all) && all[i] < end && !c.done; i++ {
				if err := try(all[i]); err != nil {
					return err
				}
			}
			return nil
		}
		for e := n + 1; e < end && !c.done; e++ {
			if x.element(&r, e) {
				if err := try(e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
