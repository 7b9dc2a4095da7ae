package cen

import "github.com/ehf-project/ehf/internal/xmltree"

// kidIndex lists one element's child elements grouped by name, each group
// in document order, for the document element: rules ask it for its
// children by name many times. It is xmltree.ChildIndex made into arrays
// that the evaluator keeps from check to check, so that a check allocates
// nothing for it.
type kidIndex struct {
	start []int32 // by NameID: where its children start in all; one more at the end
	all   []node
	kids  []node // the children in document order, while building
}

// build indexes the child elements of n, a counting sort by NameID.
func (x *kidIndex) build(d *xmltree.Document, n node) {
	kids := x.kids[:0]
	top := xmltree.NameID(-1)
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) == xmltree.ElementNode {
			kids = append(kids, c)
			top = max(top, d.NameID(c))
		}
	}
	x.kids = kids
	// Counts sit two slots ahead of their name so that after placing,
	// start[id] is where id begins.
	start := resize(x.start, int(top)+3)
	for _, c := range kids {
		start[d.NameID(c)+2]++
	}
	for k := 2; k < len(start); k++ {
		start[k] += start[k-1]
	}
	all := resize(x.all, len(kids))
	for _, c := range kids {
		id := d.NameID(c)
		all[start[id+1]] = c
		start[id+1]++
	}
	x.start, x.all = start[:top+2], all
}

// Named returns the children named id, nil when there are none. The slice
// is shared and full: appending to it copies.
func (x *kidIndex) Named(id xmltree.NameID) []node {
	if id < 0 || int(id)+1 >= len(x.start) {
		return nil
	}
	a, b := x.start[id], x.start[id+1]
	if a == b {
		return nil
	}
	return x.all[a:b:b]
}
