package schematron

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ehf-project/ehf/internal/xpath"
)

// expr is an XPath expression from a rule file with a map back to the
// file, so that errors carry the line and column of the offending
// character, also after an abstract pattern's parameters were substituted.
type expr struct {
	s      string
	pieces []piece // sorted by at
}

// piece says that s[at:] (up to the next piece) comes from an attribute
// value starting at its byte from.
type piece struct {
	at   int
	from int
	a    *attribute
	el   *element
}

func attrExpr(el *element, a *attribute) expr {
	return expr{s: a.value, pieces: []piece{{at: 0, from: 0, a: a, el: el}}}
}

// where gives file:line:col for byte off of the expression.
func (e expr) where(off int) string {
	if len(e.pieces) == 0 {
		return "?"
	}
	i := sort.Search(len(e.pieces), func(i int) bool { return e.pieces[i].at > off }) - 1
	if i < 0 {
		i = 0
	}
	p := e.pieces[i]
	o := p.from + off - p.at
	if p.a != nil && p.a.raw != nil {
		if o < 0 {
			o = 0
		}
		if o >= len(p.a.raw) {
			o = len(p.a.raw) - 1
		}
		return p.el.src.where(p.a.raw[o])
	}
	return p.el.where()
}

// errorAt turns an XPath compile error into one with the file position.
func (e expr) errorAt(err error, what string) error {
	var xe *xpath.Error
	if errors.As(err, &xe) && xe.Pos >= 0 {
		return fmt.Errorf("%s: %s %s: %s", e.where(xe.Pos), what, clip(e.s), xe.Msg)
	}
	return fmt.Errorf("%s: %s %s: %v", e.where(0), what, clip(e.s), err)
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// substitute replaces $name references to abstract pattern parameters
// with their values. names must be sorted longest first: like the ISO
// skeleton, the longest parameter name that follows a '$' wins.
func (e expr) substitute(params map[string]expr, names []string) expr {
	if !strings.Contains(e.s, "$") || len(params) == 0 {
		return e
	}
	out := expr{}
	var b strings.Builder
	last := 0 // start of the pending stretch of e.s
	flush := func(upTo int) {
		if upTo > last {
			out.pieces = append(out.pieces, e.shift(last, upTo, b.Len())...)
			b.WriteString(e.s[last:upTo])
		}
	}
	for i := 0; i < len(e.s); i++ {
		if e.s[i] != '$' {
			continue
		}
		for _, n := range names {
			if strings.HasPrefix(e.s[i+1:], n) {
				flush(i)
				v := params[n]
				for _, p := range v.pieces {
					out.pieces = append(out.pieces, piece{at: b.Len() + p.at, from: p.from, a: p.a, el: p.el})
				}
				b.WriteString(v.s)
				last = i + 1 + len(n)
				i = last - 1
				break
			}
		}
	}
	flush(len(e.s))
	out.s = b.String()
	return out
}

// shift returns the pieces covering e.s[from:to] re-based to start at at.
func (e expr) shift(from, to, at int) []piece {
	var out []piece
	for i, p := range e.pieces {
		end := len(e.s)
		if i+1 < len(e.pieces) {
			end = e.pieces[i+1].at
		}
		if end <= from || p.at >= to {
			continue
		}
		start := max(p.at, from)
		out = append(out, piece{at: at + start - from, from: p.from + start - p.at, a: p.a, el: p.el})
	}
	return out
}
