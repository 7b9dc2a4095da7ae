package xmltree

import (
	"unicode/utf8"
)

// Character classes for the text scanner's hot loop.
const (
	clsPlain   = 0 // an ordinary printable ASCII character
	clsSpace   = 1 // space, tab, line feed
	clsSpecial = 2 // needs a closer look: < & ] CR, controls, non-ASCII
)

var charClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			t[c] = clsSpace
		case c == '<' || c == '&' || c == ']' || c == '\r' || c < 0x20 || c >= 0x7F:
			t[c] = clsSpecial
		default:
			t[c] = clsPlain
		}
	}
	t[0x7F] = clsPlain // DEL is a legal XML character
	return t
}()

// plainWord reports whether the eight bytes of w are all of class
// clsPlain: none below '!' (controls and white space), none from 0x80, and
// none of '<', '&' and ']'.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) bool { return (v-ones)&^v&highs != 0 } // some byte of v is 0
	if w&highs != 0 || (w-ones*'!')&^w&highs != 0 {
		return false
	}
	return !zero(w^(ones*'<')) && !zero(w^(ones*'&')) && !zero(w^(ones*']'))
}

// textBits are the classes of charClass as bits, for a scan that ORs them
// over a whole run of text.
const (
	textPlain = 1 << clsPlain
	textOther = 1 << clsSpecial
)

var textBits = func() (t [256]uint8) {
	for c := range 256 {
		if charClass[c] != clsSpace {
			t[c] = 1 << charClass[c]
		}
	}
	return t
}()

// nameChar: 0 = not in a name, 1 = name character, 2 = may also start a name.
var nameChar = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 2
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 2
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	t['_'], t[':'] = 2, 2
	t['-'], t['.'] = 1, 1
	return t
}()

// nameStep is 1 for an ASCII name character other than ':', 5 for ':'
// (so that t>>2 counts colons), and 0 for every other byte.
var nameStep = func() (t [256]uint8) {
	for c := range nameChar {
		if nameChar[c] != 0 {
			t[c] = 1
		}
	}
	t[':'] = 5
	return t
}()

// asciiName is nameChar over all bytes, 0 from 0x80 up (where a name is
// read by the slow path).
var asciiName = func() (t [256]uint8) {
	copy(t[:], nameChar[:])
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// isNameRune applies the XML 1.0 (fifth edition) NameStartChar and NameChar
// productions to a non-ASCII rune.
func isNameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	if first {
		return false
	}
	return r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040)
}

// validChars reports whether b is UTF-8 made of XML characters, and if not
// the offset of the first bad byte.
func validChars(b []byte) (int, bool) {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size <= 1) || !isXMLChar(r) {
			return i, false
		}
		i += size
	}
	return 0, true
}
