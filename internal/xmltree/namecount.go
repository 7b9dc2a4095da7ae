package xmltree

// NameCount is the number of distinct element and attribute names in the
// document: its NameIDs are 0 to NameCount()-1. Packs that match their
// own names against a document's go through them once.
func (d *Document) NameCount() int { return len(d.names) }
