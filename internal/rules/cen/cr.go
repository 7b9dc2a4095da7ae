package cen

//go:generate go run ./gen -shared ../../../../shared -out cr_table.go

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// crEntry is one UBL-CR rule of the table: the path (from the document
// element) that should not exist. Paths are written as in XPath: child
// steps, an optional leading // (anywhere), an optional first step of two
// alternatives in parentheses, and an optional final @attribute.
type crEntry struct {
	id      string
	flag    report.Flag
	path    string
	release string // "" for every release
}

// crPath is a compiled table path.
type crPath struct {
	anywhere bool
	first    []qname // alternatives for the first step
	rest     path
	attr     string // final attribute, "" for none
	attrKey  xmltree.NameKey
	attrK    int8 // attr's index in crAttrNames, -1 for none
}

func compileCR(s string) crPath {
	c := crPath{attrK: -1}
	if strings.HasPrefix(s, "//") {
		c.anywhere, s = true, s[2:]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		c.attr, s = s[i+1:], strings.TrimSuffix(s[:i], "/")
		c.attrKey = xmltree.NewNameKey("", c.attr)
		c.attrK = int8(slices.Index(crAttrNames[:], c.attrKey))
		if c.attrK < 0 {
			panic("cen: add " + c.attr + " to crAttrNames")
		}
	}
	if strings.HasPrefix(s, "(") {
		end := strings.Index(s, ")")
		for _, alt := range strings.Split(s[1:end], "|") {
			c.first = append(c.first, p(alt)[0])
		}
		s = strings.TrimPrefix(s[end+1:], "/")
	} else if s != "" {
		head, tail, _ := strings.Cut(s, "/")
		c.first = []qname{p(head)[0]}
		s = tail
	}
	if s != "" {
		c.rest = p(s)
	}
	return c
}

// exists reports whether the path has a node in the document.
func (c *crPath) exists(e *ev) bool {
	// A name that the document never uses cannot be matched: most
	// documents use none of these elements, and this answers at once.
	attr := xmltree.NameID(-1)
	if c.attr != "" {
		if attr = e.d.LookupKey(c.attrKey); attr < 0 {
			return false
		}
	}
	return c.search(e, attr)
}

// search is exists once the document is known to have the attribute
// name attr, if the path ends in one.
func (c *crPath) search(e *ev, attr xmltree.NameID) bool {
	last := qname{}
	switch {
	case len(c.rest) > 0:
		last = c.rest[len(c.rest)-1]
	case len(c.first) == 1:
		last = c.first[0]
	}
	if last.local != "" && e.nameID(last) < 0 {
		return false
	}
	// Any step whose name the document never uses ends the search too:
	// this spares a walk through every line for most line paths.
	for _, q := range c.rest {
		if e.nameID(q) < 0 {
			return false
		}
	}
	if len(c.first) == 0 { // //@attr
		return e.attrCount(c.attrKey, nil) > 0
	}
	found := false
	hit := func(n node) bool {
		if c.attr == "" || e.hasAttr(n, attr) {
			found = true
		}
		return !found
	}
	for _, f := range c.first {
		id := e.nameID(f)
		if id < 0 {
			continue
		}
		visit := func(s node) bool {
			if len(c.rest) == 0 {
				return hit(s)
			}
			return e.walk(s, c.rest, hit)
		}
		if c.anywhere {
			for _, s := range e.elements(f) {
				if !visit(s) {
					return true
				}
			}
		} else {
			// The index lists the few elements of this name; faster than
			// going through the root's children.
			for _, s := range e.elements(f) {
				if e.d.Parent(s) == e.root && !visit(s) {
					return true
				}
			}
		}
	}
	return found
}

// crPaths are the table's paths, compiled once.
var crPaths = func() []crPath {
	out := make([]crPath, len(crTable))
	for i, t := range crTable {
		out[i] = compileCR(t.path)
	}
	return out
}()

// The paths that start at the document element are merged into a tree of
// steps, so that one walk over the document answers all of them: it goes
// only into elements that some path names, however many paths there are.
// Paths from anywhere (//) and of attributes anywhere are few; each is
// evaluated on its own.
type crStep struct {
	kids  map[int32]int32 // by qname.id: the next step
	ends  []int32         // table paths of an element that end here
	attrs []crAttr        // table paths of an attribute of this element
}

type crAttr struct {
	k int8 // the attribute's index in crAttrNames
	i int32
}

var crSteps, crAlone = func() ([]crStep, []int32) {
	steps := []crStep{{}}
	next := func(at int32, q qname) int32 {
		if k, ok := steps[at].kids[q.id]; ok {
			return k
		}
		if steps[at].kids == nil {
			steps[at].kids = map[int32]int32{}
		}
		k := int32(len(steps))
		steps[at].kids[q.id] = k
		steps = append(steps, crStep{})
		return k
	}
	var alone []int32
	for i, c := range crPaths {
		if c.anywhere || len(c.first) == 0 {
			alone = append(alone, int32(i))
			continue
		}
		for _, f := range c.first {
			at := next(0, f)
			for _, q := range c.rest {
				at = next(at, q)
			}
			if c.attr == "" {
				steps[at].ends = append(steps[at].ends, int32(i))
			} else {
				steps[at].attrs = append(steps[at].attrs, crAttr{c.attrK, int32(i)})
			}
		}
	}
	return steps, alone
}()

// crAttrNames are the attribute names that the table's paths end in (the
// package panics when it starts if one is missing): a check looks each up
// once.
var crAttrNames = [...]xmltree.NameKey{
	xmltree.NewNameKey("", "schemeID"), xmltree.NewNameKey("", "listID"), xmltree.NewNameKey("", "unitCodeListID"),
}

// crTrans are the steps' kids in one table of rows laid over each other
// (as a scanner's tables are): the kid of step at for qname q sits at
// crTrans.base[at]+q when crTrans.check there is at. The walk asks for
// every child element it meets; this is two reads, and the table is a few
// kilobytes where a hashed one was tens.
var crTrans = func() (t struct {
	base        []int32 // by step
	next, check []int16 // by slot; check -1 for a free slot
	flags       []uint8 // by step: crEnds, crAttrs, crKids
}) {
	if len(crSteps) >= 1<<15 {
		panic("cen: too many UBL-CR steps")
	}
	t.base = make([]int32, len(crSteps))
	t.flags = make([]uint8, len(crSteps))
	var order []int
	for at, st := range crSteps {
		if len(st.ends) > 0 {
			t.flags[at] |= crEnds
		}
		if len(st.attrs) > 0 {
			t.flags[at] |= crAttrs
		}
		if len(st.kids) > 0 {
			t.flags[at] |= crKids
			order = append(order, at)
		}
	}
	// The widest rows first: the narrow ones then fill the gaps.
	slices.SortStableFunc(order, func(a, b int) int { return len(crSteps[b].kids) - len(crSteps[a].kids) })
	free := func(i int) bool { return i >= len(t.check) || t.check[i] < 0 }
	for _, at := range order {
		kids := crSteps[at].kids
		base := 0
	try:
		for ; ; base++ {
			for q := range kids {
				if !free(base + int(q)) {
					continue try
				}
			}
			break
		}
		t.base[at] = int32(base)
		for q, k := range kids {
			i := base + int(q)
			for len(t.check) <= i {
				t.check, t.next = append(t.check, -1), append(t.next, 0)
			}
			t.check[i], t.next[i] = int16(at), int16(k)
		}
	}
	return t
}()

const (
	crEnds = 1 << iota
	crAttrs
	crKids
)

// crKid is the step after step at (a step with kids) for qname q, or 0.
func crKid(at, q int32) int32 {
	i := int(crTrans.base[at]) + int(q)
	if uint(i) < uint(len(crTrans.check)) && int32(crTrans.check[i]) == at {
		return int32(crTrans.next[i])
	}
	return 0
}

// crFound evaluates every path of the table on the document once (when
// its evaluator is made): each UBL-CR rule then only reads its answer.
func (e *ev) crFound(out []bool) []bool {
	out = resize(out, len(crPaths))
	// The paths from anywhere end in a few attribute names: each is
	// looked up once.
	for k, key := range crAttrNames {
		e.crAttrs[k] = e.d.LookupKey(key)
	}
	for _, i := range crAlone {
		c := &crPaths[i]
		attr := xmltree.NameID(-1)
		if c.attrK >= 0 {
			if attr = e.crAttrs[c.attrK]; attr < 0 {
				continue
			}
		}
		if c.search(e, attr) {
			out[i], e.crAny = true, true
		}
	}
	e.crWalk(e.root, 0, out)
	return out
}

// crWalk matches the children of n against the steps that follow step at.
func (e *ev) crWalk(n node, at int32, out []bool) {
	d, qs := e.d, e.idx.qs
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.Kind(c) != xmltree.ElementNode {
			continue
		}
		id := d.NameID(c)
		q := qs[id]
		if q < 0 {
			continue
		}
		k := crKid(at, q)
		if k == 0 {
			continue
		}
		f := crTrans.flags[k]
		if f&crEnds != 0 {
			for _, i := range crSteps[k].ends {
				out[i], e.crAny = true, true
			}
		}
		if f&crAttrs != 0 {
			for _, a := range crSteps[k].attrs {
				if !out[a.i] {
					if e.hasAttr(c, e.crAttrs[a.k]) {
						out[a.i], e.crAny = true, true
					}
				}
			}
		}
		if f&crKids != 0 {
			e.crWalk(c, k, out)
		}
	}
}

// nameHash mixes the lengths, the last eight bytes of the namespace and
// the local name (see mixLocal).
func nameHash(space, s string) uint32 {
	h := uint64(len(s)) | uint64(len(space))<<32
	if len(space) >= 8 {
		h = (h ^ le64(space[len(space)-8:])) * hashMul
	}
	return mixLocal(h, s)
}

const hashMul = 0x9E3779B97F4A7C15

// mixLocal mixes into h the first and last eight bytes of a local name (a
// name shorter than eight bytes byte by byte): UBL's names differ there.
func mixLocal(h uint64, s string) uint32 {
	if len(s) >= 8 {
		h ^= le64(s) * hashMul
		h ^= le64(s[len(s)-8:])
	} else {
		for i := 0; i < len(s); i++ {
			h = h<<8 | uint64(s[i])
		}
	}
	h *= hashMul
	return uint32(h >> 32)
}

// le64 reads the first eight bytes of s, little-endian.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// crRows maps the IDs of the table rules of release rel to their rows.
func crRows(rel string) map[string]int {
	rows := map[string]int{}
	for i, t := range crTable {
		if t.release == "" || t.release == rel {
			rows[t.id] = i
		}
	}
	return rows
}

func crRules(rel string) []def {
	var ds []def
	for i, t := range crTable {
		if t.release != "" && t.release != rel {
			continue
		}
		what := strings.TrimPrefix(t.path, "//")
		ds = append(ds, def{t.id, t.flag,
			fmt.Sprintf("%s is not used in EN 16931 invoices and is ignored by the receiver; remove it.", what),
			fmt.Sprintf("%s brukes ikke i EN 16931-fakturaer og blir oversett av mottaker; fjern det.", what),
			atRoot, func(e *ev, n node) bool { return !e.cr[i] }})
	}
	docRefs := func(e *ev, is130 bool) []node {
		var out []node
		for _, d := range e.everywhere(pathAdditionalDocumentReference[0]) {
			codes := e.all(d, pathDocumentTypeCode)
			match := false
			for _, c := range codes {
				if (e.str(c) == "130") == is130 {
					match = true
				}
			}
			if !is130 && len(codes) == 0 {
				match = true
			}
			if match {
				out = append(out, d)
			}
		}
		return out
	}
	ds = append(ds,
		def{"UBL-CR-002", warning, "The UBL version (cbc:UBLVersionID), when given, should be 2.1.", "UBL-versjonen (cbc:UBLVersionID) bør være 2.1 når den er oppgitt.", atRoot,
			func(e *ev, n node) bool {
				vs := e.all(n, pathUBLVersionID)
				if len(vs) == 0 {
					return true
				}
				for _, v := range vs {
					if e.str(v) == "2.1" {
						return true
					}
				}
				return false
			}},
		def{"UBL-CR-412", warning, "An invoice gives its due date in cbc:DueDate, not in cac:PaymentMeans/cbc:PaymentDueDate (which only a credit note uses); move it.", "En faktura oppgir forfallsdato i cbc:DueDate, ikke i cac:PaymentMeans/cbc:PaymentDueDate (som bare kreditnota bruker); flytt den.", atRoot,
			// A credit note has no cbc:DueDate and gives it here instead.
			func(e *ev, n node) bool { return e.credit || !e.has(n, pathPaymentMeansPaymentDueDate) }},
		def{"UBL-CR-665", warning, "Only the invoiced object identifier (document type code 130) may have a scheme (schemeID) among supporting documents; remove the schemeID.", "Bare fakturert objekt (dokumenttypekode 130) kan ha skjema (schemeID) blant vedleggene; fjern schemeID.", atRoot,
			func(e *ev, n node) bool {
				for _, d := range docRefs(e, false) {
					for id := range e.each(d, pID) {
						if _, ok := e.attr(id, "schemeID"); ok {
							return false
						}
					}
				}
				return true
			}},
		def{"UBL-CR-666", fatal, "The invoiced object identifier (document type code 130) must not carry an attachment; send attachments as separate supporting documents.", "Fakturert objekt (dokumenttypekode 130) kan ikke ha vedlegg; send vedlegg som egne dokumentreferanser.", atRoot,
			func(e *ev, n node) bool {
				for _, d := range docRefs(e, true) {
					if e.has(d, pathAttachment) {
						return false
					}
				}
				return true
			}},
		def{"UBL-CR-673", fatal, "The invoiced object identifier (document type code 130) must not have a document description.", "Fakturert objekt (dokumenttypekode 130) kan ikke ha dokumentbeskrivelse.", atRoot,
			func(e *ev, n node) bool {
				for _, d := range docRefs(e, true) {
					if e.has(d, pathDocumentDescription) {
						return false
					}
				}
				return true
			}},
	)
	return ds
}

// hasAttr reports whether element n has an attribute named id (none when
// id is -1).
func (e *ev) hasAttr(n node, id xmltree.NameID) bool {
	if id < 0 {
		return false
	}
	for _, a := range e.d.Attrs(n) {
		if a.Name == id {
			return true
		}
	}
	return false
}
