package xmltree

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

func (t *nameTable) find(names []Name, space, local string) (NameID, int) {
	if len(t.slots) == 0 {
		return -1, -1
	}
	mask := len(t.slots) - 1
	for i := int(hashName(space, local)) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, i
		}
		if n := names[s-1]; n.Local == local && n.Space == space {
			return NameID(s - 1), i
		}
	}
}

// add inserts names[id], which must not be present yet.
func (t *nameTable) add(names []Name, id NameID) {
	if (t.used+1)*2 > len(t.slots) {
		size := 64
		for size < (t.used+1)*4 {
			size *= 2
		}
		t.slots = make([]int32, size)
		t.used = 0
		for j := range id {
			t.insert(names, j)
		}
	}
	t.insert(names, id)
}

func (t *nameTable) insert(names []Name, id NameID) {
	mask := len(t.slots) - 1
	n := names[id]
	i := int(hashName(n.Space, n.Local)) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = int32(id) + 1
	t.used++
}
