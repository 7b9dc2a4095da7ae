package cen

import (
	"slices"
	"strings"
	"sync"

	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Every rule of the pack runs on the same document in turn, and many look
// for the same elements anywhere in it. An index, made in one pass the
// first time a rule asks and shared by the others, lists the elements of
// each name in document order, and maps the names the pack uses to the
// document's name IDs. It is kept in the check's rule.Context, and goes
// with it.

// The names the pack uses get small numbers, so that a document's index
// resolves them by position.
var names struct {
	sync.Mutex
	ids     map[[2]string]int32
	byLocal map[string][]qname // the same, by local name: a document's names are matched on it without hashing their namespace
	n       int32
}

// mk is a qualified name with its number.
func mk(space, local string) qname {
	k := [2]string{space, local}
	names.Lock()
	defer names.Unlock()
	if names.ids == nil {
		names.ids = map[[2]string]int32{}
		names.byLocal = map[string][]qname{}
	}
	id, ok := names.ids[k]
	if !ok {
		names.n++
		id = names.n
		names.ids[k] = id
		names.byLocal[local] = append(names.byLocal[local], qname{space: space, local: local, id: id})
	}
	return qname{space: space, local: local, id: id}
}

// index is one document's element lists.
type index struct {
	start []int32          // by the document's NameID: where its elements start in all; one more at the end
	all   []node           // every element, grouped by name, each group in document order
	ids   []xmltree.NameID // by qname.id: the document's NameID, or -1
	fill  []int32          // scratch of buildIndex
}

// byName lists the elements with NameID id (shared: do not write).
func (x *index) byName(id xmltree.NameID) []node {
	if id < 0 || int(id)+1 >= len(x.start) {
		return nil
	}
	a, b := x.start[id], x.start[id+1]
	return x.all[a:b:b]
}

// buildIndex fills idx for d, reusing its lists.
func buildIndex(d *xmltree.Document, idx *index) {
	r := d.Root()
	if r == none {
		idx.start, idx.all, idx.ids = idx.start[:0], idx.all[:0], idx.ids[:0]
		return
	}
	// Two passes: count the elements of each name, then place them in one
	// backing array (few allocations, whatever the document).
	var max xmltree.NameID = -1
	for i := r; i < d.End(r); i++ {
		if d.Kind(i) == xmltree.ElementNode && d.NameID(i) > max {
			max = d.NameID(i)
		}
	}
	start := resize(idx.start, int(max)+2)
	total := 0
	for i := r; i < d.End(r); i++ {
		if d.Kind(i) == xmltree.ElementNode {
			start[d.NameID(i)+1]++
			total++
		}
	}
	for id := 1; id < len(start); id++ {
		start[id] += start[id-1]
	}
	all := resize(idx.all, total)
	fill := resize(idx.fill, int(max)+1)
	copy(fill, start)
	for i := r; i < d.End(r); i++ {
		if d.Kind(i) == xmltree.ElementNode {
			id := d.NameID(i)
			all[fill[id]] = i
			fill[id]++
		}
	}
	idx.start, idx.all, idx.fill = start, all, fill
	names.Lock()
	idx.ids = resize(idx.ids, int(names.n)+1)
	for i := range idx.ids {
		idx.ids[i] = -1
	}
	for id := xmltree.NameID(0); id <= max; id++ {
		if start[id] == start[id+1] {
			continue
		}
		nm := d.NameOf(id)
		for _, q := range names.byLocal[nm.Local] {
			if q.space == nm.Space {
				idx.ids[q.id] = id
			}
		}
	}
	names.Unlock()
}

// resize is s with length n and every element zero, reusing its array.
func resize[T any](s []T, n int) []T {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// nameID is the document's ID of element name q, or -1 when no element
// has it.
func (e *ev) nameID(q qname) xmltree.NameID {
	if q.id > 0 && int(q.id) < len(e.idx.ids) {
		return e.idx.ids[q.id]
	}
	return e.d.Lookup(q.space, q.local)
}

// elements lists every element named q in document order. The slice is
// shared: callers must not change it (appending copies it).
func (e *ev) elements(q qname) []node {
	return e.idx.byName(e.nameID(q))
}

// paths are compiled once per path string.
var paths sync.Map // string -> path

// listStrings are the code lists as the official tests hold them.
var listStrings sync.Map // [2]any{release, id} -> string

func listString(rel string, id codelist.ID) string {
	k := [2]any{rel, id}
	if v, ok := listStrings.Load(k); ok {
		return v.(string)
	}
	s := " " + strings.Join(codelist.Get(id).Version(rel).Codes, " ") + " "
	listStrings.Store(k, s)
	return s
}

// withLocal lists, in document order, the elements whose local name
// satisfies match, in any namespace. Each name of the document is tried
// once, not each element.
func (e *ev) withLocal(match func(local string) bool) []node {
	var out []node
	groups := 0
	for id := xmltree.NameID(0); int(id)+1 < len(e.idx.start); id++ {
		if e.idx.start[id] == e.idx.start[id+1] || !match(e.d.NameOf(id).Local) {
			continue
		}
		out = append(out, e.idx.byName(id)...)
		groups++
	}
	if groups > 1 {
		slices.Sort(out)
	}
	return out
}
