package xmltree

// ChildIndex lists one node's child elements grouped by name, each group
// in document order, in one backing array. Rules ask the document element
// for its children by name many times; this answers each in constant time.
type ChildIndex struct {
	start []int32 // by NameID: where its children start in all; one more at the end
	all   []NodeID
}

// IndexChildren builds the ChildIndex of node n.
func (d *Document) IndexChildren(n NodeID) *ChildIndex {
	var top NameID = -1
	total := 0
	for c := range d.Children(n) {
		if d.Kind(c) == ElementNode {
			top = max(top, d.NameID(c))
			total++
		}
	}
	start := make([]int32, top+2)
	for c := range d.Children(n) {
		if d.Kind(c) == ElementNode {
			start[d.NameID(c)+1]++
		}
	}
	for id := 1; id < len(start); id++ {
		start[id] += start[id-1]
	}
	all := make([]NodeID, total)
	fill := make([]int32, top+1)
	copy(fill, start)
	for c := range d.Children(n) {
		if d.Kind(c) == ElementNode {
			id := d.NameID(c)
			all[fill[id]] = c
			fill[id]++
		}
	}
	return &ChildIndex{start: start, all: all}
}

// Named returns the children named id, nil when there are none. The slice
// is shared: do not write to it.
func (x *ChildIndex) Named(id NameID) []NodeID {
	if id < 0 || int(id)+1 >= len(x.start) {
		return nil
	}
	a, b := x.start[id], x.start[id+1]
	if a == b {
		return nil
	}
	return x.all[a:b:b]
}
