package xpath

import (
	"fmt"
	"slices"
	"strings"
)

// canon writes a canonical text of a: the same text for expressions that
// mean the same in any rule file (prefixes resolved to namespace URIs,
// globals by identity). ok is false for what it cannot name: local
// variables bound outside a, unless canonSlots collects their slots.
func (s *Scope) canon(a ast, bound []string, b *strings.Builder) bool {
	switch a := a.(type) {
	case *aLiteral:
		fmt.Fprintf(b, "%d:%q", a.it.k, atomString(a.it))
	case *aContext:
		b.WriteString(".")
	case *aVar:
		for _, v := range bound {
			if v == a.name {
				fmt.Fprintf(b, "$l:%s", a.name)
				return true
			}
		}
		g, ok := s.lookup(a.name)
		if !ok {
			return false
		}
		if g.global == nil {
			if s.canonSlots == nil {
				return false
			}
			// A local by slot: the memo compares the slots' values.
			fmt.Fprintf(b, "$s:%d", g.slot)
			if !slices.Contains(*s.canonSlots, g.slot) {
				*s.canonSlots = append(*s.canonSlots, g.slot)
			}
			return true
		}
		fmt.Fprintf(b, "$g:%d", g.global.index)
	case *aSeq:
		b.WriteString("(")
		for i, x := range a.items {
			if i > 0 {
				b.WriteString(",")
			}
			if !s.canon(x, bound, b) {
				return false
			}
		}
		b.WriteString(")")
	case *aFor:
		fmt.Fprintf(b, "%s(", a.kind)
		bb := bound
		for _, v := range a.vars {
			fmt.Fprintf(b, "$%s in ", v.name)
			if !s.canon(v.in, bb, b) {
				return false
			}
			bb = append(bb[:len(bb):len(bb)], v.name)
			b.WriteString(";")
		}
		if !s.canon(a.body, bb, b) {
			return false
		}
		b.WriteString(")")
	case *aIf:
		b.WriteString("if(")
		for _, x := range []ast{a.cond, a.then, a.els} {
			if !s.canon(x, bound, b) {
				return false
			}
			b.WriteString(";")
		}
		b.WriteString(")")
	case *aBinary:
		fmt.Fprintf(b, "(%d%v ", a.op, a.rFirst)
		if !s.canon(a.l, bound, b) {
			return false
		}
		b.WriteString(" ")
		if !s.canon(a.r, bound, b) {
			return false
		}
		b.WriteString(")")
	case *aUnary:
		fmt.Fprintf(b, "(u%v ", a.neg)
		if !s.canon(a.x, bound, b) {
			return false
		}
		b.WriteString(")")
	case *aType:
		t := a.typ
		if err := s.resolveType(&t, 0); err != nil {
			return false
		}
		fmt.Fprintf(b, "(%s %s%d%c ", a.op, t.item, t.atom, t.occ+'0')
		if !s.canon(a.x, bound, b) {
			return false
		}
		b.WriteString(")")
	case *aPath:
		fmt.Fprintf(b, "path%d(", a.root)
		for _, st := range a.steps {
			if !s.canon(st, bound, b) {
				return false
			}
		}
		b.WriteString(")")
	case *aStep:
		fmt.Fprintf(b, "/%v%d:", a.desc, a.axis)
		if a.expr != nil {
			if !s.canon(a.expr, bound, b) {
				return false
			}
		} else {
			uri, ok := s.resolve(a.test.prefix)
			if !ok {
				return false
			}
			fmt.Fprintf(b, "%d{%s}%s", a.test.kind, uri, a.test.local)
		}
		for _, p := range a.preds {
			b.WriteString("[")
			if !s.canon(p, bound, b) {
				return false
			}
			b.WriteString("]")
		}
	case *aCall:
		prefix, local := splitQName(a.name)
		uri := NSFn
		if prefix != "" {
			u, ok := s.resolve(prefix)
			if !ok {
				return false
			}
			uri = u
		}
		if uri != NSFn && uri != NSXS {
			fmt.Fprintf(b, "m%d:", s.mod) // user functions belong to their file
		}
		fmt.Fprintf(b, "{%s}%s(", uri, local)
		for i, x := range a.args {
			if i > 0 {
				b.WriteString(",")
			}
			if !s.canon(x, bound, b) {
				return false
			}
		}
		b.WriteString(")")
	case *aFilter:
		b.WriteString("filter(")
		if !s.canon(a.x, bound, b) {
			return false
		}
		for _, p := range a.preds {
			b.WriteString("[")
			if !s.canon(p, bound, b) {
				return false
			}
			b.WriteString("]")
		}
		b.WriteString(")")
	case *aCompiled:
		return false
	default:
		return false
	}
	return true
}

// aCompiled is an already compiled expression in a syntax tree (the shared
// prefix of a path).
type aCompiled struct {
	p int
	e evaluator
}

func (a *aCompiled) at() int { return a.p }
