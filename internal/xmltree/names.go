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
func hashName(space, local string) uint32 {
	h := uint32(2166136261) ^ uint32(len(space))
	for i := max(0, len(space)-6); i < len(space); i++ {
		h = (h ^ uint32(space[i])) * 16777619
	}
	h = (h ^ 0xff) * 16777619
	for i := 0; i < len(local); i++ {
		h = (h ^ uint32(local[i])) * 16777619
	}
	return h
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
