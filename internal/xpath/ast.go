package xpath

// The syntax tree the parser builds. Every node remembers the byte offset
// it starts at, so that static errors found while compiling point at the
// right place in the rule file.

type ast interface{ at() int }

type op uint8

const (
	opOr op = iota
	opAnd
	opGEq // general comparisons
	opGNe
	opGLt
	opGLe
	opGGt
	opGGe
	opVEq // value comparisons
	opVNe
	opVLt
	opVLe
	opVGt
	opVGe
	opIs
	opBefore // <<
	opAfter  // >>
	opTo
	opAdd
	opSub
	opMul
	opDiv
	opIdiv
	opMod
	opUnion
	opIntersect
	opExcept
	opConcat // ||
	opMap    // !
)

var opNames = [...]string{
	opOr: "or", opAnd: "and", opGEq: "=", opGNe: "!=", opGLt: "<", opGLe: "<=", opGGt: ">", opGGe: ">=",
	opVEq: "eq", opVNe: "ne", opVLt: "lt", opVLe: "le", opVGt: "gt", opVGe: "ge", opIs: "is",
	opBefore: "<<", opAfter: ">>", opTo: "to", opAdd: "+", opSub: "-", opMul: "*", opDiv: "div",
	opIdiv: "idiv", opMod: "mod", opUnion: "|", opIntersect: "intersect", opExcept: "except",
	opConcat: "||", opMap: "!",
}

func (o op) String() string { return opNames[o] }

type (
	aLiteral struct {
		p  int
		it Item
	}
	aVar struct {
		p    int
		name string
	}
	aContext struct{ p int }
	// aSeq is a comma list; no items is the empty sequence "()".
	aSeq struct {
		p     int
		items []ast
	}
	aBinding struct {
		p    int
		name string
		in   ast
	}
	// aFor is for, some, every and let.
	aFor struct {
		p    int
		kind string // "for", "some", "every", "let"
		vars []aBinding
		body ast
	}
	aIf struct {
		p               int
		cond, then, els ast
	}
	aBinary struct {
		p    int
		op   op
		l, r ast
		// rFirst: evaluate r first and stop if it is empty (a rewritten
		// "some $v in r satisfies l = $v").
		rFirst bool
	}
	aUnary struct {
		p   int
		neg bool
		x   ast
	}
	// aType is cast as, castable as, instance of and treat as.
	aType struct {
		p   int
		op  string // "cast", "castable", "instance", "treat"
		x   ast
		typ seqType
	}
	aPath struct {
		p     int
		root  int // 0: relative, 1: "/", 2: "//"
		steps []*aStep
	}
	aStep struct {
		p     int
		desc  bool // preceded by "//"
		axis  axis
		test  nodeTest
		expr  ast // a filter step: a primary expression instead of axis+test
		preds []ast
	}
	aCall struct {
		p    int
		name string
		args []ast
	}
	aFilter struct {
		p     int
		x     ast
		preds []ast
	}
)

func (a *aLiteral) at() int { return a.p }
func (a *aVar) at() int     { return a.p }
func (a *aContext) at() int { return a.p }
func (a *aSeq) at() int     { return a.p }
func (a *aFor) at() int     { return a.p }
func (a *aIf) at() int      { return a.p }
func (a *aBinary) at() int  { return a.p }
func (a *aUnary) at() int   { return a.p }
func (a *aType) at() int    { return a.p }
func (a *aPath) at() int    { return a.p }
func (a *aStep) at() int    { return a.p }
func (a *aCall) at() int    { return a.p }
func (a *aFilter) at() int  { return a.p }

type axis uint8

const (
	axChild axis = iota
	axDescendant
	axAttribute
	axSelf
	axDescendantOrSelf
	axFollowingSibling
	axFollowing
	axParent
	axAncestor
	axPrecedingSibling
	axPreceding
	axAncestorOrSelf
	axNamespace
	// axDescAttr is "//@name": the attributes of the node and its
	// descendants, made by the compiler from descendant-or-self::node()
	// followed by an attribute step.
	axDescAttr
)

var axisNames = map[string]axis{
	"child": axChild, "descendant": axDescendant, "attribute": axAttribute, "self": axSelf,
	"descendant-or-self": axDescendantOrSelf, "following-sibling": axFollowingSibling,
	"following": axFollowing, "parent": axParent, "ancestor": axAncestor,
	"preceding-sibling": axPrecedingSibling, "preceding": axPreceding,
	"ancestor-or-self": axAncestorOrSelf, "namespace": axNamespace,
}

func (a axis) reverse() bool { return a >= axParent && a <= axAncestorOrSelf }

type testKind uint8

const (
	testName      testKind = iota // prefix:local or local
	testNsWild                    // prefix:*
	testLocalWild                 // *:local
	testAny                       // *
	testNode                      // node()
	testText                      // text()
	testElement                   // element() or element(name)
	testAttribute                 // attribute() or attribute(name)
	testDocument                  // document-node()
	testComment                   // comment()
	testPI                        // processing-instruction()
)

type nodeTest struct {
	kind   testKind
	prefix string // as written
	local  string
	// Resolved while compiling.
	space string
	name  int32 // index in Compiler names, for testName
}

// seqType is a SequenceType: an item type and an occurrence indicator.
type seqType struct {
	item  string // "item", "node", "element", "attribute", "text", "document", "empty", or "atomic"
	atom  Kind   // for "atomic"
	aname string // the atomic type's name as written, for messages
	occ   byte   // 0 (exactly one), '?', '*', '+'
}

func (t seqType) String() string {
	s := t.aname
	switch t.item {
	case "item":
		s = "item()"
	case "node":
		s = "node()"
	case "element":
		s = "element()"
	case "attribute":
		s = "attribute()"
	case "text":
		s = "text()"
	case "document":
		s = "document-node()"
	case "empty":
		return "empty-sequence()"
	}
	if t.occ != 0 {
		s += string(t.occ)
	}
	return s
}
