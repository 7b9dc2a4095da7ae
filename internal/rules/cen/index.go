package cen

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Every rule of the pack runs on the same document, and many look for the
// same elements anywhere in it. The document lists the elements of each
// name once (xmltree.Document.Elements, shared with the Peppol pack); the
// pack resolves each of its names to the document's name ID when a rule
// first asks, once per check.

// The names the pack uses get small numbers, so that a check keeps their
// IDs by position.
var names struct {
	sync.Mutex
	ids map[[2]string]int32
	n   atomic.Int32
}

// mk is a qualified name with its number.
func mk(space, local string) qname {
	k := [2]string{space, local}
	names.Lock()
	defer names.Unlock()
	if names.ids == nil {
		names.ids = map[[2]string]int32{}
	}
	id, ok := names.ids[k]
	if !ok {
		id = names.n.Add(1)
		names.ids[k] = id
	}
	return qname{space: space, local: local, id: id, key: xmltree.NewNameKey(space, local)}
}

// index maps the pack's names to one document's NameIDs, as they are
// asked for.
type index struct {
	ids []xmltree.NameID // by qname.id: 0 not asked yet, else the document's NameID + 2 (1: the document has no such name)
}

// reset readies idx for another document, reusing its list.
func (idx *index) reset() {
	idx.ids = resize(idx.ids, int(names.n.Load())+1)
}

// resize is s with length n and every element zero, reusing its array.
func resize[T any](s []T, n int) []T {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// nameID is the document's ID of element name q, or -1 when the document
// has no such name. (A name only attributes have gets an ID too, which no
// element has.)
func (e *ev) nameID(q qname) xmltree.NameID {
	if q.id > 0 && int(q.id) < len(e.idx.ids) {
		if v := e.idx.ids[q.id]; v != 0 {
			return v - 2
		}
		id := e.d.LookupKey(q.key)
		e.idx.ids[q.id] = id + 2
		return id
	}
	return e.d.LookupKey(q.key)
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
