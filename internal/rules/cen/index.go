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

// index maps the pack's names to one document's NameIDs and element
// lists, as they are asked for. An entry is good for the check whose gen
// it has, so that a new check need not clear them.
type index struct {
	gen  uint32
	ents []nameEnt // by qname.id
	used []int32   // the entries this check filled (see release)
}

type nameEnt struct {
	gen uint32
	id  xmltree.NameID // the document's ID, -1 for none
	els []node         // the elements with that name (xmltree.Document.Elements)
}

// reset readies idx for another document.
func (idx *index) reset() {
	idx.gen++
	if idx.gen == 0 { // wrapped: no entry may look current
		clear(idx.ents)
		idx.gen = 1
	}
	if n := int(names.n.Load()) + 1; len(idx.ents) < n {
		idx.ents = append(idx.ents, make([]nameEnt, n-len(idx.ents))...)
	}
}

// release lets go of the document's element lists.
func (idx *index) release() {
	for _, q := range idx.used {
		idx.ents[q].els = nil
	}
	idx.used = idx.used[:0]
}

// resize is s with length n and every element zero, reusing its array.
func resize[T any](s []T, n int) []T {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// ent is the entry of q, filled for this check.
func (e *ev) ent(q qname) *nameEnt {
	idx := e.idx
	if q.id <= 0 || int(q.id) >= len(idx.ents) {
		id := e.d.LookupKey(q.key)
		return &nameEnt{id: id, els: e.d.Elements(id)}
	}
	en := &idx.ents[q.id]
	if en.gen != idx.gen {
		id := e.d.LookupKey(q.key)
		*en = nameEnt{gen: idx.gen, id: id, els: e.d.Elements(id)}
		idx.used = append(idx.used, q.id)
	}
	return en
}

// nameID is the document's ID of element name q, or -1 when the document
// has no such name. (A name only attributes have gets an ID too, which no
// element has.)
func (e *ev) nameID(q qname) xmltree.NameID { return e.ent(q).id }

// elements lists every element named q in document order. The slice is
// shared: callers must not change it (appending copies it).
func (e *ev) elements(q qname) []node { return e.ent(q).els }

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
