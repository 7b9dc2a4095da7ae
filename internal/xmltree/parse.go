package xmltree

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sync"
	"unicode/utf8"
	"unsafe"
)

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// Parse reads a whole XML document. data must not be modified afterwards:
// the tree refers into it instead of copying text.
func Parse(data []byte, opts *Options) (*Document, error) {
	return parseWith(data, opts, false)
}

// parseWith is Parse; detailed asks for estimateSizes' detailed count
// whatever the size of the document, so that tests can read small
// documents the way large ones are read.
func parseWith(data []byte, opts *Options, detailed bool) (*Document, error) {
	o := opts.withDefaults()
	if int64(len(data)) > o.MaxSize {
		return nil, &SyntaxError{File: o.File, Line: 1, Col: 1, Msg: fmt.Sprintf("the document is %d bytes, over the limit of %d bytes", len(data), o.MaxSize)}
	}
	src, err := decodeInput(data, o.File)
	if err != nil {
		return nil, err
	}
	if len(src) > maxSizeLimit { // ISO-8859-1 converted to UTF-8 can double
		return nil, &SyntaxError{File: o.File, Line: 1, Col: 1, Msg: fmt.Sprintf("the document is %d bytes as UTF-8, over the limit of %d bytes", len(src), maxSizeLimit)}
	}
	p := getParser(src, o)
	defer putParser(p)
	est := estimateSizes(src, detailed || len(src) >= detailedSize)
	p.d = newDocument(src, o.File, &est)
	p.gapFrom, p.gapTo = est.gapFrom, est.gapTo
	p.d.nodes[0] = node{key: uint32(DocumentNode), parent: None}
	if err := p.parse(); err != nil {
		return nil, err
	}
	p.d.nodes[0].end = NodeID(len(p.d.nodes))
	return p.d, nil
}

// docAlloc is a Document with its lazily built parts, allocated together.
type docAlloc struct {
	d    Document
	lazy lazyParts
}

// newDocument allocates an empty Document for src with its side tables
// sized from cheap counts over src. A small invoice is read with two
// allocations: the Document and one pointer-free slab that holds the
// nodes, the attributes, the names and the name hash table.
func newDocument(src []byte, file string, e *estimate) *Document {
	est := e.nodes
	// An invoice uses about one name per two elements, three nodes (the
	// Peppol base example 83 for 150 elements and 303 '<'), and seldom
	// more than a hundred or two in all.
	names := min(max(est/3, 16), 256)
	slots := 64
	for slots < 2*(names+1) {
		slots *= 2 // a power of two, at most half full
	}
	// The bound is capped so that text full of '=' cannot make it large.
	attrs := min(e.equals, len(src)/16)

	// The slab is counted in 4-byte words: node, Attr, nameRec and the
	// slots are made of 4-byte fields and hold no pointers, so carving them out of
	// one []int32 is sound and costs the collector nothing to scan.
	const nodeWords, attrWords = int(unsafe.Sizeof(node{})) / 4, int(unsafe.Sizeof(Attr{})) / 4
	const nameWords = int(unsafe.Sizeof(nameRec{})) / 4
	slab := make([]int32, est*nodeWords+attrs*attrWords+names*nameWords+slots)
	nodes := unsafe.Slice((*node)(unsafe.Pointer(&slab[0])), est)
	slab = slab[est*nodeWords:]
	var at []Attr
	if attrs > 0 {
		at = unsafe.Slice((*Attr)(unsafe.Pointer(&slab[0])), attrs)[:0]
		slab = slab[attrs*attrWords:]
	}
	a := &docAlloc{d: Document{
		src:   src,
		nodes: nodes[:1],
		attrs: at,
		names: unsafe.Slice((*nameRec)(unsafe.Pointer(&slab[0])), names)[:0],
		file:  file,
	}}
	slab = slab[names*nameWords:]
	a.d.byName.slots = slab[:slots:slots]
	a.d.lines, a.d.elems, a.d.ends = &a.lazy.lines, &a.lazy.elems, &a.lazy.ends
	return &a.d
}

// ParseReader reads a document from r, refusing it as soon as it grows past
// the size limit rather than after reading it all.
func ParseReader(r io.Reader, opts *Options) (*Document, error) {
	o := opts.withDefaults()
	data, err := readLimited(r, o.MaxSize)
	if err != nil {
		if err == errTooLarge {
			line, col := lineCol(data, len(data))
			return nil, &SyntaxError{File: o.File, Line: line, Col: col, Msg: fmt.Sprintf("the document is over the limit of %d bytes; reading stopped here", o.MaxSize)}
		}
		return nil, err
	}
	return Parse(data, &o)
}

var errTooLarge = fmt.Errorf("xmltree: document too large")

func readLimited(r io.Reader, max int64) ([]byte, error) {
	size := 64 << 10
	if sz, ok := sizeOf(r); ok && sz >= 0 && sz <= max {
		size = int(sz) + 1 // +1 so the final Read sees EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return buf[:max], errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// parsers keeps parsers between documents: their stacks and name cache
// are then allocated once per goroutine's worth of use, not per document.
var parsers sync.Pool

// Scratch stacks that grew past these (a hostile document) are dropped
// rather than kept in the pool.
const maxPooledOpen, maxPooledNS, maxPooledAttrs = 1024, 1024, 1024

func getParser(src []byte, o Options) *parser {
	p, _ := parsers.Get().(*parser)
	if p == nil {
		p = &parser{
			open:    make([]openElem, 0, 32),
			ns:      make([]nsBinding, 0, 16),
			scratch: make([]rawAttr, 0, 16),
		}
	}
	// A new generation, so that the name cache's entries from earlier
	// documents (which point into other input) never match.
	if p.nsGen >= 1<<31 {
		p.cache = [1024]nameCacheEntry{}
		p.nsGen = 0
	}
	p.nsGen++
	p.src, p.opts, p.pos = src, o, 0
	p.pending, p.rootSeen, p.rootEnded = false, false, false
	return p
}

// putParser returns p to the pool without anything that refers to the
// document it read.
func putParser(p *parser) {
	if cap(p.open) > maxPooledOpen || cap(p.ns) > maxPooledNS || cap(p.scratch) > maxPooledAttrs {
		return
	}
	clear(p.ns[:cap(p.ns)]) // the strings point into the input
	p.ns, p.open, p.scratch = p.ns[:0], p.open[:0], p.scratch[:0]
	p.src, p.d, p.opts = nil, nil, Options{}
	parsers.Put(p)
}

type nsBinding struct {
	prefix, uri string
	off, n      uint32 // uri's span
}

type openElem struct {
	id         NodeID
	qOff, qLen int // the name as written in the start tag
	nsMark     int
}

type rawAttr struct {
	qOff, qLen int
	hash       uint32
	off, n     uint32 // value span (auxBit for decoded)
	at         int    // offset of the attribute name
}

type parser struct {
	src  []byte
	pos  int
	opts Options
	d    *Document

	ns      []nsBinding
	nsGen   uint32 // changes whenever the bindings in scope change
	cache   [1024]nameCacheEntry
	open    []openElem
	scratch []rawAttr

	// Whitespace-only text is kept only where it is an element's whole
	// content; until we know, it waits here.
	pending             bool
	pendOff, pendN      uint32 // a span, like a text node's
	pendAt              uint32
	rootSeen, rootEnded bool

	// No '<' lies between these offsets (see estimate).
	gapFrom, gapTo int
}

// nameCacheEntry remembers how a qualified name written at src[off:off+n]
// resolved while bindings generation gen was in scope. Real documents use
// few names many times, so most lookups end here without hashing strings
// into maps.
type nameCacheEntry struct {
	off, n int32 // n has cacheAttr set for an attribute's name
	gen    uint32
	id     NameID
}

// cacheAttr marks an attribute's name in a nameCacheEntry: sixteen bytes
// an entry, four to a cache line.
const cacheAttr = -1 << 31

func (p *parser) errAt(off int, format string, args ...any) error {
	if off > len(p.src) {
		off = len(p.src)
	}
	l, c := lineCol(p.src, off)
	return &SyntaxError{File: p.opts.File, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) current() NodeID {
	if len(p.open) == 0 {
		return 0
	}
	return p.open[len(p.open)-1].id
}

func (p *parser) parse() error {
	src := p.src
	if bytes.HasPrefix(src, []byte("<?xml")) && len(src) > 5 && isSpace(src[5]) {
		if err := p.xmlDecl(); err != nil {
			return err
		}
	}
	for p.pos < len(src) {
		if src[p.pos] != '<' {
			if err := p.text(); err != nil {
				return err
			}
			continue
		}
		if p.pos+1 >= len(src) {
			return p.errAt(p.pos, "the document ends in the middle of a tag")
		}
		var err error
		switch src[p.pos+1] {
		case '/':
			err = p.endTag()
		case '?':
			err = p.pi()
		case '!':
			rest := src[p.pos:]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				err = p.comment()
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				err = p.cdata()
			case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
				err = p.errAt(p.pos, "DOCTYPE declarations are not accepted: a DTD can define entities that expand without bound or fetch outside files; remove the DOCTYPE")
			case bytes.HasPrefix(rest, []byte("<!ENTITY")):
				err = p.errAt(p.pos, "entity declarations are not accepted; remove the <!ENTITY ...> declaration")
			default:
				err = p.errAt(p.pos, "unexpected \"<!\": expected a comment (<!-- -->) or CDATA section")
			}
		default:
			err = p.startTag()
		}
		if err != nil {
			return err
		}
	}
	if len(p.open) > 0 {
		top := p.open[len(p.open)-1]
		l, c := p.d.Pos(top.id)
		return p.errAt(len(src), "the document ends before element <%s> (opened at %d:%d) is closed; the file may be truncated", src[top.qOff:top.qOff+top.qLen], l, c)
	}
	if !p.rootSeen {
		return p.errAt(len(src), "the document has no root element")
	}
	return nil
}

func (p *parser) xmlDecl() error {
	end := bytes.Index(p.src, []byte("?>"))
	if end < 0 {
		return p.errAt(0, "the XML declaration is not closed with \"?>\"")
	}
	decl := p.src[5:end]
	if !bytes.Contains(decl, []byte("version")) {
		return p.errAt(0, "the XML declaration has no version; write <?xml version=\"1.0\" encoding=\"UTF-8\"?>")
	}
	if !utf8.Valid(decl) {
		return p.errAt(0, "the XML declaration is not valid UTF-8")
	}
	p.pos = end + 2
	return nil
}

func (p *parser) pi() error {
	start := p.pos
	end := bytes.Index(p.src[start+2:], []byte("?>"))
	if end < 0 {
		return p.errAt(start, "processing instruction is not closed with \"?>\"")
	}
	body := p.src[start+2 : start+2+end]
	if len(body) >= 3 && (body[0]|0x20) == 'x' && (body[1]|0x20) == 'm' && (body[2]|0x20) == 'l' && (len(body) == 3 || isSpace(body[3])) {
		return p.errAt(start, "an XML declaration is only allowed at the very start of the document")
	}
	if !utf8.Valid(body) {
		return p.errAt(start, "processing instruction is not valid UTF-8")
	}
	p.pos = start + 2 + end + 2
	return nil
}

func (p *parser) comment() error {
	start := p.pos
	i := start + 4
	for {
		j := bytes.Index(p.src[i:], []byte("--"))
		if j < 0 {
			return p.errAt(start, "comment is not closed with \"-->\"")
		}
		i += j
		if i+2 >= len(p.src) || p.src[i+2] != '>' {
			return p.errAt(i, "\"--\" is not allowed inside a comment")
		}
		break
	}
	if off, ok := validChars(p.src[start+4 : i]); !ok {
		return p.errAt(start+4+off, "invalid character in comment (bad UTF-8 or a control character)")
	}
	p.pos = i + 3
	return nil
}

func (p *parser) cdata() error {
	start := p.pos
	if len(p.open) == 0 {
		return p.errAt(start, "CDATA section outside the root element")
	}
	body := start + len("<![CDATA[")
	j := bytes.Index(p.src[body:], []byte("]]>"))
	if j < 0 {
		return p.errAt(start, "CDATA section is not closed with \"]]>\"")
	}
	content := p.src[body : body+j]
	if off, ok := validChars(content); !ok {
		return p.errAt(body+off, "invalid character in CDATA section (bad UTF-8 or a control character)")
	}
	at := uint32(start)
	var off, n uint32
	if bytes.IndexByte(content, '\r') >= 0 {
		a := len(p.d.aux)
		p.d.aux = appendNewlines(p.d.aux, content)
		off, n = uint32(a)|auxBit, uint32(len(p.d.aux)-a)
	} else {
		off, n = uint32(body), uint32(len(content))
	}
	p.addText(off, n, at)
	p.pos = body + j + 3
	return nil
}

// text reads character data up to the next '<'. Most text is printable
// ASCII and spaces, a few bytes long: one loop that ORs the character
// classes until the first byte that is not tells so (a call of
// bytes.IndexByte costs more than such runs), and anything else is read
// again by textSlow.
func (p *parser) text() error {
	src := p.src
	start := p.pos
	i := start
	var m uint8
	// Indentation between tags, the most common run of all, is spaces
	// after a line feed: skipped eight at a time, then by the tightest
	// loop.
	if i < len(src) && src[i] == '\n' {
		i++
		const spaces = 0x2020202020202020
		for i+8 <= len(src) && binary.LittleEndian.Uint64(src[i:]) == spaces {
			i += 8
		}
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\n' || src[i] == '\t') {
		i++
	}
	if i < len(src) && src[i] == '<' && i > start {
		goto done
	}
scan:
	for i < len(src) {
		// Eight plain characters at a time (long text such as an
		// embedded attachment is mostly that), then the next eight one
		// by one, which stops at the first that needs a closer look.
		for i+8 <= len(src) {
			if !plainWord(binary.LittleEndian.Uint64(src[i:])) {
				break
			}
			m |= textPlain
			i += 8
			if i-start >= longText {
				return p.textLong(start, i)
			}
		}
		for end := min(i+8, len(src)); i < end; i++ {
			k := textBits[src[i]]
			if k&textOther != 0 {
				break scan
			}
			m |= k
		}
	}
	if i < len(src) && src[i] != '<' {
		if m != 0 && i-start >= handOver {
			// Long text with something to look at (a CR LF line end in
			// base64, a reference): textLong reads on from here.
			return p.textLong(start, i)
		}
		return p.textSlow()
	}
done:
	if m != 0 && !p.pending && len(p.open) > 0 {
		// A value such as an amount or a code: addText's first case,
		// without a call.
		d := p.d
		last := NodeID(len(d.nodes) - 1)
		if d.nodes[last].kind() != TextNode {
			p.pos = i
			d.nodes = append(d.nodes, node{key: textKey(uint32(start)), parent: p.open[len(p.open)-1].id, end: last + 2, a: uint32(start), b: uint32(i - start)})
			return nil
		}
	}
	if m == 0 && !p.pending && len(p.open) > 0 && !p.afterText() {
		// Indentation between tags, the most common run of all: it
		// waits as pending whitespace (addSpace without its CR check,
		// as this run has no CR).
		p.pos = i
		p.pending, p.pendOff, p.pendN, p.pendAt = true, uint32(start), uint32(i-start), uint32(start)
		return nil
	}
	return p.endText(start, i, m == 0, false)
}

// textSlow reads character data one character at a time, decoding
// references and line ends and checking characters.
func (p *parser) textSlow() error {
	src := p.src
	start := p.pos
	i := start
	allSpace, decode := true, false
	for i < len(src) {
		c := src[i]
		switch charClass[c] {
		case clsPlain:
			allSpace = false
			i++
			continue
		case clsSpace:
			i++
			continue
		}
		if c == '<' {
			break
		}
		n, err := p.textSpecial(i)
		if err != nil {
			return err
		}
		if c != '\r' {
			allSpace = false
		}
		if c == '&' || c == '\r' {
			decode = true
		}
		i += n
	}
	return p.endText(start, i, allSpace, decode)
}

// textSpecial checks the character at src[i] in text that is neither
// plain nor a space nor '<' ('&', CR, ']', a control or non-ASCII) and
// returns its length in the input.
func (p *parser) textSpecial(i int) (int, error) {
	src := p.src
	c := src[i]
	switch {
	case c == '&':
		n, _, err := p.entity(i)
		return n, err
	case c == '\r':
		return 1, nil
	case c == ']':
		if bytes.HasPrefix(src[i:], []byte("]]>")) {
			return 0, p.errAt(i, "\"]]>\" is not allowed in text; write \"]]&gt;\"")
		}
		return 1, nil
	case c >= 0x80:
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return 0, p.errAt(i, "invalid UTF-8 byte 0x%02X: the document must be UTF-8 (or declare ISO-8859-1)", c)
		}
		if !isXMLChar(r) {
			return 0, p.errAt(i, "character U+%04X is not allowed in XML", r)
		}
		return size, nil
	}
	return 0, p.errAt(i, "control character 0x%02X is not allowed in XML", c)
}

// endText adds the text src[start:i] to the tree; allSpace says it is
// whitespace only, decode that it has references or CRs.
func (p *parser) endText(start, i int, allSpace, decode bool) error {
	p.pos = i
	if len(p.open) == 0 {
		if !allSpace {
			if p.rootEnded {
				return p.errAt(start, "text after the root element has ended")
			}
			return p.errAt(start, "text before the root element")
		}
		return nil
	}
	at := uint32(start)
	if allSpace && !p.afterText() {
		p.addSpace(start, i)
		return nil
	}
	var off, n uint32
	if decode {
		a := len(p.d.aux)
		var err error
		p.d.aux, err = p.decode(p.d.aux, start, i, false)
		if err != nil {
			return err
		}
		off, n = uint32(a)|auxBit, uint32(len(p.d.aux)-a)
	} else {
		off, n = uint32(start), uint32(i-start)
	}
	p.addText(off, n, at)
	return nil
}

// afterText reports whether the last node is a text child of the current
// element, so that what follows (separated at most by a comment, processing
// instruction or CDATA boundary) belongs to the same text node.
func (p *parser) afterText() bool {
	last := len(p.d.nodes) - 1
	return p.d.nodes[last].kind() == TextNode && p.d.nodes[last].parent == p.current()
}

// addText appends a text node to the current element, merging it with a
// text node or pending whitespace directly before it (separated only by a
// comment, a processing instruction or a CDATA boundary), as the XPath data
// model does.
func (p *parser) addText(off, n, at uint32) {
	d := p.d
	cur := p.current()
	last := NodeID(len(d.nodes) - 1)
	prevText := d.nodes[last].kind() == TextNode && d.nodes[last].parent == cur
	if !prevText && !p.pending {
		d.nodes = append(d.nodes, node{key: textKey(at), parent: cur, end: last + 2, a: off, b: n})
		return
	}
	a := len(d.aux)
	var merged []byte
	if prevText {
		merged = append(merged, d.span(d.nodes[last].a, d.nodes[last].b)...)
	}
	if p.pending {
		merged = append(merged, d.span(p.pendOff, p.pendN)...)
		if !prevText {
			at = p.pendAt
		}
	}
	merged = append(merged, d.span(off, n)...)
	d.aux = append(d.aux, merged...)
	p.pending = false
	if prevText {
		d.nodes[last].a, d.nodes[last].b = uint32(a)|auxBit, uint32(len(merged))
		return
	}
	d.nodes = append(d.nodes, node{key: textKey(at), parent: cur, end: last + 2, a: uint32(a) | auxBit, b: uint32(len(merged))})
}

// addSpace holds back a whitespace-only run. Runs separated only by
// comments or processing instructions are one text node in the XPath data
// model, so they accumulate.
func (p *parser) addSpace(from, to int) {
	seg := p.src[from:to]
	hasCR := bytes.IndexByte(seg, '\r') >= 0
	if !p.pending && !hasCR {
		p.pending, p.pendOff, p.pendN, p.pendAt = true, uint32(from), uint32(to-from), uint32(from)
		return
	}
	d := p.d
	a := len(d.aux)
	if p.pending {
		prev := d.span(p.pendOff, p.pendN)
		d.aux = append(d.aux, prev...)
	} else {
		p.pending, p.pendAt = true, uint32(from)
	}
	d.aux = appendNewlines(d.aux, seg)
	p.pendOff, p.pendN = uint32(a)|auxBit, uint32(len(d.aux)-a)
}

func (p *parser) startTag() error {
	src := p.src
	start := p.pos
	if p.rootEnded && len(p.open) == 0 {
		return p.errAt(start, "a second root element: a document has exactly one root element")
	}
	p.pos++
	qOff := p.pos
	if err := p.name("element"); err != nil {
		return err
	}
	qLen := p.pos - qOff
	elemHash := qnameHash(src[qOff:p.pos])
	if len(p.open) >= p.opts.MaxDepth {
		return p.errAt(start, "elements are nested more than %d deep", p.opts.MaxDepth)
	}
	attrs := p.scratch[:0]
	selfClose := false
	for {
		sp := p.skipSpace()
		if p.pos >= len(src) {
			return p.errAt(start, "the document ends inside the start tag of <%s>", src[qOff:qOff+qLen])
		}
		c := src[p.pos]
		if c == '>' {
			p.pos++
			break
		}
		if c == '/' {
			if p.pos+1 < len(src) && src[p.pos+1] == '>' {
				p.pos += 2
				selfClose = true
				break
			}
			return p.errAt(p.pos, "expected \"/>\" to end the tag")
		}
		if !sp {
			return p.errAt(p.pos, "expected a space, \">\" or \"/>\" in the tag of <%s>", src[qOff:qOff+qLen])
		}
		if len(attrs) >= p.opts.MaxAttrs {
			return p.errAt(p.pos, "element <%s> has more than %d attributes", src[qOff:qOff+qLen], p.opts.MaxAttrs)
		}
		a, err := p.attribute()
		if err != nil {
			return err
		}
		attrs = append(attrs, a)
	}
	if cap(attrs) > cap(p.scratch) {
		p.scratch = attrs // grown (stored only then: a store of a pointer costs a write barrier while the collector runs)
	}

	// Namespace declarations first: they apply to the element's own name
	// and to its attributes whatever their order.
	nsMark := len(p.ns)
	for _, a := range attrs {
		q := src[a.qOff : a.qOff+a.qLen]
		switch {
		case bytes.Equal(q, []byte("xmlns")):
			p.ns = append(p.ns, nsBinding{"", p.d.span(a.off, a.n), a.off, a.n})
		case bytes.HasPrefix(q, []byte("xmlns:")):
			pre := p.str(q[6:])
			uri := p.d.span(a.off, a.n)
			if uri == "" {
				return p.errAt(a.at, "namespace prefix %q cannot be bound to an empty URI", pre)
			}
			p.ns = append(p.ns, nsBinding{pre, uri, a.off, a.n})
		}
	}
	if len(p.ns) != nsMark {
		p.nsGen++
	}
	nameID, err := p.resolveName(qOff, qLen, elemHash, false)
	if err != nil {
		return err
	}
	d := p.d
	id := NodeID(len(d.nodes))
	d.nodes = append(d.nodes, node{key: elementKey(nameID), parent: p.current(), a: uint32(start), b: uint32(len(d.attrs))})
	first := len(d.attrs)
	for _, a := range attrs {
		q := src[a.qOff : a.qOff+a.qLen]
		if bytes.Equal(q, []byte("xmlns")) || bytes.HasPrefix(q, []byte("xmlns:")) {
			continue
		}
		nid, err := p.resolveName(a.qOff, a.qLen, a.hash, true)
		if err != nil {
			return err
		}
		for _, prev := range d.attrs[first:] {
			if prev.Name == nid {
				return p.errAt(a.at, "attribute %s appears twice on <%s>", q, src[qOff:qOff+qLen])
			}
		}
		d.attrs = append(d.attrs, Attr{Name: nid, off: a.off, n: a.n, at: uint32(a.at)})
	}
	p.pending = false
	p.rootSeen = true
	if selfClose {
		d.nodes[id].end = id + 1
		if len(p.ns) != nsMark {
			p.nsGen++
		}
		p.ns = p.ns[:nsMark]
		if len(p.open) == 0 {
			p.rootEnded = true
		}
		return nil
	}
	p.open = append(p.open, openElem{id: id, qOff: qOff, qLen: qLen, nsMark: nsMark})
	return nil
}

func (p *parser) attribute() (rawAttr, error) {
	src := p.src
	at := p.pos
	if err := p.name("attribute"); err != nil {
		return rawAttr{}, err
	}
	a := rawAttr{qOff: at, qLen: p.pos - at, at: at, hash: qnameHash(src[at:p.pos])}
	p.skipSpace()
	if p.pos >= len(src) || src[p.pos] != '=' {
		return a, p.errAt(p.pos, "expected \"=\" after attribute name %s", src[at:at+a.qLen])
	}
	p.pos++
	p.skipSpace()
	if p.pos >= len(src) || (src[p.pos] != '"' && src[p.pos] != '\'') {
		return a, p.errAt(p.pos, "the value of attribute %s must be in quotes", src[at:at+a.qLen])
	}
	q := src[p.pos]
	vstart := p.pos + 1
	i := vstart
	decode := false
	for {
		if i >= len(src) {
			return a, p.errAt(vstart-1, "the value of attribute %s is not closed", src[at:at+a.qLen])
		}
		c := src[i]
		if c == q {
			break
		}
		switch {
		case c == '<':
			return a, p.errAt(i, "\"<\" is not allowed in an attribute value; write \"&lt;\"")
		case c == '&':
			n, _, err := p.entity(i)
			if err != nil {
				return a, err
			}
			i += n
			decode = true
			continue
		case c == '\t' || c == '\n' || c == '\r':
			decode = true
		case c < 0x20:
			return a, p.errAt(i, "control character 0x%02X is not allowed in XML", c)
		case c >= 0x80:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				return a, p.errAt(i, "invalid UTF-8 byte 0x%02X: the document must be UTF-8 (or declare ISO-8859-1)", c)
			}
			if !isXMLChar(r) {
				return a, p.errAt(i, "character U+%04X is not allowed in XML", r)
			}
			i += size
			continue
		}
		i++
	}
	if decode {
		off := len(p.d.aux)
		var err error
		p.d.aux, err = p.decode(p.d.aux, vstart, i, true)
		if err != nil {
			return a, err
		}
		a.off, a.n = uint32(off)|auxBit, uint32(len(p.d.aux)-off)
	} else {
		a.off, a.n = uint32(vstart), uint32(i-vstart)
	}
	p.pos = i + 1
	return a, nil
}

func (p *parser) endTag() error {
	src := p.src
	start := p.pos
	p.pos += 2
	qOff := p.pos
	// Most end tags repeat the name of the element they close: that name
	// was checked when it was opened, so comparing the bytes is enough
	// when the name ends where it should.
	fast := false
	if len(p.open) > 0 {
		top := p.open[len(p.open)-1]
		if end := qOff + top.qLen; end < len(src) && src[end] < 0x80 && nameChar[src[end]] == 0 &&
			sameBytes(src, qOff, top.qOff, top.qLen) {
			p.pos, fast = end, true
		}
	}
	if !fast {
		if err := p.name("element"); err != nil {
			return err
		}
	}
	q := src[qOff:p.pos]
	if p.pos < len(src) && src[p.pos] == '>' {
		p.pos++
	} else {
		p.skipSpace()
		if p.pos >= len(src) || src[p.pos] != '>' {
			return p.errAt(p.pos, "expected \">\" to end the end tag </%s>", q)
		}
		p.pos++
	}
	if len(p.open) == 0 {
		return p.errAt(start, "end tag </%s> has no matching start tag", q)
	}
	top := p.open[len(p.open)-1]
	if !fast && !bytes.Equal(q, src[top.qOff:top.qOff+top.qLen]) {
		l, c := p.d.Pos(top.id)
		return p.errAt(start, "end tag </%s> does not match <%s> opened at %d:%d", q, src[top.qOff:top.qOff+top.qLen], l, c)
	}
	d := p.d
	if p.pending && len(d.nodes) == int(top.id)+1 {
		// Whitespace that is an element's whole content is its value.
		d.nodes = append(d.nodes, node{key: textKey(p.pendAt), parent: top.id, end: NodeID(len(d.nodes)) + 1, a: p.pendOff, b: p.pendN})
	}
	p.pending = false
	d.nodes[top.id].end = NodeID(len(d.nodes))
	if len(p.ns) != top.nsMark {
		p.nsGen++
	}
	p.ns = p.ns[:top.nsMark]
	p.open = p.open[:len(p.open)-1]
	if len(p.open) == 0 {
		p.rootEnded = true
	}
	return nil
}

func (p *parser) skipSpace() bool {
	start := p.pos
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

// name scans a qualified name at p.pos. Names in invoices are ASCII: this
// loop handles them and leaves anything else, and every error, to nameSlow.
// It reads four bytes a step and counts colons without a branch: a name
// is valid when it has at most one and does not end in it (it cannot
// start with one).
func (p *parser) name(what string) error {
	src := p.src
	start := p.pos
	if start >= len(src) || asciiName[src[start]] != 2 || src[start] == ':' {
		return p.nameSlow(what)
	}
	i, colons := start+1, uint8(0)
	for i+4 <= len(src) {
		t0, t1, t2, t3 := nameStep[src[i]], nameStep[src[i+1]], nameStep[src[i+2]], nameStep[src[i+3]]
		if t0&t1&t2&t3 == 0 {
			break
		}
		colons += t0>>2 + t1>>2 + t2>>2 + t3>>2
		i += 4
	}
	for i < len(src) {
		t := nameStep[src[i]]
		if t == 0 {
			break
		}
		colons += t >> 2
		i++
	}
	if (i < len(src) && src[i] >= 0x80) || colons > 1 || src[i-1] == ':' {
		return p.nameSlow(what)
	}
	p.pos = i
	return nil
}

// nameSlow scans a qualified name at p.pos one character at a time,
// non-ASCII names included, and says what is wrong with a bad one.
func (p *parser) nameSlow(what string) error {
	src := p.src
	start := p.pos
	i := start
	colons := 0
	for i < len(src) {
		c := src[i]
		if c < 0x80 {
			if nameChar[c] == 0 {
				break
			}
			if c == ':' {
				colons++
			}
			if i == start && nameChar[c] != 2 {
				return p.errAt(i, "an %s name cannot start with %q", what, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return p.errAt(i, "invalid UTF-8 byte 0x%02X in a name", c)
		}
		if !isNameRune(r, i == start) {
			if i == start {
				return p.errAt(i, "an %s name cannot start with %q", what, r)
			}
			break
		}
		i += size
	}
	if i == start {
		if i >= len(src) {
			return p.errAt(i, "the document ends where an %s name was expected", what)
		}
		return p.errAt(i, "expected an %s name", what)
	}
	q := src[start:i]
	if colons > 1 || q[0] == ':' || q[len(q)-1] == ':' {
		return p.errAt(start, "%q is not a valid qualified name", q)
	}
	p.pos = i
	return nil
}

// entity checks the entity or character reference at src[i] ('&') and
// returns its length and replacement.
func (p *parser) entity(i int) (int, []byte, error) {
	src := p.src
	j := bytes.IndexByte(src[i:min(len(src), i+40)], ';')
	if j < 0 {
		return 0, nil, p.errAt(i, "\"&\" must start an entity reference such as &amp; (write \"&amp;\" for a literal &)")
	}
	ref := src[i+1 : i+j]
	switch string(ref) {
	case "lt":
		return j + 1, []byte("<"), nil
	case "gt":
		return j + 1, []byte(">"), nil
	case "amp":
		return j + 1, []byte("&"), nil
	case "apos":
		return j + 1, []byte("'"), nil
	case "quot":
		return j + 1, []byte("\""), nil
	}
	if len(ref) > 1 && ref[0] == '#' {
		var r rune
		digits := ref[1:]
		base := rune(10)
		if digits[0] == 'x' {
			base, digits = 16, digits[1:]
		}
		if len(digits) == 0 || len(digits) > 8 {
			return 0, nil, p.errAt(i, "malformed character reference &%s;", ref)
		}
		for _, c := range digits {
			var v rune
			switch {
			case c >= '0' && c <= '9':
				v = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				v = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				v = rune(c-'A') + 10
			default:
				return 0, nil, p.errAt(i, "malformed character reference &%s;", ref)
			}
			r = r*base + v
		}
		if !isXMLChar(r) {
			return 0, nil, p.errAt(i, "character reference &%s; is to a character not allowed in XML", ref)
		}
		return j + 1, utf8.AppendRune(nil, r), nil
	}
	return 0, nil, p.errAt(i, "undefined entity &%s;: only &lt; &gt; &amp; &apos; &quot; and character references are allowed", ref)
}

// decode appends src[from:to] to dst with references replaced and line
// ends normalised; in attribute values whitespace characters become spaces.
func (p *parser) decode(dst []byte, from, to int, attr bool) ([]byte, error) {
	if !attr {
		return p.decodeText(dst, from, to)
	}
	src := p.src
	for i := from; i < to; {
		c := src[i]
		switch {
		case c == '&':
			n, rep, err := p.entity(i)
			if err != nil {
				return dst, err
			}
			dst = append(dst, rep...)
			i += n
			continue
		case c == '\r':
			if i+1 < to && src[i+1] == '\n' {
				i++
				continue // the \n is written next
			}
			c = '\n'
		}
		if attr && (c == '\n' || c == '\t') {
			c = ' '
		}
		dst = append(dst, c)
		i++
	}
	return dst, nil
}

// decodeText is decode for text: the runs between references and CRs are
// copied whole, found by bytes.IndexByte (an attachment whose base64 has
// CR LF line ends is megabytes of such runs).
func (p *parser) decodeText(dst []byte, from, to int) ([]byte, error) {
	src := p.src
	dst = slices.Grow(dst, to-from)
	amp, cr := -1, -1 // the next '&' and CR from i on, to when there is none
	for i := from; i < to; {
		if amp < i {
			amp = to
			if k := bytes.IndexByte(src[i:to], '&'); k >= 0 {
				amp = i + k
			}
		}
		if cr < i {
			cr = to
			if k := bytes.IndexByte(src[i:to], '\r'); k >= 0 {
				cr = i + k
			}
		}
		j := min(amp, cr)
		dst = append(dst, src[i:j]...)
		if i = j; i >= to {
			break
		}
		if src[i] == '&' {
			n, rep, err := p.entity(i)
			if err != nil {
				return dst, err
			}
			dst = append(dst, rep...)
			i += n
			continue
		}
		// A CR: with the LF after it, the LF is copied with the next run.
		if i+1 >= to || src[i+1] != '\n' {
			dst = append(dst, '\n')
		}
		i++
	}
	return dst, nil
}

// resolveName turns the qualified name at src[off:off+n] into a NameID,
// through the cache when the same name was resolved under the same
// bindings before.
func (p *parser) resolveName(off, n int, h uint32, attr bool) (NameID, error) {
	q := p.src[off : off+n]
	if attr {
		h += 0x9e3779b9
	}
	e := &p.cache[h>>22] // 1024 entries: 256 left one name in five sharing a slot
	key := int32(n)
	if attr {
		key |= cacheAttr
	}
	if e.gen == p.nsGen && e.n == key && sameBytes(p.src, int(e.off), off, n) {
		return e.id, nil
	}
	prefix, local := splitQName(q)
	ns := &noNamespace
	if prefix != nil || !attr { // unprefixed attributes are in no namespace
		if ns = p.resolve(prefix); ns == nil {
			if attr {
				return 0, p.errAt(off, "namespace prefix %q of attribute %s is not declared", prefix, q)
			}
			return 0, p.errAt(off, "namespace prefix %q of <%s> is not declared", prefix, q)
		}
	}
	id := p.internName(ns, local, off+n-len(local), len(prefix))
	*e = nameCacheEntry{off: int32(off), n: key, gen: p.nsGen, id: id}
	return id, nil
}

// The bindings in scope before any declaration: no prefix means no
// namespace, and xml is bound for ever. Read only.
var (
	noNamespace = nsBinding{}
	xmlBinding  = nsBinding{prefix: "xml", uri: xmlNamespace, off: xmlSpace}
)

// resolve finds the binding of prefix in scope (a pointer, not a copy: a
// binding is five words), nil when there is none.
func (p *parser) resolve(prefix []byte) *nsBinding {
	if len(prefix) == 0 {
		for i := len(p.ns) - 1; i >= 0; i-- {
			if p.ns[i].prefix == "" {
				return &p.ns[i]
			}
		}
		return &noNamespace
	}
	for i := len(p.ns) - 1; i >= 0; i-- {
		if p.ns[i].prefix == string(prefix) {
			return &p.ns[i]
		}
	}
	if string(prefix) == "xml" {
		return &xmlBinding
	}
	return nil
}

// internName returns the ID of {ns}local, local being at src[localOff],
// adding it with the prefix of length prefixN written before local when
// it is new.
func (p *parser) internName(ns *nsBinding, local []byte, localOff, prefixN int) NameID {
	d := p.d
	loc := p.str(local)
	h := hashName(ns.uri, loc)
	id, slot := d.byName.findHash(d, ns.uri, loc, h)
	if id >= 0 {
		return id
	}
	id = NameID(len(d.names))
	d.names = append(d.names, nameRec{space: ns.off, spaceN: ns.n, local: uint32(localOff), localN: uint32(len(local)), prefixN: uint32(prefixN)})
	d.byName.addAt(d, id, slot)
	return id
}

// str views input bytes as a string without copying; the input is never
// modified once parsing starts.
func (p *parser) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// sameBytes reports whether src[a:a+n] and src[b:b+n] are equal (both in
// range). Names are mostly 8 to 32 bytes: compared eight bytes at a time
// inline, they cost less than a call of bytes.Equal.
func sameBytes(src []byte, a, b, n int) bool {
	x, y := src[a:a+n:a+n], src[b:b+n:b+n]
	if n < 8 {
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	for len(x) > 8 {
		if binary.LittleEndian.Uint64(x) != binary.LittleEndian.Uint64(y) {
			return false
		}
		x, y = x[8:], y[8:]
	}
	// The last eight bytes, overlapping what was compared already.
	return binary.LittleEndian.Uint64(src[a+n-8:]) == binary.LittleEndian.Uint64(src[b+n-8:])
}

// splitQName splits at the colon, found by a plain loop: prefixes are a
// few bytes long, too short for bytes.IndexByte to pay for its call.
func splitQName(q []byte) (prefix, local []byte) {
	for i, c := range q {
		if c == ':' {
			return q[:i], q[i+1:]
		}
	}
	return nil, q
}

func appendNewlines(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		dst = append(dst, c)
	}
	return dst
}
