package xpath

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// XPath regular expressions are XML Schema regular expressions with ^ and
// $ anchors, reluctant quantifiers and the flags s, m, i, x (and q). Go's
// RE2 has the same leftmost-first semantics but different escapes, so
// patterns are translated; what RE2 cannot do (back-references, class
// subtraction, Unicode block names) is an error rather than a different
// match.

// compileRegex translates and compiles an XPath pattern with flags.
func compileRegex(pattern, flags string) (*regexp.Regexp, error) {
	var dotAll, multi, icase, extended, literal bool
	for _, f := range flags {
		switch f {
		case 's':
			dotAll = true
		case 'm':
			multi = true
		case 'i':
			icase = true
		case 'x':
			extended = true
		case 'q':
			literal = true
		default:
			return nil, dynErr("FORX0001", "invalid regular expression flag %q", f)
		}
	}
	var src string
	if literal {
		src = regexp.QuoteMeta(pattern)
	} else {
		var err error
		src, err = translateRegex(pattern, dotAll, extended)
		if err != nil {
			return nil, err
		}
	}
	prefix := ""
	if multi {
		prefix += "m"
	}
	if icase {
		prefix += "i"
	}
	if prefix != "" {
		src = "(?" + prefix + ")" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, dynErr("FORX0002", "invalid regular expression %s: %v", quote(pattern), err)
	}
	return re, nil
}

const (
	classSpace    = `\x20\t\n\r`
	classNotSpace = `^\x20\t\n\r`
)

func translateRegex(p string, dotAll, extended bool) (string, error) {
	var b strings.Builder
	bad := func(format string, args ...any) (string, error) {
		return "", dynErr("FORX0002", "invalid regular expression %s: %s", quote(p), fmt.Sprintf(format, args...))
	}
	inClass := 0 // depth of [ ]
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if extended && (r == ' ' || r == '\t' || r == '\n' || r == '\r') && inClass == 0 {
			i += n
			continue
		}
		switch r {
		case '\\':
			if i+1 >= len(p) {
				return bad("it ends with a backslash")
			}
			e, en := utf8.DecodeRuneInString(p[i+1:])
			i += 1 + en
			switch e {
			case 'n', 'r', 't', '\\', '|', '.', '-', '^', '?', '*', '+', '{', '}', '(', ')', '[', ']', '$':
				b.WriteByte('\\')
				b.WriteRune(e)
			case 'd':
				b.WriteString(`\p{Nd}`)
			case 'D':
				b.WriteString(`\P{Nd}`)
			case 's':
				if inClass > 0 {
					b.WriteString(classSpace)
				} else {
					b.WriteString("[" + classSpace + "]")
				}
			case 'S':
				if inClass > 0 {
					return bad(`\S inside a character class is not supported`)
				}
				b.WriteString("[" + classNotSpace + "]")
			case 'w':
				if inClass > 0 {
					return bad(`\w inside a character class is not supported`)
				}
				b.WriteString(`[^\p{P}\p{Z}\p{C}]`)
			case 'W':
				if inClass > 0 {
					return bad(`\W inside a character class is not supported`)
				}
				b.WriteString(`[\p{P}\p{Z}\p{C}]`)
			case 'i':
				if inClass > 0 {
					b.WriteString(`\p{L}_:`)
				} else {
					b.WriteString(`[\p{L}_:]`)
				}
			case 'c':
				if inClass > 0 {
					b.WriteString(`\p{L}\p{Nd}\p{Mn}\p{Mc}._:\-`)
				} else {
					b.WriteString(`[\p{L}\p{Nd}\p{Mn}\p{Mc}._:\-]`)
				}
			case 'I', 'C':
				return bad(`\%c is not supported`, e)
			case 'p', 'P':
				j := strings.IndexByte(p[i:], '}')
				if !strings.HasPrefix(p[i:], "{") || j < 0 {
					return bad(`\%c must be followed by {name}`, e)
				}
				name := p[i+1 : i+j]
				if strings.HasPrefix(name, "Is") {
					return bad("Unicode block %s is not supported", name)
				}
				b.WriteByte('\\')
				b.WriteRune(e)
				b.WriteString(p[i : i+j+1])
				i += j + 1
			default:
				if e >= '0' && e <= '9' {
					return bad("back-references are not supported")
				}
				return bad(`unknown escape \%c`, e)
			}
			continue
		case '[':
			if inClass > 0 {
				if i > 0 && p[i-1] == '-' {
					return bad("character class subtraction is not supported")
				}
				b.WriteString(`\[`)
				i++
				continue
			}
			inClass++
			b.WriteByte('[')
			i++
			if i < len(p) && p[i] == '^' {
				b.WriteByte('^')
				i++
			}
			// A ']' first in a class is an error in XSD; '-' first is literal.
			continue
		case ']':
			if inClass > 0 {
				inClass--
			}
			b.WriteByte(']')
		case '.':
			if inClass > 0 {
				b.WriteString(`\.`)
			} else if dotAll {
				b.WriteString(`(?s:.)`)
			} else {
				b.WriteString(`[^\n\r]`)
			}
		default:
			b.WriteRune(r)
		}
		i += n
	}
	if inClass > 0 {
		return bad("a character class is not closed")
	}
	return b.String(), nil
}

// regexFor returns the compiled pattern, from the call site's precompiled
// one when the pattern and flags were literals, or else from the
// program-wide cache.
func (x *Context) regexFor(pre *regexp.Regexp, pattern, flags string) (*regexp.Regexp, error) {
	if pre != nil {
		return pre, nil
	}
	key := flags + "\x00" + pattern
	if v, ok := x.c.regexes.Load(key); ok {
		return v.(*regexp.Regexp), nil
	}
	re, err := compileRegex(pattern, flags)
	if err != nil {
		return nil, err
	}
	x.c.regexes.Store(key, re)
	return re, nil
}

// replacement translates an XPath replacement string ($1, \$, \\) for
// Regexp.Expand.
func replacement(r string, groups int) (string, error) {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch c {
		case '\\':
			if i+1 < len(r) && (r[i+1] == '\\' || r[i+1] == '$') {
				if r[i+1] == '$' {
					b.WriteString("$$")
				} else {
					b.WriteByte('\\')
				}
				i++
				continue
			}
			return "", dynErr("FORX0004", "invalid replacement string %s: a backslash must escape $ or \\", quote(r))
		case '$':
			j := i + 1
			if j >= len(r) || r[j] < '0' || r[j] > '9' {
				return "", dynErr("FORX0004", "invalid replacement string %s: $ must be followed by a group number", quote(r))
			}
			num := int(r[j] - '0')
			j++
			for j < len(r) && r[j] >= '0' && r[j] <= '9' && num*10+int(r[j]-'0') <= groups {
				num = num*10 + int(r[j]-'0')
				j++
			}
			if num <= groups {
				fmt.Fprintf(&b, "${%d}", num)
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
