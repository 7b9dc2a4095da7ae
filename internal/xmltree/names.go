package xmltree

import "encoding/binary"

// nameTable interns expanded names. It is an open-addressing hash table of
// NameIDs: cheaper to build per document than a Go map, which matters
// because a small invoice has about one distinct name per two elements.
type nameTable struct {
	slots []int32 // NameID+1; 0 is empty
	used  int
}

// hashName mixes the local name with only the length and tail of the
// namespace URI: URIs are long and few, and UBL's differ in their last
// characters, so this spreads names as well as hashing the whole URI would.
// It takes eight bytes at a step: every look-up of a name pays for it.
func hashName(space, local string) uint32 {
	const m = 0x9E3779B97F4A7C15
	h := uint64(len(space))<<32 ^ uint64(len(local))
	if n := len(space); n >= 8 {
		h = (h ^ load64(space[n-8:])) * m
	} else {
		h = (h ^ loadTail(space)) * m
	}
	for len(local) >= 8 {
		h = (h ^ load64(local)) * m
		h ^= h >> 29
		local = local[8:]
	}
	h = (h ^ loadTail(local)) * m
	h ^= h >> 32
	return uint32(h)
}

// load64 reads the first eight bytes of s, little-endian.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// loadTail packs the fewer than eight bytes of s, with a marker bit so
// that trailing zero bytes still count.
func loadTail(s string) uint64 {
	v := uint64(1)
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// nameRec is an interned name as spans, so that the table of names holds
// no pointers: nothing for the collector to scan, no write barriers while
// it is filled. The prefix is written just before the local name and a
// colon.
type nameRec struct {
	space, spaceN uint32 // the namespace URI: a span like a text node's, or xmlSpace
	local, localN uint32 // in the input
	prefixN       uint32
}

// xmlSpace is the span start of the namespace bound to the prefix xml,
// which is not in the input.
const xmlSpace = ^uint32(0)

// nameSpace is the namespace URI of name id.
func (d *Document) nameSpace(id NameID) string {
	r := &d.names[id]
	if r.space == xmlSpace {
		return xmlNamespace
	}
	return d.span(r.space, r.spaceN)
}

// nameLocal is the local part of name id.
func (d *Document) nameLocal(id NameID) string {
	r := &d.names[id]
	return d.span(r.local, r.localN)
}

func (t *nameTable) find(d *Document, space, local string) (NameID, int) {
	return t.findHash(d, space, local, hashName(space, local))
}

// findHash is find with the hash of the name already computed. It returns
// the name's ID, or -1 and the empty slot where the name would go.
func (t *nameTable) findHash(d *Document, space, local string, h uint32) (NameID, int) {
	if len(t.slots) == 0 {
		return -1, -1
	}
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, i
		}
		id := NameID(s - 1)
		if r := &d.names[id]; int(r.localN) == len(local) && d.nameLocal(id) == local && d.nameSpace(id) == space {
			return id, i
		}
	}
}

// addAt inserts name id at slot, the empty slot findHash returned for it,
// unless the table must grow first.
func (t *nameTable) addAt(d *Document, id NameID, slot int) {
	if slot < 0 || (t.used+1)*2 > len(t.slots) {
		t.add(d, id)
		return
	}
	t.slots[slot] = int32(id) + 1
	t.used++
}

// add inserts name id, which must not be present yet.
func (t *nameTable) add(d *Document, id NameID) {
	if (t.used+1)*2 > len(t.slots) {
		size := 64
		for size < (t.used+1)*4 {
			size *= 2
		}
		t.slots = make([]int32, size)
		t.used = 0
		for j := range id {
			t.insert(d, j)
		}
	}
	t.insert(d, id)
}

func (t *nameTable) insert(d *Document, id NameID) {
	mask := len(t.slots) - 1
	i := int(hashName(d.nameSpace(id), d.nameLocal(id))) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = int32(id) + 1
	t.used++
}

// qnameHash is a cheap hash of a qualified name as written, for the
// parser's name cache: the first and last eight bytes and the length
// tell apart the names of an invoice, and a collision costs only a miss.
func qnameHash(q []byte) uint32 {
	const m1, m2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
	n := len(q)
	var a, b uint64
	switch {
	case n >= 8:
		a, b = binary.LittleEndian.Uint64(q), binary.LittleEndian.Uint64(q[n-8:])
	case n >= 4:
		a, b = uint64(binary.LittleEndian.Uint32(q)), uint64(binary.LittleEndian.Uint32(q[n-4:]))
	default:
		for _, c := range q {
			a = a<<8 | uint64(c)
		}
	}
	h := (a*m1 ^ b ^ uint64(n)) * m2
	return uint32(h >> 32)
}

// NameKey is an expanded name with its hash worked out in advance, for
// callers that look up the same names in every document: a model reader
// or a compiled rule makes its keys once and then pays only for the probe.
type NameKey struct {
	space, local string
	h            uint32
}

// NewNameKey makes the key of {space}local.
func NewNameKey(space, local string) NameKey {
	return NameKey{space: space, local: local, h: hashName(space, local)}
}

// LookupKey is Lookup for a name made into a key beforehand.
func (d *Document) LookupKey(k NameKey) NameID {
	id, _ := d.byName.findHash(d, k.space, k.local, k.h)
	return id
}
