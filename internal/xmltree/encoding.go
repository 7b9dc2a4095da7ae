package xmltree

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// decodeInput strips a UTF-8 byte order mark and converts a document that
// declares ISO-8859-1 or US-ASCII to UTF-8. Everything else must already be
// UTF-8: invoices in the Peppol network are, and a handful of official EHF
// catalogue examples declare ISO-8859-1.
func decodeInput(data []byte, file string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil // a BOM means UTF-8, whatever the declaration says
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}),
		bytes.HasPrefix(data, []byte{0, '<'}), bytes.HasPrefix(data, []byte{'<', 0}):
		return nil, &SyntaxError{File: file, Line: 1, Col: 1, Msg: "the document is UTF-16 encoded; only UTF-8 (and ISO-8859-1 or US-ASCII when declared) is accepted: save it as UTF-8"}
	}
	enc, ok := declaredEncoding(data)
	if !ok || isUTF8Label(enc) { // the common case, told without allocating
		return data, nil
	}
	switch strings.ToLower(string(enc)) {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819", "csisolatin1":
		return latin1ToUTF8(data), nil
	case "us-ascii", "ascii", "iso646-us", "us", "ansi_x3.4-1968", "csascii":
		for i, c := range data {
			if c >= 0x80 {
				line, col := lineCol(data, i)
				return nil, &SyntaxError{File: file, Line: line, Col: col, Msg: "the document declares US-ASCII but has a byte above 127 here: declare the encoding it really uses (UTF-8)"}
			}
		}
		return data, nil
	}
	return nil, &SyntaxError{File: file, Line: 1, Col: 1, Msg: "unsupported encoding " + quote(string(enc)) + ": only UTF-8, ISO-8859-1 and US-ASCII are accepted; save the document as UTF-8"}
}

// isUTF8Label reports whether enc names UTF-8, in any case.
func isUTF8Label(enc []byte) bool {
	return bytes.EqualFold(enc, []byte("utf-8")) || bytes.EqualFold(enc, []byte("utf8"))
}

// declaredEncoding reads the encoding pseudo-attribute of an XML
// declaration, if the document starts with one that has it.
func declaredEncoding(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, []byte("<?xml")) || len(data) < 6 || !isSpace(data[5]) {
		return nil, false
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return nil, false // the parser reports the unterminated declaration
	}
	decl := data[5:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return nil, false
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return nil, false
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return nil, false
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return nil, false
	}
	return rest[1 : 1+j], true
}

func latin1ToUTF8(data []byte) []byte {
	n := len(data)
	for _, c := range data {
		if c >= 0x80 {
			n++
		}
	}
	if n == len(data) {
		return data
	}
	out := make([]byte, 0, n)
	for _, c := range data {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// lineCol computes a position from scratch; used only on error paths.
func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return "\"" + s + "\""
}
