package xpath

import (
	"slices"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Some 130 CEN rules on the invoice element test that a line element is
// not used: not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Delivery). Read
// forwards, each visits every child of every line. When the document has
// only a few elements of the last name under the context node, they are
// found in the document's index of elements by name and their ancestors
// are checked instead.

// upPath is a path of child name steps, the first possibly a union of
// names, read from its end: names[i] are the names step i accepts.
type upPath struct {
	names [][]int32
}

// upMinNodes is the size of the context's subtree from which a path is
// read from its end; in smaller ones the forward walk is as cheap (a
// variable for tests).
var upMinNodes = 256

// A last-step element costs a climb of a few parents; the forward walk
// costs a look at every child of every element the first step selects.
// The climb is taken for at most upMaxHits last-step elements under the
// context, or for fewer than two per first-step element (the item name
// cbc:Name of every line, for
// (cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cac:OriginCountry/cbc:Name;
// not every cbc:ID for cac:AccountingSupplierParty/cac:Party/cbc:ID).
const upMaxHits = 16

// upNames returns a's steps as an upPath, or nil when a is not a relative
// path of at least two child name steps without predicates (the first may
// be a union of such steps).
func (s *Scope) upNames(a *aPath) *upPath {
	if a.root != 0 || len(a.steps) < 2 {
		return nil
	}
	var names [][]int32
	for i, st := range a.steps {
		if st.desc || len(st.preds) > 0 {
			return nil
		}
		var set []int32
		switch {
		case st.expr == nil:
			n, ok := s.childName(st)
			if !ok {
				return nil
			}
			set = []int32{n}
		case i == 0:
			var ok bool
			if set, ok = s.unionNames(st.expr, nil); !ok {
				return nil
			}
		default:
			return nil
		}
		names = append(names, set)
	}
	return &upPath{names: names}
}

// childName is the compiler name of a child step with a name test.
func (s *Scope) childName(st *aStep) (int32, bool) {
	if st.expr != nil || st.desc || len(st.preds) > 0 || st.axis != axChild || st.test.kind != testName {
		return 0, false
	}
	t := st.test
	if err := s.resolveTest(&t, st.p); err != nil {
		return 0, false
	}
	return t.name, true
}

// unionNames collects the names of a union of single child name steps.
func (s *Scope) unionNames(a ast, out []int32) ([]int32, bool) {
	switch a := a.(type) {
	case *aBinary:
		if a.op != opUnion {
			return nil, false
		}
		var ok bool
		if out, ok = s.unionNames(a.l, out); !ok {
			return nil, false
		}
		return s.unionNames(a.r, out)
	case *aPath:
		if a.root != 0 || len(a.steps) != 1 {
			return nil, false
		}
		return s.unionNames(a.steps[0], out)
	case *aStep:
		n, ok := s.childName(a)
		if !ok {
			return nil, false
		}
		return append(out, n), true
	}
	return nil, false
}

// upFind reports whether path u selects anything from element ctx; ok is
// false when the forward walk should answer instead.
func (x *Context) upFind(u *upPath, ctx xmltree.NodeID) (found, ok bool) {
	d := x.d
	end := d.End(ctx)
	if int(end-ctx) < upMinNodes {
		return false, false
	}
	last := u.names[len(u.names)-1]
	hits := x.upCount(last, ctx, end)
	if hits > upMaxHits && hits >= 2*x.upCount(u.names[0], ctx, end) {
		return false, false
	}
	for _, nm := range last {
		id := x.id(nm)
		if id < 0 {
			continue
		}
		all := x.named(id)
		i, _ := slices.BinarySearch(all, ctx+1)
		for ; i < len(all) && all[i] < end; i++ {
			if x.upChain(u, all[i]) == ctx {
				return true, true
			}
		}
	}
	return false, true
}

// upCount is the number of elements with one of the names in (ctx, end).
func (x *Context) upCount(names []int32, ctx, end xmltree.NodeID) int {
	n := 0
	for _, nm := range names {
		if id := x.id(nm); id >= 0 {
			all := x.named(id)
			i, _ := slices.BinarySearch(all, ctx+1)
			j, _ := slices.BinarySearch(all, end)
			n += j - i
		}
	}
	return n
}

// upChain climbs from n, a last-step element, through the names of the
// steps before it, and returns the node the path would start from (None
// when a name does not fit).
func (x *Context) upChain(u *upPath, n xmltree.NodeID) xmltree.NodeID {
	d := x.d
	p := n
	for i := len(u.names) - 2; i >= 0; i-- {
		p = d.Parent(p)
		if p == xmltree.None || d.Kind(p) != xmltree.ElementNode {
			return xmltree.None
		}
		fits := false
		for _, nm := range u.names[i] {
			if id := x.id(nm); id >= 0 && d.NameID(p) == id {
				fits = true
				break
			}
		}
		if !fits {
			return xmltree.None
		}
	}
	return d.Parent(p)
}
