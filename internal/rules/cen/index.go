package cen

import (
	"slices"
	"strings"
	"sync"

	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Every rule of the pack runs on the same document in turn, and many look
// for the same elements anywhere in it. The document lists the elements of
// each name once (xmltree.Document.Elements, shared with the Peppol pack);
// the pack's index maps the names it uses to the document's name IDs, once
// per check.

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

// index maps the pack's names to one document's NameIDs; the element
// lists themselves are the document's (xmltree.Document.Elements).
type index struct {
	ids []xmltree.NameID // by qname.id: the document's NameID, or -1
}

// buildIndex fills idx for d, reusing its list.
func buildIndex(d *xmltree.Document, idx *index) {
	names.Lock()
	idx.ids = resize(idx.ids, int(names.n)+1)
	for i := range idx.ids {
		idx.ids[i] = -1
	}
	for id := xmltree.NameID(0); int(id) < d.NameCount(); id++ {
		if len(d.Elements(id)) == 0 {
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
	return e.d.Elements(e.nameID(q))
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
	for id := xmltree.NameID(0); int(id) < e.d.NameCount(); id++ {
		if len(e.d.Elements(id)) == 0 || !match(e.d.NameOf(id).Local) {
			continue
		}
		out = append(out, e.d.Elements(id)...)
		groups++
	}
	if groups > 1 {
		slices.Sort(out)
	}
	return out
}
