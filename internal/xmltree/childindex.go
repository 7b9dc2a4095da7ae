package xmltree

// ChildIndex lists one node's child elements grouped by name, each group
// in document order, in one backing array. Rules ask the document element
// for its children by name many times; this answers each in constant time.
type ChildIndex struct {
	start []NodeID // by NameID: where its children start in all; one more at the end
	all   []NodeID
}

// IndexChildren builds the ChildIndex of node n: a counting sort of its
// child elements by NameID, with one backing array.
func (d *Document) IndexChildren(n NodeID) *ChildIndex {
	nodes := d.nodes
	end := nodes[n].end
	var top NameID = -1
	total := 0
	for c := n + 1; c < end; c = nodes[c].end {
		if nodes[c].kind() == ElementNode {
			top = max(top, nodes[c].name())
			total++
		}
	}
	// Counts sit two slots ahead of their name so that after placing,
	// start[id] is where id begins (as in the element index).
	x := &ChildIndex{}
	buf := make([]NodeID, int(top)+3+total)
	start, all := buf[:top+3:top+3], buf[top+3:]
	for c := n + 1; c < end; c = nodes[c].end {
		if nodes[c].kind() == ElementNode {
			start[nodes[c].name()+2]++
		}
	}
	for k := 2; k < len(start); k++ {
		start[k] += start[k-1]
	}
	for c := n + 1; c < end; c = nodes[c].end {
		if nodes[c].kind() == ElementNode {
			id := nodes[c].name()
			all[start[id+1]] = c
			start[id+1]++
		}
	}
	x.start, x.all = start[:top+2], all
	return x
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
