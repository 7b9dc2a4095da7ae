package xsd

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// position is a 1-based line and column (in characters).
type position struct{ line, col int }

// elementPositions finds where the start tags of the given elements begin.
// Elements are numbered 1, 2, ... in document order, the way the C side
// numbers them before validation. libxml2 records only the line on which a
// start tag ends, so this scan is what gives an error its column (and the
// right line when a start tag spans several lines).
//
// The scan relies on the document being well-formed, which libxml2 has
// already established: outside comments, CDATA sections, processing
// instructions and the DOCTYPE, every '<' starts a tag, because '<' may not
// appear raw in text or in attribute values.
func elementPositions(doc []byte, want []int64) map[int64]position {
	if len(want) == 0 {
		return nil
	}
	wanted := make(map[int64]bool, len(want))
	var last int64
	for _, w := range want {
		wanted[w] = true
		last = max(last, w)
	}
	offsets := make(map[int64]int, len(wanted))
	var n int64
	for i := 0; i < len(doc) && n < last; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := doc[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(doc, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(doc, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!")):
			i = skipDeclaration(doc, i+2)
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipPast(doc, i+2, "?>")
		case bytes.HasPrefix(rest, []byte("</")):
			i += 2
		default:
			n++
			if wanted[n] {
				offsets[n] = i
			}
			i++
		}
	}
	return offsetsToPositions(doc, offsets)
}

// skipPast returns the index just after the first end at or after from, or
// len(doc) when there is none.
func skipPast(doc []byte, from int, end string) int {
	k := bytes.Index(doc[from:], []byte(end))
	if k < 0 {
		return len(doc)
	}
	return from + k + len(end)
}

// skipDeclaration skips a <!...> declaration such as a DOCTYPE with an
// internal subset, where quoted entity values may hold '<' and '>'.
func skipDeclaration(doc []byte, i int) int {
	depth := 0
	for i < len(doc) {
		switch c := doc[i]; c {
		case '"', '\'':
			k := bytes.IndexByte(doc[i+1:], c)
			if k < 0 {
				return len(doc)
			}
			i += k + 2
			continue
		case '<':
			if bytes.HasPrefix(doc[i:], []byte("<!--")) {
				i = skipPast(doc, i+4, "-->")
				continue
			}
			depth++
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return i + 1
			}
			depth--
		}
		i++
	}
	return len(doc)
}

// offsetsToPositions turns byte offsets into lines and character columns in
// one pass over the document.
func offsetsToPositions(doc []byte, offsets map[int64]int) map[int64]position {
	type item struct {
		id  int64
		off int
	}
	items := make([]item, 0, len(offsets))
	for id, off := range offsets {
		items = append(items, item{id, off})
	}
	slices.SortFunc(items, func(a, b item) int { return a.off - b.off })
	out := make(map[int64]position, len(items))
	line, lineStart, scanned := 1, 0, 0
	if bytes.HasPrefix(doc, []byte("\xef\xbb\xbf")) {
		lineStart = 3 // a byte order mark is not a character anyone sees
	}
	for _, it := range items {
		for scanned < it.off {
			k := bytes.IndexByte(doc[scanned:it.off], '\n')
			if k < 0 {
				scanned = it.off
				break
			}
			scanned += k + 1
			line++
			lineStart = scanned
		}
		col := 1
		if it.off > lineStart {
			col = utf8.RuneCount(doc[lineStart:it.off]) + 1
		}
		out[it.id] = position{line: line, col: col}
	}
	return out
}
