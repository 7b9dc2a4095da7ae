package xmltree

import "sync"

// elemIndex lists every element of a document grouped by name, built on
// first use. Both rule packs ask for "all elements named X" many times per
// document; one counting sort answers them all in constant time afterwards.
type elemIndex struct {
	once  sync.Once
	start []NodeID // by NameID: where its elements start in all; start[len(names)] = len(all)
	all   []NodeID // element IDs grouped by NameID, each group in document order
}

// Elements returns every element named id in document order, nil when there
// is none. The slice is shared by all callers: do not write to it.
//
// The index behind it is built once per Document, on the first call, in one
// pass over the nodes with one backing array; later calls (from any
// goroutine) only slice it.
func (d *Document) Elements(id NameID) []NodeID {
	x := d.elemIndex()
	if id < 0 || int(id)+1 >= len(x.start) {
		return nil
	}
	a, b := x.start[id], x.start[id+1]
	if a == b {
		return nil
	}
	return x.all[a:b:b]
}

// ElementCount is the number of elements in the document (built with the
// index behind Elements).
func (d *Document) ElementCount() int { return len(d.elemIndex().all) }

func (d *Document) elemIndex() *elemIndex {
	x := d.elems
	x.once.Do(func() { x.build(d) })
	return x
}

// build sorts the element IDs by NameID, keeping document order within a
// name: count, prefix-sum, place, in two passes over the nodes (the counts
// are made on the stack for up to 254 names, then copied). The counts sit
// two slots ahead of their name so that after placing, start[id] is where
// id begins.
func (x *elemIndex) build(d *Document) {
	nodes := d.nodes
	names := len(d.names)
	var small [256]NodeID
	counts := small[:]
	if names+2 > len(counts) {
		counts = make([]NodeID, names+2)
	}
	counts = counts[:names+2]
	elements := 0
	for i := range nodes {
		if nodes[i].kind() == ElementNode {
			counts[nodes[i].name()+2]++
			elements++
		}
	}
	buf := make([]NodeID, names+2+elements) // counts and IDs share one array
	start, all := buf[:names+2:names+2], buf[names+2:]
	copy(start, counts)
	for k := 2; k < len(start); k++ {
		start[k] += start[k-1]
	}
	for i := range nodes {
		if nodes[i].kind() == ElementNode {
			id := nodes[i].name()
			all[start[id+1]] = NodeID(i)
			start[id+1]++
		}
	}
	x.start = start[:names+1]
	x.all = all
}
