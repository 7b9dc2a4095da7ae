package cen

import (
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/lexical"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

// The official rules are XPath over the UBL tree; the helpers here give
// the same node sets in Go: child paths, descendants, the string and
// decimal value of a node, and the context patterns a Schematron rule
// matches. Paths are compiled once (at package start); names are looked up
// once per document.

type node = xmltree.NodeID

const none = xmltree.None

// qname is one step of a path.
type qname struct {
	space, local string
	id           int32 // see mk; its key is nameKeys()[id]
}

// path is a compiled relative location path of child steps.
type path []qname

var prefixes = map[string]string{
	"cbc": invoice.NSCBC, "cac": invoice.NSCAC, "ext": invoice.NSEXT,
	"ubl": invoice.NSInvoice, "cn": invoice.NSCreditNote,
}

// p compiles "cac:A/cbc:B" (once per string).
func p(s string) path {
	if v, ok := paths.Load(s); ok {
		return v.(path)
	}
	var out path
	for _, step := range strings.Split(s, "/") {
		pre, local, ok := strings.Cut(step, ":")
		if !ok {
			panic("cen: step without prefix: " + step)
		}
		ns, ok := prefixes[pre]
		if !ok {
			panic("cen: unknown prefix: " + pre)
		}
		out = append(out, mk(ns, local))
	}
	paths.Store(s, out)
	return out
}

// ev evaluates paths over one document. It is made once per check (see
// plan.check) and shared by every rule of the pack; only that check uses it.
type ev struct {
	d          *xmltree.Document
	root       node   // the Invoice or CreditNote element; none when the root is neither
	rootSet    []node // root as a node set
	rootArr    [1]node
	credit     bool
	idx        *index
	ids        []xmltree.NameID                 // idx.ids
	cr         []bool                           // which UBL-CR table paths the document has (see crFound)
	crAny      bool                             // whether it has any
	crAttrs    [len(crAttrNames)]xmltree.NameID // the document's IDs of crAttrNames, while crFound runs
	rootKids   *kidIndex                        // the root's child elements by NameID (rootIdx, once built)
	rootIdx    kidIndex
	unders     [][]node // by underID: the context's nodes, once found
	underOK    []bool
	catTallies []catTally
	attrIDs    [32]attrSlot // see attr
	decAt      []int32      // by node: 0 not read yet, -1 not a decimal, else decs[k-1] (see dec)
	decs       []decimal.Decimal
	sums       []sumMemo // see sumOver
	sumsFx     []sumMemoFx
	arena      []node  // where the contexts' node sets are kept (see gather)
	catAt      []int32 // by node: 0 not read yet, else catInfo[k-1] (see catIs)
	acAt       []uint8 // by node: what its charge indicators say (see charge)
	parties    uint8   // see party
	scratch    []node  // for one loop at a time (see makeSum)
	plus       []node  // makeSum's lists
	minus      []node
	codes      [4]codeMemo
	codeAt     uint8
	catInfo    []catInfo
}

// evs keeps the evaluators of finished checks: a check fills a few
// kilobytes of lists, and reusing them spares the collector that much per
// document.
var evs = sync.Pool{New: func() any { return &ev{idx: &index{}} }}

func makeEv(d *xmltree.Document) *ev {
	e := evs.Get().(*ev)
	e.d, e.root = d, none
	e.idx.bind(d)
	e.ids = e.idx.ids
	r := d.Root()
	if r == none {
		return e
	}
	switch d.Name(r) {
	case xmltree.Name{Space: invoice.NSInvoice, Local: "Invoice"}:
		e.root = r
	case xmltree.Name{Space: invoice.NSCreditNote, Local: "CreditNote"}:
		e.root, e.credit = r, true
	default:
		return e
	}
	e.rootArr[0] = r
	e.rootSet = e.rootArr[:]
	e.rootIdx.build(d, r)
	e.rootKids = &e.rootIdx
	e.cr = e.crFound(e.cr)
	return e
}

// Release gives the evaluator back for another check, when its check is
// over.
func (e *ev) Release() {
	e.idx.release()
	clear(e.unders)
	clear(e.underOK)
	clear(e.decAt)
	clear(e.catAt)
	clear(e.acAt)
	*e = ev{
		idx: e.idx, cr: e.cr[:0], unders: e.unders[:0], underOK: e.underOK[:0], catTallies: e.catTallies[:0],
		decAt: e.decAt[:0], decs: e.decs[:0], sums: e.sums[:0], sumsFx: e.sumsFx[:0], arena: e.arena[:0], scratch: e.scratch[:0], plus: e.plus[:0], minus: e.minus[:0],
		catAt: e.catAt[:0], catInfo: e.catInfo[:0], acAt: e.acAt[:0], rootIdx: e.rootIdx,
	}
	evs.Put(e)
}

// gather appends to the evaluator's arena what add appends, and returns it
// as a slice of its own (full: appending to it copies).
func (e *ev) gather(add func(out []node) []node) []node {
	start := len(e.arena)
	e.arena = add(e.arena)
	return e.arena[start:len(e.arena):len(e.arena)]
}

// all is the node set of path p from n, in document order.
func (e *ev) all(n node, p path) []node {
	if n == none || len(p) == 0 {
		return nil
	}
	if len(p) == 1 && n == e.root && e.rootKids != nil {
		id := e.nameID(p[0])
		if id < 0 {
			return nil
		}
		// Shared and full: appending to it copies.
		return e.rootKids.Named(id)
	}
	return e.appendAll(nil, n, p)
}

// appendAll appends the node set of path p from n to dst.
func (e *ev) appendAll(dst []node, n node, p path) []node {
	if n == none || len(p) == 0 {
		return dst
	}
	id := e.nameID(p[0])
	if id < 0 {
		return dst
	}
	if n == e.root && e.rootKids != nil {
		for _, k := range e.rootKids.Named(id) {
			if len(p) == 1 {
				dst = append(dst, k)
			} else {
				dst = e.appendAll(dst, k, p[1:])
			}
		}
		return dst
	}
	// The children are walked directly, without an iterator: every rule
	// reads paths, and a callback per child costs more than the test.
	d := e.d
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.NameID(c) != id || d.Kind(c) != xmltree.ElementNode {
			continue
		}
		if len(p) == 1 {
			dst = append(dst, c)
		} else {
			dst = e.appendAll(dst, c, p[1:])
		}
	}
	return dst
}

// each is the node set of path p from n as an iterator, without
// gathering it.
func (e *ev) each(n node, p path) iter.Seq[node] {
	return func(yield func(node) bool) {
		if n == none || len(p) == 0 {
			return
		}
		if len(p) == 1 && n != e.root {
			id := e.nameID(p[0])
			d := e.d
			for c, end := n+1, d.End(n); c < end; c = d.End(c) {
				if d.NameID(c) == id && d.Kind(c) == xmltree.ElementNode && !yield(c) {
					return
				}
			}
			return
		}
		e.walk(n, p, yield)
	}
}

// kidIter goes through the child elements of one name (see kids): a loop
// over it makes no closure, where a range over each whose body returns
// from the function may have to keep the loop's state on the heap.
type kidIter struct {
	d   *xmltree.Document
	end node
	id  xmltree.NameID
}

// kids starts a kidIter over the children of n named q, and gives the
// first (none when there is none).
func (e *ev) kids(n node, q qname) (kidIter, node) {
	if n == none {
		return kidIter{}, none
	}
	it := kidIter{d: e.d, end: e.d.End(n), id: e.nameID(q)}
	return it, it.from(n + 1)
}

// next is the next child after c, or none.
func (it kidIter) next(c node) node { return it.from(it.d.End(c)) }

func (it kidIter) from(c node) node {
	for ; c < it.end; c = it.d.End(c) {
		if it.d.NameID(c) == it.id && it.d.Kind(c) == xmltree.ElementNode {
			return c
		}
	}
	return none
}

// walk calls f with each node of path p from n, in document order, until f
// returns false; it reports whether f asked to go on.
func (e *ev) walk(n node, p path, f func(node) bool) bool {
	id := e.nameID(p[0])
	if id < 0 {
		return true
	}
	if n == e.root && e.rootKids != nil {
		// Most paths start at the document element, whose children
		// are listed by name once.
		for _, k := range e.rootKids.Named(id) {
			if len(p) == 1 {
				if !f(k) {
					return false
				}
			} else if !e.walk(k, p[1:], f) {
				return false
			}
		}
		return true
	}
	d := e.d
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.NameID(c) != id || d.Kind(c) != xmltree.ElementNode {
			continue
		}
		if len(p) == 1 {
			if !f(c) {
				return false
			}
		} else if !e.walk(c, p[1:], f) {
			return false
		}
	}
	return true
}

// one is the first node of path p from n, or none.
func (e *ev) one(n node, p path) node {
	if n == none || len(p) == 0 {
		return none
	}
	id := e.nameID(p[0])
	if id < 0 {
		return none
	}
	if n == e.root && e.rootKids != nil {
		for _, k := range e.rootKids.Named(id) {
			if len(p) == 1 {
				return k
			}
			if m := e.one(k, p[1:]); m != none {
				return m
			}
		}
		return none
	}
	d := e.d
	for c, end := n+1, d.End(n); c < end; c = d.End(c) {
		if d.NameID(c) != id || d.Kind(c) != xmltree.ElementNode {
			continue
		}
		if len(p) == 1 {
			return c
		}
		if m := e.one(c, p[1:]); m != none {
			return m
		}
	}
	return none
}

func (e *ev) has(n node, p path) bool { return e.one(n, p) != none }

func (e *ev) count(n node, p path) int {
	if n == none || len(p) == 0 {
		return 0
	}
	id := e.nameID(p[0])
	if id < 0 {
		return 0
	}
	c := 0
	if n == e.root && e.rootKids != nil {
		for _, k := range e.rootKids.Named(id) {
			if len(p) == 1 {
				c++
			} else {
				c += e.count(k, p[1:])
			}
		}
		return c
	}
	d := e.d
	for k, end := n+1, d.End(n); k < end; k = d.End(k) {
		if d.NameID(k) != id || d.Kind(k) != xmltree.ElementNode {
			continue
		}
		if len(p) == 1 {
			c++
		} else {
			c += e.count(k, p[1:])
		}
	}
	return c
}

// everywhere lists every element named q in the document.
func (e *ev) everywhere(q qname) []node { return e.elements(q) }

// under lists the elements matching the relative pattern p (a/b/c: a c
// whose parent is a b whose parent is an a), anywhere in the document.
func (e *ev) under(p path) []node { return e.appendUnder(nil, p) }

// appendUnder appends the elements of under(p) to out.
func (e *ev) appendUnder(out []node, p path) []node {
	var buf [8]xmltree.NameID
	cands, ids := e.ancestry(p, &buf)
	for _, n := range cands {
		if e.hasAncestry(n, ids) {
			out = append(out, n)
		}
	}
	return out
}

// anyUnder reports whether f holds for one of the elements of under(p).
func (e *ev) anyUnder(p path, f func(n node) bool) bool {
	var buf [8]xmltree.NameID
	cands, ids := e.ancestry(p, &buf)
	for _, n := range cands {
		if e.hasAncestry(n, ids) && f(n) {
			return true
		}
	}
	return false
}

// ancestry gives the candidates of under(p), the elements named by its
// last step, and the IDs of the names above them, nearest first, resolved
// once rather than once per candidate. No candidate comes back when a name
// of p is not in the document.
func (e *ev) ancestry(p path, buf *[8]xmltree.NameID) ([]node, []xmltree.NameID) {
	cands := e.everywhere(p[len(p)-1])
	if len(cands) == 0 {
		return nil, nil
	}
	ids := buf[:0]
	for i := len(p) - 2; i >= 0; i-- {
		id := e.nameID(p[i])
		if id < 0 {
			return nil, nil
		}
		ids = append(ids, id)
	}
	return cands, ids
}

// hasAncestry reports whether n's ancestors, nearest first, are elements
// with the names ids.
func (e *ev) hasAncestry(n node, ids []xmltree.NameID) bool {
	for _, id := range ids {
		n = e.d.Parent(n)
		if n == none || e.d.Kind(n) != xmltree.ElementNode || e.d.NameID(n) != id {
			return false
		}
	}
	return true
}

// is reports whether n matches the relative pattern p.
func (e *ev) is(n node, p path) bool {
	for i := len(p) - 1; i >= 0; i-- {
		if n == none || e.d.Kind(n) != xmltree.ElementNode || e.d.NameID(n) != e.nameID(p[i]) {
			return false
		}
		n = e.d.Parent(n)
	}
	return true
}

// str is the string value of n ("" for none).
func (e *ev) str(n node) string {
	if n == none {
		return ""
	}
	return e.d.Text(n)
}

// ns is normalize-space of n's string value.
func (e *ev) ns(n node) string { return norm(e.str(n)) }

// val is normalize-space of the first node of p from n.
func (e *ev) val(n node, p path) string { return e.ns(e.one(n, p)) }

func norm(s string) string {
	// Most values are already normal: no allocation for them, and most
	// have no byte that could be a space at all.
	i := 0
	for i < len(s) && s[i] > ' ' {
		i++
	}
	if i == len(s) {
		return s
	}
	clean := len(s) == 0 || (!isSpace(s[0]) && !isSpace(s[len(s)-1]))
	for i := 0; clean && i < len(s); i++ {
		if c := s[i]; isSpace(c) && (c != ' ' || (i+1 < len(s) && isSpace(s[i+1]))) {
			clean = false
		}
	}
	if clean {
		return s
	}
	// Only XML's four space characters separate words: a no-break space
	// (or any other Unicode space) is part of the value, as it is for
	// normalize-space.
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }), " ")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (e *ev) attr(n node, name string) (string, bool) {
	if n == none {
		return "", false
	}
	// As e.d.Attr, with the name's ID remembered by the address of its
	// text (the names are string constants; the slot keeps the text
	// where it is).
	p := unsafe.StringData(name)
	slot := &e.attrIDs[(uintptr(unsafe.Pointer(p))>>3)&31]
	if p == nil || slot.p != p || slot.n != len(name) {
		*slot = attrSlot{p: p, n: len(name), id: e.d.Lookup("", name)}
	}
	if slot.id < 0 {
		return "", false
	}
	for _, a := range e.d.Attrs(n) {
		if a.Name == slot.id {
			return e.d.Value(a), true
		}
	}
	return "", false
}

type attrSlot struct {
	p  *byte
	n  int
	id xmltree.NameID
}

// dec is xs:decimal of n's string value; false when absent or not a
// decimal (the official rule then stops with an error, which the model
// reader has already reported).
func (e *ev) dec(n node) (decimal.Decimal, bool) {
	if n == none {
		return decimal.Decimal{}, false
	}
	// Many rules read the same amounts and rates: each is read once per
	// check.
	if len(e.decAt) == 0 {
		e.decAt = slices.Grow(e.decAt, e.d.Len())[:e.d.Len()]
	}
	switch k := e.decAt[n]; {
	case k > 0:
		return e.decs[k-1], true
	case k < 0:
		return decimal.Decimal{}, false
	}
	d, ok := parseDec(e.str(n))
	if !ok {
		e.decAt[n] = -1
		return d, false
	}
	e.decs = append(e.decs, d)
	e.decAt[n] = int32(len(e.decs))
	return d, true
}

// parseDec is a cast to xs:decimal.
func parseDec(s string) (decimal.Decimal, bool) { return lexical.Decimal(s) }

// decOf is xs:decimal of the first node of p from n.
func (e *ev) decOf(n node, p path) (decimal.Decimal, bool) { return e.dec(e.one(n, p)) }

// num is a value compared as a number against a literal (untyped atomic
// to xs:double in XPath); decimals compare the same way for the values
// invoices hold.
func (e *ev) num(n node) (decimal.Decimal, bool) {
	if n == none {
		return decimal.Decimal{}, false
	}
	// A plain decimal is read once per check (see dec).
	if d, ok := e.dec(n); ok {
		return d, true
	}
	s := lexical.Trim(e.str(n))
	if d, ok := parseDec(s); ok {
		return d, true
	}
	// xs:double also reads exponents.
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, ",_") {
		return decimal.Decimal{}, false
	}
	return d, true
}

// boolVal reads an xs:boolean (cbc:ChargeIndicator).
func (e *ev) boolVal(n node) (v, ok bool) {
	switch lexical.Trim(e.str(n)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// charge reports whether AllowanceCharge n has ChargeIndicator = want.
func (e *ev) charge(n node, want bool) bool {
	// Many rules ask about the same few allowances and charges: what
	// their indicators say is read once per check, as bits by node.
	if len(e.acAt) == 0 {
		e.acAt = slices.Grow(e.acAt, e.d.Len())[:e.d.Len()]
	}
	bits := e.acAt[n]
	if bits == 0 {
		bits = acRead
		for ci := range e.each(n, pChargeInd) {
			if v, ok := e.boolVal(ci); ok {
				if v {
					bits |= acTrue
				} else {
					bits |= acFalse
				}
			}
		}
		e.acAt[n] = bits
	}
	if want {
		return bits&acTrue != 0
	}
	return bits&acFalse != 0
}

// Bits of ev.acAt.
const (
	acRead  = 1 << iota // the indicators are read
	acTrue              // one says true
	acFalse             // one says false
)

// chargeCtx is charge for a rule context. The official patterns list the
// allowance rule before the charge rule, and a Schematron pattern applies
// only the first rule whose context matches a node: an AllowanceCharge
// whose several ChargeIndicators say both is an allowance there.
func (e *ev) chargeCtx(n node, charge bool) bool {
	if charge {
		return e.charge(n, true) && !e.charge(n, false)
	}
	return e.charge(n, false)
}

// vatScheme reports whether the tax category n has the VAT tax scheme
// (compared after upper-casing and trimming, as the rules do).
func (e *ev) vatScheme(n node) bool {
	for ts := range e.each(n, pTaxScheme) {
		if strings.ToUpper(e.val(ts, pID)) == "VAT" {
			return true
		}
	}
	return false
}

// round2 is round(x * 100) div 100 with XPath round (half towards
// positive infinity).
func round2(x decimal.Decimal) decimal.Decimal {
	return exact.Round(x, 2)
}

// round0 is XPath round of a decimal.
func round0(x decimal.Decimal) decimal.Decimal { return exact.Round(x, 0) }

// fracDigits is string-length(substring-after(s, '.')).
func fracDigits(s string) int {
	_, after, ok := strings.Cut(s, ".")
	if !ok {
		return 0
	}
	return utf8.RuneCountInString(after)
}

var (
	half = decimal.New(5, -1)
	one  = decimal.NewFromInt(1)
)

// Short names for the paths most rules read.
var (
	pID         = pathID
	pChargeInd  = pathChargeIndicator
	pTaxScheme  = pathTaxScheme
	pAmount     = pathAmount
	pBaseAmount = pathBaseAmount
	pPercent    = pathPercent
	pTaxCat     = pathTaxCategory
	pAC         = pathAllowanceCharge
	pLines      = pathInvoiceLine
	pCNLines    = pathCreditNoteLine
	pSubtotalTC = pathTaxTotalTaxSubtotalTaxCategory
	pItemCTC    = pathItemClassifiedTaxCategory
	pLEA        = pathLineExtensionAmount
)
