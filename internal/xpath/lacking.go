package xpath

// Some 680 of the billing rules' asserts are "not(path)" for an element
// that must not be used, and most documents have no element of the name.
// Evaluating each would walk its own syntax tree, spread over the heap;
// the names the paths need, kept side by side, answer them with a few
// array reads.

// Lacking is a set of name groups: an expression is true whenever the
// document lacks a name of each group. The zero Lacking promises nothing.
type Lacking struct {
	names []int32 // compiler names, group after group
	ends  []int32 // the end of each group in names
}

// Lacking returns the name groups that make e true when the document
// lacks a name of each: for not(p) or not(p | q), the names p and q need.
func (e *Expr) Lacking() Lacking {
	var out Lacking
	c, ok := unwrapKept(e.e).(*callE)
	if !ok || c.name != "not" || len(c.args) != 1 {
		return Lacking{}
	}
	if !out.add(c.args[0]) {
		return Lacking{}
	}
	return out
}

// unwrapKept returns the expression a per-document or per-node cache
// keeps: without lacking names the expression gives the same value
// whether it is kept or not.
func unwrapKept(e evaluator) evaluator {
	for {
		switch k := e.(type) {
		case *cachedE:
			e = k.e
		case *memoE:
			e = k.e
		default:
			return e
		}
	}
}

// add adds the groups that make e empty: a path is empty without any of
// the names it needs, a union without one of each side.
func (l *Lacking) add(e evaluator) bool {
	switch e := unwrapKept(e).(type) {
	case *pathE:
		start := len(l.names)
		l.names = append(l.names, e.needs...)
		if len(e.steps) > 0 && e.steps[0].expr != nil {
			// A path that starts with a path (a shared prefix,
			// //cac:X/cbc:Y) is empty when that one is.
			if p, ok := unwrapKept(e.steps[0].expr).(*pathE); ok {
				l.names = append(l.names, p.needs...)
			}
		}
		if len(l.names) == start {
			return false
		}
		l.ends = append(l.ends, int32(len(l.names)))
		return true
	case *setE:
		return e.op == opUnion && l.add(e.l) && l.add(e.r)
	}
	return false
}

// Empty reports whether l promises nothing.
func (l Lacking) Empty() bool { return len(l.ends) == 0 }

// Lacks reports whether the document lacks a name of each of l's groups
// (false for an empty l).
func (x *Context) Lacks(l Lacking) bool {
	if len(l.ends) == 0 {
		return false
	}
	start := int32(0)
	for _, end := range l.ends {
		found := false
		for _, n := range l.names[start:end] {
			if x.id(n) < 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
		start = end
	}
	return true
}
