package cen

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/invoice"
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
	ids   map[[2]string]int32
	n     atomic.Int32
	table atomic.Pointer[packTable] // every name so far (see packNames)
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
	return qname{space: space, local: local, id: id}
}

// packTable finds the number of a document's name. It is small, so that
// the look-ups of a check stay in the processor's first-level cache: an
// open-addressed table of slots (the hash's top half and the name's
// number), and the names by number to tell a match.
type packTable struct {
	slots []uint32 // hash>>16<<16 | number; 0 for an empty slot
	byID  []packName
	n     int32 // how many names it has
}

// packName is one of the pack's names as packTable knows it.
type packName struct {
	sp    int32 // index in packSpaces
	kind  uint8 // nameAmount, nameBinary or 0 (see index.amounts)
	local string
}

const (
	nameAmount = 1 + iota
	nameBinary
)

// nameKind is which of index's by-ending lists local belongs in.
func nameKind(l string) uint8 {
	switch {
	case strings.HasSuffix(l, "Amount") && !strings.HasSuffix(l, "PriceAmount"):
		return nameAmount
	case strings.HasSuffix(l, "BinaryObject"):
		return nameBinary
	}
	return 0
}

// packNames is the table of every name made so far, made anew when names
// have been added since (they all are when the pack's rules are made).
func packNames() *packTable {
	if t := names.table.Load(); t != nil && t.n == names.n.Load() {
		return t
	}
	names.Lock()
	defer names.Unlock()
	t := newPackTable(names.ids)
	names.table.Store(t)
	return t
}

// packSpaces are the namespaces of the pack's names (see prefixes).
var packSpaces = []string{invoice.NSCBC, invoice.NSCAC, invoice.NSEXT, invoice.NSInvoice, invoice.NSCreditNote}

func newPackTable(ids map[[2]string]int32) *packTable {
	size := 1
	for size < 4*len(ids) {
		size *= 2
	}
	if len(ids) >= 1<<16 {
		panic("cen: too many names")
	}
	t := &packTable{slots: make([]uint32, size), byID: make([]packName, len(ids)+1), n: int32(len(ids))}
	for k, id := range ids {
		sp := slices.Index(packSpaces, k[0])
		if sp < 0 {
			panic("cen: a name in an unknown namespace: " + k[0])
		}
		t.byID[id] = packName{sp: int32(sp), kind: nameKind(k[1]), local: k[1]}
		h := packHash(int32(sp), k[1])
		i := h & uint32(size-1)
		for t.slots[i] != 0 {
			i = (i + 1) & uint32(size-1)
		}
		t.slots[i] = h&^0xffff | uint32(id)
	}
	return t
}

// find is the number of the name (local in the namespace packSpaces[sp]),
// or -1.
func (t *packTable) find(sp int32, local string) int32 {
	h := packHash(sp, local)
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if s&^0xffff == h&^0xffff {
			if id := int32(s & 0xffff); t.byID[id].sp == sp && t.byID[id].local == local {
				return id
			}
		}
	}
}

// packHash mixes the namespace's position, the length and the local name
// (see mixLocal).
func packHash(sp int32, s string) uint32 {
	return mixLocal(uint64(len(s))|uint64(sp)<<32, s)
}

// index maps the pack's names to one document's NameIDs and element
// lists.
type index struct {
	ids  []xmltree.NameID // by qname.id: the document's ID + 1 (0: the document has no such name)
	qs   []int32          // by the document's NameID: the pack's number, -1 for none
	els  [][]node         // by qname.id: the elements with that name, once asked (see elements)
	has  []bool           // by qname.id: els is filled
	used []int32          // the names whose els this check filled (see release)
	// The document's names ending in Amount (but not PriceAmount), and in
	// BinaryObject.
	amounts, binaries []xmltree.NameID
}

// bind readies idx for document d: each of the document's names is looked
// up once (most documents have a hundred or so; the pack knows some 350).
func (idx *index) bind(d *xmltree.Document) {
	n := int(names.n.Load()) + 1
	idx.ids = resize(idx.ids, n)
	if len(idx.els) < n {
		idx.els = append(idx.els, make([][]node, n-len(idx.els))...)
		idx.has = append(idx.has, make([]bool, n-len(idx.has))...)
	}
	idx.qs = slices.Grow(idx.qs[:0], d.NameCount())[:d.NameCount()]
	idx.amounts, idx.binaries = idx.amounts[:0], idx.binaries[:0]
	t := packNames()
	// The document's namespaces are few, and its names share their
	// strings: each is compared with the pack's once.
	var seen [4]struct {
		p  uintptr // the string's address, only compared
		n  int
		sp int32
	}
	for id := range idx.qs {
		nm := d.NameOf(xmltree.NameID(id))
		sp := int32(-1)
		p := uintptr(unsafe.Pointer(unsafe.StringData(nm.Space)))
		found := false
		for i := range seen {
			if seen[i].p == p && seen[i].n == len(nm.Space) && p != 0 {
				sp, found = seen[i].sp, true
				break
			}
		}
		if !found && nm.Space != "" { // attributes' names have none
			sp = int32(slices.Index(packSpaces, nm.Space))
			copy(seen[1:], seen[:3])
			seen[0].p, seen[0].n, seen[0].sp = p, len(nm.Space), sp
		}
		q, kind := int32(-1), uint8(0)
		if sp >= 0 {
			q = t.find(sp, nm.Local)
		}
		idx.qs[id] = q
		if q > 0 {
			kind = t.byID[q].kind
			if int(q) < n {
				idx.ids[q] = xmltree.NameID(id) + 1
			}
		} else {
			kind = nameKind(nm.Local)
		}
		// UBL-DT-01 and -06/-07 look at names by their ending, in any
		// namespace.
		switch kind {
		case nameAmount:
			idx.amounts = append(idx.amounts, xmltree.NameID(id))
		case nameBinary:
			idx.binaries = append(idx.binaries, xmltree.NameID(id))
		}
	}
}

// release lets go of the document's element lists.
func (idx *index) release() {
	for _, q := range idx.used {
		idx.els[q], idx.has[q] = nil, false
	}
	idx.used = idx.used[:0]
}

// resize is s with length n and every element zero, reusing its array.
func resize[T any](s []T, n int) []T {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// nameID is the document's ID of element name q, or -1 when the document
// has no such name. (A name only attributes have gets an ID too, which no
// element has.) ids has an entry for every name made before the check
// began: the pack's names are all made when its rules are.
func (e *ev) nameID(q qname) xmltree.NameID {
	if uint(q.id) < uint(len(e.ids)) {
		return e.ids[q.id] - 1
	}
	return e.lateName(q)
}

// lateName is nameID of a name made after the check began.
//
//go:noinline
func (e *ev) lateName(q qname) xmltree.NameID { return e.d.Lookup(q.space, q.local) }

// elements lists every element named q in document order. The slice is
// shared: callers must not change it (appending copies it).
func (e *ev) elements(q qname) []node {
	if int(q.id) >= len(e.ids) || int(q.id) >= len(e.idx.has) {
		return e.d.Elements(e.lateName(q))
	}
	if e.idx.has[q.id] {
		return e.idx.els[q.id]
	}
	if e.ids[q.id] == 0 { // no such name in the document
		return nil
	}
	return e.findElements(q.id)
}

// findElements is elements the first time a check asks.
func (e *ev) findElements(q int32) []node {
	els := e.d.Elements(e.ids[q] - 1)
	e.idx.els[q], e.idx.has[q] = els, true
	e.idx.used = append(e.idx.used, q)
	return els
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

// elementsOf lists, in document order, the elements named any of ids.
func (e *ev) elementsOf(ids []xmltree.NameID) []node {
	groups := 0
	out := e.gather(func(out []node) []node {
		for _, id := range ids {
			if els := e.d.Elements(id); len(els) > 0 {
				out = append(out, els...)
				groups++
			}
		}
		return out
	})
	if groups > 1 {
		slices.Sort(out)
	}
	return out
}
