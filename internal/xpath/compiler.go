package xpath

import (
	"fmt"
	"sync"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Well-known namespaces.
const (
	NSXS  = "http://www.w3.org/2001/XMLSchema"
	NSFn  = "http://www.w3.org/2005/xpath-functions"
	NSXSL = "http://www.w3.org/1999/XSL/Transform"
)

// Compiler compiles the expressions of one rule program and holds what
// they share: interned names, global variables, user functions and keys.
// Compile everything first; afterwards the Compiler and its expressions
// are read-only and may be used by many Contexts at once.
type Compiler struct {
	names    []xmltree.Name
	nameKeys []xmltree.NameKey // names with their hashes, for lookups in each document
	nameIdx  map[xmltree.Name]int32
	globals  []*Global
	funcs    map[string]*Function // by "{uri}local#arity"
	keys     map[string]*Key      // by module and name
	modules  int                  // scopes made by NewScope: one per rule file
	ncache   int                  // cachedE nodes
	memos    map[string]int       // memoE ids by canonical expression
	shared   map[string]int       // cachedE ids of shared path prefixes
	cached   map[string]int       // cachedE ids by canonical expression (cacheID)
	nmemos   int                  // nameMemoE nodes
	nsmemos  int                  // strMemoE nodes
	varMemos map[string]int       // varMemoE ids by canonical expression
	eqs      map[string]int       // eqIndex ids by element name and key
	neqLits  int                  // eqIndex predicates
	// eqWant holds, by eqIndex id, the literals its predicates compare
	// with (and the order they were registered in): an index keeps only
	// the elements whose key is one of them.
	eqWant  []map[string]int
	regexes sync.Map // pattern+flags -> *regexp.Regexp, for patterns only known at run time
}

// NewCompiler starts a program.
func NewCompiler() *Compiler {
	return &Compiler{nameIdx: map[xmltree.Name]int32{}, funcs: map[string]*Function{}, keys: map[string]*Key{}, memos: map[string]int{}, shared: map[string]int{}}
}

// name interns an expanded name.
func (c *Compiler) name(space, local string) int32 {
	n := xmltree.Name{Space: space, Local: local}
	if i, ok := c.nameIdx[n]; ok {
		return i
	}
	i := int32(len(c.names))
	c.names = append(c.names, n)
	c.nameKeys = append(c.nameKeys, xmltree.NewNameKey(space, local))
	c.nameIdx[n] = i
	return i
}

// Frame is the set of variable slots of one evaluation body: a rule (its
// lets and asserts), a function, or a standalone expression.
type Frame struct {
	size int
}

func (f *Frame) alloc() int {
	f.size++
	return f.size - 1
}

// Scope is a static context: the namespaces and variables an expression
// may use.
type Scope struct {
	c     *Compiler
	ns    map[string]string
	vars  []binding // innermost last
	frame *Frame
	// noFocus: inside a function body, where there is no context item.
	noFocus bool
	// inCache: compiling inside a cached expression, whose parts need no
	// cache of their own.
	inCache bool
	// inVarMemo: compiling inside a varMemoE, whose parts need no memo of
	// their own.
	inVarMemo bool
	// inStrMemo: compiling inside a strMemoE.
	inStrMemo bool
	// canonSlots, when set, lets canon name local variables by slot and
	// collects the slots.
	canonSlots *[]int
	// mod numbers the top-level scope this one derives from: functions
	// and keys are visible only within it (each rule file is its own
	// stylesheet).
	mod int
}

type binding struct {
	name   string
	global *Global
	slot   int
	typ    *seqType // declared type of a function parameter, for static checks
}

// NewScope makes a top-level scope with the given namespace bindings
// (prefix -> URI). The xs and fn prefixes are bound unless ns rebinds
// them.
func (c *Compiler) NewScope(ns map[string]string) *Scope {
	m := map[string]string{"xs": NSXS, "fn": NSFn, "xsl": NSXSL}
	for k, v := range ns {
		m[k] = v
	}
	c.modules++
	return &Scope{c: c, ns: m, frame: &Frame{}, mod: c.modules}
}

// WithNamespaces returns a scope with the same variables and frame and
// extra namespace bindings.
func (s *Scope) WithNamespaces(ns map[string]string) *Scope {
	m := make(map[string]string, len(s.ns)+len(ns))
	for k, v := range s.ns {
		m[k] = v
	}
	for k, v := range ns {
		m[k] = v
	}
	n := *s
	n.ns = m
	n.vars = append([]binding(nil), s.vars...)
	return &n
}

// Child returns a scope that shares s's frame: variables declared in it
// are not visible in s.
func (s *Scope) Child() *Scope {
	n := *s
	n.vars = append([]binding(nil), s.vars...)
	return &n
}

// NewFrame returns a scope that sees only s's globals and namespaces, with
// a frame of its own.
func (s *Scope) NewFrame() *Scope {
	n := &Scope{c: s.c, ns: s.ns, frame: &Frame{}, mod: s.mod}
	for _, b := range s.vars {
		if b.global != nil {
			n.vars = append(n.vars, b)
		}
	}
	return n
}

// Frame is the scope's frame.
func (s *Scope) Frame() *Frame { return s.frame }

func (s *Scope) lookup(name string) (binding, bool) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i], true
		}
	}
	return binding{}, false
}

// resolve maps a prefix to its namespace URI.
// Namespace is the URI a prefix is bound to in s.
func (s *Scope) Namespace(prefix string) (string, bool) { return s.resolve(prefix) }

func (s *Scope) resolve(prefix string) (string, bool) {
	if prefix == "" {
		return "", true
	}
	u, ok := s.ns[prefix]
	return u, ok
}

// Global is a program-wide variable (a Schematron let at schema or pattern
// level), evaluated at most once per document with the document node as
// context, when first used.
type Global struct {
	Name  string
	index int
	expr  *Expr
}

// DeclareGlobal makes a global variable visible in s (and scopes made from
// it afterwards). Give it a value with Define.
func (s *Scope) DeclareGlobal(name string) *Global {
	g := &Global{Name: name, index: len(s.c.globals)}
	s.c.globals = append(s.c.globals, g)
	s.vars = append(s.vars, binding{name: name, global: g})
	return g
}

// Define sets the global's expression (compiled in a scope with its own
// frame).
func (g *Global) Define(e *Expr) { g.expr = e }

// Let declares a local variable in s's frame and returns its slot. Bind it
// at run time with Context.BindLazy.
func (s *Scope) Let(name string) int {
	slot := s.frame.alloc()
	s.vars = append(s.vars, binding{name: name, slot: slot})
	return slot
}

// Expr is a compiled expression.
type Expr struct {
	src  string
	e    evaluator
	own  *Frame // set when the expression has a frame of its own
	path bool
}

// Source is the expression as written.
func (e *Expr) Source() string { return e.src }

// Compile compiles an expression in scope s, sharing s's frame (use
// s.NewFrame() first for a standalone expression).
func (s *Scope) Compile(src string) (*Expr, error) {
	a, err := parse(src)
	if err != nil {
		return nil, err
	}
	ev, err := s.compile(a)
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, e: ev}, nil
}

// CompileStandalone compiles an expression with a frame of its own: it
// sees s's globals and namespaces but none of its local variables.
func (s *Scope) CompileStandalone(src string) (*Expr, error) {
	n := s.NewFrame()
	e, err := n.Compile(src)
	if err != nil {
		return nil, err
	}
	e.own = n.frame
	return e, nil
}

// ParseSequenceType reads a type as written in an "as" attribute.
func (s *Scope) ParseSequenceType(src string) (*SequenceType, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	t, err := p.seqType(false)
	if err != nil {
		return nil, err
	}
	if tk := p.peek(); tk.k != tEOF {
		return nil, errorf(tk.pos, "unexpected %s after the type", tk)
	}
	if err := s.resolveType(&t, 0); err != nil {
		return nil, err
	}
	return &SequenceType{t: t}, nil
}

// SequenceType is a parsed "as" type.
type SequenceType struct{ t seqType }

func (t *SequenceType) String() string { return t.t.String() }

var atomicTypes = map[string]Kind{
	"string": KString, "untypedAtomic": KUntyped, "boolean": KBool, "integer": KInteger,
	"decimal": KDecimal, "double": KDouble, "date": KDate, "anyAtomicType": kAnyAtomic,
	// Subtypes the rule files could name are checked as their base type.
	"int": KInteger, "long": KInteger, "short": KInteger, "nonNegativeInteger": KInteger,
	"positiveInteger": KInteger, "float": KDouble, "normalizedString": KString, "token": KString,
}

// kAnyAtomic stands for xs:anyAtomicType in types; no item has it.
const kAnyAtomic Kind = 100

func (s *Scope) resolveType(t *seqType, pos int) error {
	if t.item != "atomic" {
		return nil
	}
	prefix, local := splitQName(t.aname)
	uri, ok := s.resolve(prefix)
	if !ok {
		return errorf(pos, "namespace prefix %q is not declared", prefix)
	}
	k, ok := atomicTypes[local]
	if uri != NSXS || !ok {
		return errorf(pos, "type %s is not supported", t.aname)
	}
	t.atom = k
	return nil
}

func (c *Compiler) String() string {
	return fmt.Sprintf("xpath.Compiler{%d cached expressions, %d names, %d globals, %d functions, %d keys}", c.ncache, len(c.names), len(c.globals), len(c.funcs), len(c.keys))
}
