package xpath

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF       tokKind = iota
	tName              // NCName or QName: v
	tNsWild            // prefix:* : v is the prefix
	tLocalWild         // *:local : v is the local name
	tStar              // *
	tVar               // $name: v
	tString            // v: the value, quotes undone
	tInteger           // v: digits
	tDecimal           // v
	tDouble            // v
	tLParen
	tRParen
	tLBracket
	tRBracket
	tComma
	tSlash
	tSlash2 // //
	tAt
	tDot
	tDot2  // ..
	tAxis  // name:: : v is the axis name
	tEq    // =
	tNe    // !=
	tLt    // <
	tLe    // <=
	tGt    // >
	tGe    // >=
	tLtLt  // <<
	tGtGt  // >>
	tPipe  // |
	tPlus  // +
	tMinus // -
	tQuest // ?
	tAssign
	tBang   // !
	tConcat // ||
)

var tokNames = [...]string{
	tEOF: "end of expression", tName: "name", tNsWild: "prefix:*", tLocalWild: "*:name", tStar: "'*'",
	tVar: "variable", tString: "string literal", tInteger: "number", tDecimal: "number", tDouble: "number",
	tLParen: "'('", tRParen: "')'", tLBracket: "'['", tRBracket: "']'", tComma: "','", tSlash: "'/'",
	tSlash2: "'//'", tAt: "'@'", tDot: "'.'", tDot2: "'..'", tAxis: "axis", tEq: "'='", tNe: "'!='",
	tLt: "'<'", tLe: "'<='", tGt: "'>'", tGe: "'>='", tLtLt: "'<<'", tGtGt: "'>>'", tPipe: "'|'",
	tPlus: "'+'", tMinus: "'-'", tQuest: "'?'", tAssign: "':='", tBang: "'!'", tConcat: "'||'",
}

type token struct {
	k   tokKind
	v   string
	pos int // byte offset in the expression
	// lparen: a '(' follows the token (after spaces and comments); used to
	// tell function calls and kind tests from name tests.
	lparen bool
}

func (t token) String() string {
	switch t.k {
	case tName, tVar, tInteger, tDecimal, tDouble:
		if t.k == tVar {
			return "'$" + t.v + "'"
		}
		return "'" + t.v + "'"
	case tString:
		return "string literal"
	case tAxis:
		return "'" + t.v + "::'"
	}
	return tokNames[t.k]
}

// lex splits an expression into tokens.
func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		l.toks = append(l.toks, t)
		if t.k == tEOF {
			break
		}
	}
	// Mark names followed by '('.
	for i := 0; i+1 < len(l.toks); i++ {
		l.toks[i].lparen = l.toks[i+1].k == tLParen
	}
	return l.toks, nil
}

type lexer struct {
	src  string
	pos  int
	toks []token
}

func (l *lexer) errf(pos int, format string, args ...any) error {
	return errorf(pos, format, args...)
}

// skip passes over whitespace and (: comments :), which nest.
func (l *lexer) skip() error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case c == '(' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ':':
			start := l.pos
			depth := 0
			for l.pos < len(l.src) {
				if strings.HasPrefix(l.src[l.pos:], "(:") {
					depth++
					l.pos += 2
				} else if strings.HasPrefix(l.src[l.pos:], ":)") {
					depth--
					l.pos += 2
					if depth == 0 {
						break
					}
				} else {
					l.pos++
				}
			}
			if depth != 0 {
				return l.errf(start, "comment is not closed")
			}
		default:
			return nil
		}
	}
	return nil
}

func isNameStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r)
}

func isNameChar(r rune) bool {
	return r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0xB7
}

// ncname reads an NCName at l.pos, or returns "".
func (l *lexer) ncname() string {
	start := l.pos
	r, n := utf8.DecodeRuneInString(l.src[l.pos:])
	if !isNameStart(r) {
		return ""
	}
	l.pos += n
	for l.pos < len(l.src) {
		r, n = utf8.DecodeRuneInString(l.src[l.pos:])
		if !isNameChar(r) {
			break
		}
		l.pos += n
	}
	return l.src[start:l.pos]
}

func (l *lexer) next() (token, error) {
	if err := l.skip(); err != nil {
		return token{}, err
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{k: tEOF, pos: start}, nil
	}
	c := l.src[l.pos]
	tok := func(k tokKind, n int) (token, error) {
		l.pos += n
		return token{k: k, pos: start}, nil
	}
	at := func(s string) bool { return strings.HasPrefix(l.src[l.pos:], s) }
	switch c {
	case '(':
		return tok(tLParen, 1)
	case ')':
		return tok(tRParen, 1)
	case '[':
		return tok(tLBracket, 1)
	case ']':
		return tok(tRBracket, 1)
	case ',':
		return tok(tComma, 1)
	case '@':
		return tok(tAt, 1)
	case '=':
		return tok(tEq, 1)
	case '+':
		return tok(tPlus, 1)
	case '-':
		return tok(tMinus, 1)
	case '?':
		return tok(tQuest, 1)
	case '/':
		if at("//") {
			return tok(tSlash2, 2)
		}
		return tok(tSlash, 1)
	case '|':
		if at("||") {
			return tok(tConcat, 2)
		}
		return tok(tPipe, 1)
	case '!':
		if at("!=") {
			return tok(tNe, 2)
		}
		return tok(tBang, 1)
	case '<':
		if at("<=") {
			return tok(tLe, 2)
		}
		if at("<<") {
			return tok(tLtLt, 2)
		}
		return tok(tLt, 1)
	case '>':
		if at(">=") {
			return tok(tGe, 2)
		}
		if at(">>") {
			return tok(tGtGt, 2)
		}
		return tok(tGt, 1)
	case ':':
		if at(":=") {
			return tok(tAssign, 2)
		}
		return token{}, l.errf(start, "unexpected ':'")
	case '*':
		if at("*:") {
			l.pos += 2
			local := l.ncname()
			if local == "" {
				return token{}, l.errf(start, "expected a local name after '*:'")
			}
			return token{k: tLocalWild, v: local, pos: start}, nil
		}
		return tok(tStar, 1)
	case '$':
		l.pos++
		name, err := l.qname()
		if err != nil {
			return token{}, err
		}
		if name == "" {
			return token{}, l.errf(start, "expected a variable name after '$'")
		}
		return token{k: tVar, v: name, pos: start}, nil
	case '"', '\'':
		return l.str(c)
	case '.':
		if at("..") {
			return tok(tDot2, 2)
		}
		if l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]) {
			return l.number()
		}
		return tok(tDot, 1)
	}
	if isDigit(c) {
		return l.number()
	}
	name, err := l.qname()
	if err != nil {
		return token{}, err
	}
	if name == "" {
		r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
		return token{}, l.errf(start, "unexpected character %q", r)
	}
	if strings.HasSuffix(name, ":*") {
		return token{k: tNsWild, v: name[:len(name)-2], pos: start}, nil
	}
	// An axis: name '::' (spaces allowed between).
	save := l.pos
	if err := l.skip(); err == nil && strings.HasPrefix(l.src[l.pos:], "::") && !strings.Contains(name, ":") {
		l.pos += 2
		return token{k: tAxis, v: name, pos: start}, nil
	}
	l.pos = save
	return token{k: tName, v: name, pos: start}, nil
}

// qname reads NCName, prefix:local or prefix:*.
func (l *lexer) qname() (string, error) {
	start := l.pos
	first := l.ncname()
	if first == "" {
		return "", nil
	}
	if l.pos+1 < len(l.src) && l.src[l.pos] == ':' && l.src[l.pos+1] != ':' && l.src[l.pos+1] != '=' {
		l.pos++
		if l.pos < len(l.src) && l.src[l.pos] == '*' {
			l.pos++
			return l.src[start:l.pos], nil
		}
		if l.ncname() == "" {
			return "", l.errf(start, "expected a local name after %q", first+":")
		}
	}
	return l.src[start:l.pos], nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (l *lexer) number() (token, error) {
	start := l.pos
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	k := tInteger
	if l.pos < len(l.src) && l.src[l.pos] == '.' && !strings.HasPrefix(l.src[l.pos:], "..") {
		k = tDecimal
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		p := l.pos + 1
		if p < len(l.src) && (l.src[p] == '+' || l.src[p] == '-') {
			p++
		}
		if p >= len(l.src) || !isDigit(l.src[p]) {
			return token{}, l.errf(start, "malformed number %q", l.src[start:p])
		}
		for p < len(l.src) && isDigit(l.src[p]) {
			p++
		}
		l.pos = p
		k = tDouble
	}
	// A number directly followed by a name character is an error (XPath
	// requires a separator, as in "10 div 3").
	if l.pos < len(l.src) {
		r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
		if isNameStart(r) {
			return token{}, l.errf(start, "a number must be followed by a space or an operator")
		}
	}
	return token{k: k, v: l.src[start:l.pos], pos: start}, nil
}

func (l *lexer) str(q byte) (token, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for {
		i := strings.IndexByte(l.src[l.pos:], q)
		if i < 0 {
			return token{}, l.errf(start, "string literal is not closed")
		}
		b.WriteString(l.src[l.pos : l.pos+i])
		l.pos += i + 1
		if l.pos < len(l.src) && l.src[l.pos] == q {
			b.WriteByte(q)
			l.pos++
			continue
		}
		return token{k: tString, v: b.String(), pos: start}, nil
	}
}
