package schematron

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// The rule files are read into a small element tree that keeps what the
// compiler needs and xmltree does not: every element's in-scope namespace
// declarations (xsl:function bodies use the prefixes of the file), and
// where each attribute value lies in the file, so that an error in an
// XPath expression points at its line and column.

const (
	nsSch = "http://purl.oclc.org/dsdl/schematron"
	nsXSL = "http://www.w3.org/1999/XSL/Transform"
)

// maxFileSize and maxNesting bound what a rule file may be.
const (
	maxFileSize = 32 << 20
	maxNesting  = 100
)

type source struct {
	file  string
	data  []byte
	lines []int // byte offsets of line starts
}

// pos is the line and column (in characters) of byte offset off.
func (s *source) pos(off int) (int, int) {
	if s.lines == nil {
		s.lines = append(s.lines, 0)
		for i, c := range s.data {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	l := sort.SearchInts(s.lines, off+1) - 1
	if l < 0 {
		l = 0
	}
	if off > len(s.data) {
		off = len(s.data)
	}
	return l + 1, 1 + utf8.RuneCount(s.data[s.lines[l]:off])
}

func (s *source) where(off int) string {
	l, c := s.pos(off)
	return fmt.Sprintf("%s:%d:%d", s.file, l, c)
}

type element struct {
	name     xml.Name
	attrs    []attribute
	children []any // *element or string
	ns       map[string]string
	src      *source
	off      int // offset of '<'
}

type attribute struct {
	name  xml.Name
	value string
	// raw[i] is the file offset of byte i of value (len(value)+1 entries);
	// nil when unknown.
	raw []int
}

func (e *element) is(space, local string) bool { return e.name.Space == space && e.name.Local == local }

func (e *element) where() string { return e.src.where(e.off) }

func (e *element) attr(local string) (string, bool) {
	for _, a := range e.attrs {
		if a.name.Space == "" && a.name.Local == local {
			return a.value, true
		}
	}
	return "", false
}

func (e *element) attrNode(local string) *attribute {
	for i := range e.attrs {
		if e.attrs[i].name.Space == "" && e.attrs[i].name.Local == local {
			return &e.attrs[i]
		}
	}
	return nil
}

func (e *element) elements() []*element {
	var out []*element
	for _, c := range e.children {
		if ce, ok := c.(*element); ok {
			out = append(out, ce)
		}
	}
	return out
}

// text is the element's text content, descendants included.
func (e *element) text() string {
	var b strings.Builder
	var walk func(*element)
	walk = func(e *element) {
		for _, c := range e.children {
			switch c := c.(type) {
			case string:
				b.WriteString(c)
			case *element:
				walk(c)
			}
		}
	}
	walk(e)
	return b.String()
}

// readXML parses a rule file.
func readXML(file string, data []byte) (*element, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: the file is over %d bytes", file, maxFileSize)
	}
	src := &source{file: file, data: data}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*element
	var root *element
	nsStack := []map[string]string{{"xml": "http://www.w3.org/XML/1998/namespace"}}
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("%s:%d: %s", file, se.Line, se.Msg)
			}
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxNesting {
				return nil, fmt.Errorf("%s: elements are nested too deeply", src.where(start))
			}
			end := int(dec.InputOffset())
			ns := nsStack[len(nsStack)-1]
			copied := false
			for _, a := range t.Attr {
				prefix := ""
				switch {
				case a.Name.Space == "xmlns":
					prefix = a.Name.Local
				case a.Name.Space == "" && a.Name.Local == "xmlns":
				default:
					continue
				}
				if !copied {
					m := make(map[string]string, len(ns)+1)
					for k, v := range ns {
						m[k] = v
					}
					ns, copied = m, true
				}
				ns[prefix] = a.Value
			}
			el := &element{name: t.Name, ns: ns, src: src, off: start}
			spans := attrSpans(data, start, end)
			for i, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				at := attribute{name: a.Name, value: a.Value}
				if i < len(spans) {
					at.raw = rawMap(data, spans[i][0], spans[i][1], a.Value)
				}
				el.attrs = append(el.attrs, at)
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, el)
			} else if root == nil {
				root = el
			}
			stack = append(stack, el)
			nsStack = append(nsStack, ns)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			nsStack = nsStack[:len(nsStack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, string(t))
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%s: no root element", file)
	}
	return root, nil
}

// attrSpans finds the raw value spans of the attributes of the start tag
// data[start:end], in order.
func attrSpans(data []byte, start, end int) [][2]int {
	var out [][2]int
	i := start + 1
	for i < end && !isSpace(data[i]) && data[i] != '>' && data[i] != '/' {
		i++
	}
	for i < end {
		for i < end && isSpace(data[i]) {
			i++
		}
		if i >= end || data[i] == '>' || data[i] == '/' {
			break
		}
		for i < end && data[i] != '=' && !isSpace(data[i]) {
			i++
		}
		for i < end && (isSpace(data[i]) || data[i] == '=') {
			i++
		}
		if i >= end {
			break
		}
		q := data[i]
		if q != '"' && q != '\'' {
			break
		}
		i++
		j := bytes.IndexByte(data[i:end], q)
		if j < 0 {
			break
		}
		out = append(out, [2]int{i, i + j})
		i += j + 1
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// rawMap maps each byte of a decoded attribute value to its offset in the
// file, undoing entity references and line-end normalization.
func rawMap(data []byte, from, to int, value string) []int {
	m := make([]int, 0, len(value)+1)
	i := from
	for i < to && len(m) < len(value) {
		c := data[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(data[i:to], ';')
			if j < 0 {
				return nil
			}
			n := decodedLen(string(data[i+1 : i+j]))
			for k := 0; k < n; k++ {
				m = append(m, i)
			}
			i += j + 1
		case c == '\r' && i+1 < to && data[i+1] == '\n':
			m = append(m, i)
			i += 2
		default:
			m = append(m, i)
			i++
		}
	}
	if len(m) != len(value) {
		return nil
	}
	return append(m, to)
}

func decodedLen(ent string) int {
	if strings.HasPrefix(ent, "#") {
		var r int
		var err error
		if strings.HasPrefix(ent, "#x") {
			_, err = fmt.Sscanf(ent[2:], "%x", &r)
		} else {
			_, err = fmt.Sscanf(ent[1:], "%d", &r)
		}
		if err != nil {
			return 1
		}
		return utf8.RuneLen(rune(r))
	}
	return 1
}
