package xpath

import (
	"fmt"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Pattern is an XSLT match pattern, as Schematron rule contexts and
// xsl:key use them: a union of paths of child and attribute steps
// (separated by / or //), optionally rooted, each with predicates, and
// XSLT 3's "(A | B)[predicate]". A node matches when some alternative
// matches it from right to left.
type Pattern struct {
	src  string
	alts []*patAlt
}

type patAlt struct {
	root  int // 0: relative, 1: "/", 2: "//"
	steps []*stepE
	desc  []bool   // desc[i]: "//" before step i
	extra []*predE // predicates of an enclosing "( ... )[p]"
	// guards are boolean parts of the last step's predicates (and of
	// extra) that depend on nothing but the node's name: where one is
	// false, no element of that name matches the alternative.
	guards []evaluator
	// guardVars: a guard uses a variable, so its value may differ from
	// document to document even for the same name.
	guardVars bool
}

// Source is the pattern as written.
func (p *Pattern) Source() string { return p.src }

// TargetKind says which nodes an alternative can match.
type TargetKind uint8

// Targets.
const (
	TargetElement    TargetKind = iota // elements named Name
	TargetAnyElement                   // any element
	TargetDocument                     // the document node
	TargetOther                        // attributes or text: never visited by a rule walk
)

// Target is what one alternative of a pattern can match, for indexing
// rules by element name.
type Target struct {
	Kind TargetKind
	Name xmltree.Name
	// For elements: what the parent must be. AnyParent, or else the
	// document node (DocumentParent) or an element named ParentName.
	AnyParent      bool
	DocumentParent bool
	ParentName     xmltree.Name
	// Exact: the name and the parent above are all the alternative
	// asks (cbc:Amount, cac:InvoiceLine/cbc:LineExtensionAmount): an
	// element that has them matches without evaluating the pattern.
	Exact bool
}

// exact reports whether a's match is told by its last step's name and
// what parent() asks alone.
func (a *patAlt) exact() bool {
	if len(a.extra) > 0 || a.root == 2 || len(a.steps) > 2 || len(a.steps) == 2 && a.root != 0 {
		return false
	}
	for i, st := range a.steps {
		if a.desc[i] || st.expr != nil || st.axis != axChild || st.test.kind != testName || len(st.preds) > 0 {
			return false
		}
	}
	return true
}

// parent fills in what the parent of an alternative's last step must
// be.
func (a *patAlt) parent(t Target) Target {
	last := len(a.steps) - 1
	switch {
	case a.desc[last]:
		t.AnyParent = true
	case last == 0 && a.root == 1:
		t.DocumentParent = true
	case last == 0:
		t.AnyParent = true
	default:
		prev := a.steps[last-1]
		if prev.axis == axChild && prev.test.kind == testName {
			t.ParentName = xmltree.Name{Space: prev.test.space, Local: prev.test.local}
		} else {
			t.AnyParent = true
		}
	}
	return t
}

// Targets lists what the pattern's alternatives can match.
func (p *Pattern) Targets() []Target {
	var out []Target
	for _, a := range p.alts {
		if len(a.steps) == 0 {
			out = append(out, Target{Kind: TargetDocument})
			continue
		}
		st := a.steps[len(a.steps)-1]
		switch {
		case st.axis == axAttribute:
			out = append(out, Target{Kind: TargetOther})
		case st.test.kind == testName:
			out = append(out, a.parent(Target{Kind: TargetElement, Name: xmltree.Name{Space: st.test.space, Local: st.test.local}, Exact: a.exact()}))
		case st.test.kind == testElement && st.test.local != "":
			out = append(out, a.parent(Target{Kind: TargetElement, Name: xmltree.Name{Space: st.test.space, Local: st.test.local}}))
		case st.test.kind == testText || st.test.kind == testComment || st.test.kind == testPI:
			out = append(out, Target{Kind: TargetOther})
		case st.test.kind == testDocument:
			out = append(out, Target{Kind: TargetDocument})
		case st.test.kind == testNode:
			out = append(out, Target{Kind: TargetAnyElement, AnyParent: true}, Target{Kind: TargetOther})
		default:
			out = append(out, Target{Kind: TargetAnyElement, AnyParent: true})
		}
	}
	return out
}

// CompilePattern compiles a match pattern. Variables in its predicates are
// the globals of s.
func (s *Scope) CompilePattern(src string) (*Pattern, error) {
	a, err := parse(src)
	if err != nil {
		return nil, err
	}
	ps := s.NewFrame()
	p := &Pattern{src: src}
	if err := ps.patternAlts(a, nil, p); err != nil {
		return nil, err
	}
	if ps.frame.size > 0 {
		// Predicates with for/some variables need slots: give the pattern
		// its own frame through a wrapper.
		for _, alt := range p.alts {
			for _, st := range alt.steps {
				for _, pr := range st.preds {
					pr.e = &framedE{e: pr.e, frame: ps.frame}
				}
			}
			for _, pr := range alt.extra {
				pr.e = &framedE{e: pr.e, frame: ps.frame}
			}
		}
	}
	return p, nil
}

// framedE evaluates e in a frame of its own.
type framedE struct {
	e     evaluator
	frame *Frame
}

func (e *framedE) eval(x *Context, f focus) (Seq, error) {
	m := x.push(e.frame)
	v, err := e.e.eval(x, f)
	x.popTo(m)
	return v, err
}

func (s *Scope) patternAlts(a ast, extra []*predE, p *Pattern) error {
	switch a := a.(type) {
	case *aBinary:
		if a.op == opUnion {
			if err := s.patternAlts(a.l, extra, p); err != nil {
				return err
			}
			return s.patternAlts(a.r, extra, p)
		}
	case *aFilter:
		preds, err := s.compilePreds(a.preds)
		if err != nil {
			return err
		}
		n := len(p.alts)
		if err := s.patternAlts(a.x, append(append([]*predE(nil), extra...), preds...), p); err != nil {
			return err
		}
		for _, alt := range p.alts[n:] {
			if len(alt.steps) == 0 || alt.steps[len(alt.steps)-1].axis != axChild {
				continue
			}
			if err := s.nameGuards(a.preds, alt); err != nil {
				return err
			}
		}
		return nil
	case *aPath:
		alt := &patAlt{root: a.root, extra: extra}
		for i, as := range a.steps {
			if as.expr != nil {
				return errorf(as.p, "a pattern step must be a name test, not an expression")
			}
			switch as.axis {
			case axChild, axAttribute:
			default:
				return errorf(as.p, "the %s axis cannot be used in a pattern", axisName(as.axis))
			}
			preds, err := s.compilePreds(as.preds)
			if err != nil {
				return err
			}
			st := &stepE{axis: as.axis, test: as.test, preds: preds}
			if err := s.resolveTest(&st.test, as.p); err != nil {
				return err
			}
			if err := s.eqIndexes(st, as.preds); err != nil {
				return err
			}
			alt.steps = append(alt.steps, st)
			alt.desc = append(alt.desc, as.desc || (i == 0 && a.root == 2))
			if i == len(a.steps)-1 && as.axis == axChild {
				if err := s.nameGuards(as.preds, alt); err != nil {
					return err
				}
			}
		}
		p.alts = append(p.alts, alt)
		return nil
	case *aStep:
		return s.patternAlts(&aPath{p: a.p, steps: []*aStep{a}}, extra, p)
	}
	return errorf(a.at(), "this expression cannot be used as a pattern")
}

func axisName(a axis) string {
	for k, v := range axisNames {
		if v == a {
			return k
		}
	}
	return fmt.Sprint(int(a))
}

// Match reports whether node n (the document node or an element) matches
// the pattern.
func (x *Context) Match(p *Pattern, n xmltree.NodeID) (bool, error) {
	it := nodeItem(n)
	for _, a := range p.alts {
		ok, err := x.matchAlt(a, it)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (x *Context) matchAlt(a *patAlt, it Item) (bool, error) {
	if len(a.steps) == 0 {
		// "/" matches the document node.
		if it.k != KNode || it.n != 0 {
			return false, nil
		}
		return x.matchExtra(a, it)
	}
	ok, err := x.matchStep(a, len(a.steps)-1, it)
	if err != nil || !ok {
		return false, err
	}
	return x.matchExtra(a, it)
}

func (x *Context) matchExtra(a *patAlt, it Item) (bool, error) {
	for _, p := range a.extra {
		ok, err := x.predTrue(p, it, 1, 1)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// matchStep matches step i against it and the steps before it against its
// ancestors. The names are checked all the way up before any predicate is
// evaluated: most candidates fail on a name, and predicates cost more.
func (x *Context) matchStep(a *patAlt, i int, it Item) (bool, error) {
	st := a.steps[i]
	if !x.stepTest(st, it) {
		return false, nil
	}
	parent := x.parentOf(it)
	ok := false
	var err error
	switch {
	case i == 0 && a.root == 1:
		ok = parent == 0
	case i == 0:
		ok = parent != xmltree.None
	case !a.desc[i]:
		if parent != xmltree.None {
			ok, err = x.matchStep(a, i-1, nodeItem(parent))
		}
	default:
		for p := parent; p != xmltree.None && !ok && err == nil; p = x.d.Parent(p) {
			ok, err = x.matchStep(a, i-1, nodeItem(p))
		}
	}
	if err != nil || !ok || len(st.preds) == 0 {
		return ok, err
	}
	return x.patPreds(st, it)
}

func (x *Context) parentOf(it Item) xmltree.NodeID {
	if it.k == KAttr {
		return xmltree.NodeID(it.n)
	}
	return x.d.Parent(xmltree.NodeID(it.n))
}

// stepTest checks a pattern step's axis and node test against a node.
func (x *Context) stepTest(st *stepE, it Item) bool {
	if st.test.kind == testName && st.axis == axChild && it.k == KNode {
		// The common case, without resolving the test.
		n := xmltree.NodeID(it.n)
		id := x.id(st.test.name)
		return id >= 0 && x.d.NameID(n) == id && x.d.Kind(n) == xmltree.ElementNode
	}
	if st.test.kind == testAny && st.axis == axChild && it.k == KNode {
		return x.d.Kind(xmltree.NodeID(it.n)) == xmltree.ElementNode
	}
	r, ok := x.resolve(&st.test)
	if !ok {
		return false
	}
	if st.axis == axAttribute {
		return it.k == KAttr && x.attr(&r, x.d.Attrs(xmltree.NodeID(it.n))[it.i])
	}
	if it.k != KNode {
		return false
	}
	n := xmltree.NodeID(it.n)
	if x.d.Kind(n) == xmltree.DocumentNode {
		return false // the document node is never on the child axis
	}
	return x.element(&r, n)
}

// patPreds evaluates a pattern step's predicates, computing the node's
// position among its like siblings only when a predicate may need it.
func (x *Context) patPreds(st *stepE, it Item) (bool, error) {
	pos, size := 1, 1
	if positional(st.preds) {
		sibs := x.axis(st.axis, &st.test, nodeItem(x.parentOf(it)), nil)
		for _, p := range st.preds {
			// Positions are relative to the siblings that passed the
			// predicates before this one.
			pos, size = 0, len(sibs)
			for i, s := range sibs {
				if docOrder(s, it) == 0 {
					pos = i + 1
				}
			}
			if pos == 0 {
				return false, nil
			}
			kept, err := x.applyPreds([]*predE{p}, sibs)
			if err != nil {
				return false, err
			}
			sibs = kept
			found := false
			for _, s := range sibs {
				if docOrder(s, it) == 0 {
					found = true
				}
			}
			if !found {
				return false, nil
			}
		}
		return true, nil
	}
	for _, p := range st.preds {
		ok, err := x.predTrue(p, it, pos, size)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// nameGuards adds to alt the conjuncts of preds that are boolean and
// depend only on the context node's name ("ends-with(name(), 'Amount')"
// in "//*[ends-with(name(), 'Amount') and ...]").
func (s *Scope) nameGuards(preds []ast, alt *patAlt) error {
	fs := s.focused()
	var add func(a ast) error
	add = func(a ast) error {
		if b, ok := a.(*aBinary); ok && b.op == opAnd {
			if err := add(b.l); err != nil {
				return err
			}
			return add(b.r)
		}
		if !isBoolean(a) || !fs.nameOnly(a) {
			return nil
		}
		// Evaluated once per name and document: no memo of its own.
		inner := *fs
		inner.inCache = true
		e, err := inner.compile(a)
		if err != nil {
			return err
		}
		alt.guards = append(alt.guards, e)
		walk(a, func(n ast) {
			if _, ok := n.(*aVar); ok {
				alt.guardVars = true
			}
		})
		return nil
	}
	for _, p := range preds {
		if err := add(p); err != nil {
			return err
		}
	}
	return nil
}

// isBoolean reports whether a's value is always an xs:boolean.
func isBoolean(a ast) bool {
	switch a := a.(type) {
	case *aBinary:
		switch a.op {
		case opAnd, opOr, opGEq, opGNe, opGLt, opGLe, opGGt, opGGe, opVEq, opVNe, opVLt, opVLe, opVGt, opVGe:
			return true
		}
	case *aCall:
		prefix, local := splitQName(a.name)
		if prefix == "" || prefix == "fn" {
			b, ok := builtins[local]
			return ok && b.result == 'b'
		}
	}
	return false
}

// HasNameGuards reports whether MayMatchName can rule out elements by
// their name.
func (p *Pattern) HasNameGuards() bool {
	for _, a := range p.alts {
		if len(a.guards) == 0 {
			return false
		}
	}
	return len(p.alts) > 0
}

// DocGuards reports whether MayMatchIn can rule the pattern out for a
// whole document.
func (p *Pattern) DocGuards() bool {
	for _, a := range p.alts {
		if !a.docGuarded() {
			return false
		}
	}
	return len(p.alts) > 0
}

// docGuarded reports whether the alternative has a predicate whose value
// is the same for every element of a document (one that depends on no
// focus, "[$isGreekSender]"), or a last step that starts with an indexed
// code test.
func (a *patAlt) docGuarded() bool {
	if len(a.steps) == 0 {
		return false
	}
	if last := a.steps[len(a.steps)-1]; len(last.preds) > 0 && last.preds[0].eq != nil {
		return true
	}
	for _, st := range a.steps {
		for _, p := range st.preds {
			if p.fixed && p.index == 0 {
				return true
			}
		}
	}
	return false
}

// MayMatchIn reports whether the pattern may match an element of the
// document: false when in every alternative a predicate that depends on
// no focus is false ("[$isGreekSender]" on a Norwegian invoice), or the
// last step starts with an indexed code test that no element passes
// (cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'AE'] on an
// invoice without such a category).
func (x *Context) MayMatchIn(p *Pattern) bool {
	for _, a := range p.alts {
		if !x.altRuledOut(a) {
			return true
		}
	}
	return false
}

func (x *Context) altRuledOut(a *patAlt) bool {
	if len(a.steps) == 0 {
		return false
	}
	for _, st := range a.steps {
		for _, p := range st.preds {
			if !p.fixed || p.index != 0 {
				continue
			}
			// A number would select by position: only a false value
			// rules the step out.
			index, all, err := x.fixedPred(p, focus{it: nodeItem(0), pos: 1, size: 1})
			if err == nil && index == 0 && !all {
				return true
			}
		}
	}
	return x.eqNone(a.steps[len(a.steps)-1])
}

// StaticGuards reports whether MayMatchName depends on nothing but the
// element's namespace, local name and prefix (no variables), so that
// its answer holds for any document.
func (p *Pattern) StaticGuards() bool {
	for _, a := range p.alts {
		if a.guardVars {
			return false
		}
	}
	return true
}

// MayMatchName reports whether elements with the name of element n may
// match the pattern: false when every alternative has a predicate part,
// depending on the name alone, that is false for n. The answer is the
// same for every element of that name in the document.
func (x *Context) MayMatchName(p *Pattern, n xmltree.NodeID) bool {
	f := focus{it: nodeItem(n), pos: 1, size: 1}
	for _, a := range p.alts {
		ok := true
		for _, g := range a.guards {
			b, err := x.ebvOf(g, f)
			if err == nil && !b {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
