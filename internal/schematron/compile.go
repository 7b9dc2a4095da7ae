package schematron

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/ehf-project/ehf/internal/xpath"
)

// Program is a compiled set of Schematron files. It is immutable and safe
// for concurrent use.
type Program struct {
	ruleSet  string
	c        *xpath.Compiler
	rules    []*cRule // every rule of every active pattern, in order
	byName   map[xmltree.Name][]cand
	anyElem  []cand
	docRules []*cRule
	// targets are the names of byName with their candidates merged with
	// anyElem in order, looked up in each document by key.
	targets []target
	info    []Rule
	pool    sync.Pool
	pnames  []xmltree.NameKey // parent names of candidates, by index
	pidx    map[xmltree.Name]int32
	guards  map[*cRule]int8 // guard bits of rules with name guards
	// guardBits caches, by guardKey, the bits of the static guards that
	// rule out a name; nguard counts its entries, which are bounded.
	guardBits sync.Map
	nguard    atomic.Int32
	// intrinsics: known function definitions run as Go (intrinsic.go);
	// off only in the tests that compare the two.
	intrinsics bool
	known      []knownFunction // non-nil only in those tests
}

// Rule describes one assert or report of a program.
type Rule struct {
	ID      string
	Flag    report.Flag
	Report  bool   // a report (fires when its test is true) rather than an assert
	Context string // the rule's context pattern
	Pattern string // the pattern's id, if any
	Where   string // file:line:col of the assert
}

type cRule struct {
	seq     int // position among all rules: patterns in order, rules in order
	pat     int // pattern number (program-wide)
	context *xpath.Pattern
	frame   *xpath.Frame
	lets    []cLet
	checks  []*cCheck
	// docGuard: the context's predicates may rule the rule out for a
	// whole document (xpath.Context.MayMatchIn).
	docGuard bool
}

type cLet struct {
	slot int
	e    *xpath.Expr
}

type cCheck struct {
	id     string
	flag   report.Flag
	report bool
	test   *xpath.Expr
	// lacking answers the test (true) without evaluating it when the
	// document lacks the names ("not(cac:X/cbc:Y)", the UBL-CR rules).
	lacking xpath.Lacking
	msg     []cMsg
}

type cMsg struct {
	text string
	e    *xpath.Expr // value-of or name
}

// Compile reads and compiles Schematron files (each a schema; several are
// run together, as the CEN and Peppol billing files are). ruleSet names
// the program in the findings it makes. Every XPath expression is compiled
// now: an expression outside the supported subset is an error with the
// file, line and column where it is.
func Compile(ruleSet string, files ...string) (*Program, error) {
	srcs := make([]Source, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{File: f, Data: data})
	}
	return CompileSources(ruleSet, srcs...)
}

// Source is a rule file's name and content.
type Source struct {
	File string
	Data []byte
}

// CompileSources is Compile for files already read. Includes are still
// read from disk, relative to File.
func CompileSources(ruleSet string, srcs ...Source) (*Program, error) {
	return compileSources(ruleSet, true, srcs...)
}

func compileSources(ruleSet string, intrinsics bool, srcs ...Source) (*Program, error) {
	p := newProgram(ruleSet, intrinsics)
	if err := p.compileAll(srcs); err != nil {
		return nil, err
	}
	return p, nil
}

func newProgram(ruleSet string, intrinsics bool) *Program {
	return &Program{ruleSet: ruleSet, c: xpath.NewCompiler(), byName: map[xmltree.Name][]cand{}, pidx: map[xmltree.Name]int32{}, intrinsics: intrinsics}
}

func (p *Program) compileAll(srcs []Source) error {
	if len(srcs) == 0 {
		return fmt.Errorf("schematron: no rule files given")
	}
	npat := 0
	for _, src := range srcs {
		root, err := loadFile(src.File, src.Data)
		if err != nil {
			return err
		}
		s, err := parseSchema(root)
		if err != nil {
			return err
		}
		if err := p.compileSchema(s, &npat); err != nil {
			return err
		}
	}
	for _, r := range p.rules {
		for _, t := range r.context.Targets() {
			switch t.Kind {
			case xpath.TargetElement:
				p.byName[t.Name] = p.addCand(p.byName[t.Name], r, t)
			case xpath.TargetAnyElement:
				p.anyElem = p.addCand(p.anyElem, r, t)
			case xpath.TargetDocument:
				if l := p.docRules; len(l) == 0 || l[len(l)-1] != r {
					p.docRules = append(l, r)
				}
			}
		}
	}
	for name, l := range p.byName {
		p.targets = append(p.targets, target{key: xmltree.NewNameKey(name.Space, name.Local), cands: mergeCands(l, p.anyElem)})
	}
	return nil
}

// target is an element name that rules name in their contexts, and the
// rules that may match it (with those for any element), in program order.
type target struct {
	key   xmltree.NameKey
	cands []cand
}

// cand is a rule that may match elements of some name, with what their
// parent must be (the names are resolved per document in run.go).
type cand struct {
	r         *cRule
	guard     int8 // bit of the rule in run.ruledOut when its context has name guards (xpath.MayMatchName), else -1
	static    bool // the guards' answer for a name is the same in every document (xpath.StaticGuards)
	anyParent bool
	docParent bool
	// emptyLeaf: the context matches only empty leaf elements (the
	// Peppol rule against empty elements, tried on every element), which
	// are told without matching it.
	emptyLeaf bool
	// exact: every alternative behind this candidate matches by the
	// element's name and parent alone (xpath.Target.Exact).
	exact   bool
	parents []int32 // indexes in Program.pnames
}

// guardBit is rule r's bit among the rules whose context has name guards,
// or -1 (also past the 64th such rule, which then simply is not ruled out
// early).
func (p *Program) guardBit(r *cRule) int8 {
	if !r.context.HasNameGuards() {
		return -1
	}
	if p.guards == nil {
		p.guards = map[*cRule]int8{}
	}
	if g, ok := p.guards[r]; ok {
		return g
	}
	if len(p.guards) >= 64 {
		return -1
	}
	g := int8(len(p.guards))
	p.guards[r] = g
	return g
}

// addCand adds target t of rule r, merging with the rule's entry when one
// of its other alternatives matched the same name.
func (p *Program) addCand(l []cand, r *cRule, t xpath.Target) []cand {
	if len(l) == 0 || l[len(l)-1].r != r {
		l = append(l, cand{r: r, guard: p.guardBit(r), static: r.context.StaticGuards(), emptyLeaf: r.context.EmptyLeafOnly(), exact: t.Exact})
	}
	c := &l[len(l)-1]
	c.exact = c.exact && t.Exact
	switch {
	case t.AnyParent:
		c.anyParent = true
	case t.DocumentParent:
		c.docParent = true
	default:
		i, ok := p.pidx[t.ParentName]
		if !ok {
			i = int32(len(p.pnames))
			p.pnames = append(p.pnames, xmltree.NewNameKey(t.ParentName.Space, t.ParentName.Local))
			p.pidx[t.ParentName] = i
		}
		c.parents = append(c.parents, i)
	}
	return l
}

// activePatterns are the patterns of the default phase (all of them when
// there is none or it is #ALL).
func (s *schema) activePatterns() ([]*pattern, error) {
	if s.defaultPhase == "" || s.defaultPhase == "#ALL" {
		return s.patterns, nil
	}
	ids, ok := s.phases[s.defaultPhase]
	if !ok {
		return nil, fmt.Errorf("%s: the default phase %q is not defined", s.root.where(), s.defaultPhase)
	}
	var out []*pattern
	for _, p := range s.patterns {
		for _, id := range ids {
			if p.id == id {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}

func (p *Program) compileSchema(s *schema, npat *int) error {
	ns := map[string]string{}
	for k, v := range s.root.ns {
		if k != "" {
			ns[k] = v
		}
	}
	for k, v := range s.ns {
		ns[k] = v
	}
	scope := p.c.NewScope(ns)
	pats, err := s.activePatterns()
	if err != nil {
		return err
	}
	// Globals: schema lets and pattern lets (the ISO skeleton makes both
	// global variables). Declare all names first: they may refer to each
	// other in any order.
	type global struct {
		g *xpath.Global
		l *letDef
	}
	var globals []global
	for _, l := range s.lets {
		globals = append(globals, global{scope.DeclareGlobal(l.name), l})
	}
	for _, pat := range pats {
		for _, l := range pat.lets {
			globals = append(globals, global{scope.DeclareGlobal(l.name), l})
		}
	}
	// Functions: declare every signature, then compile the bodies.
	type fn struct {
		f    *xpath.Function
		body *xpath.Scope
		el   *element
		rest []any
	}
	var fns []fn
	for _, el := range s.functions {
		f, body, rest, err := declareFunction(scope, el)
		if err != nil {
			return err
		}
		fns = append(fns, fn{f, body, el, rest})
	}
	for _, el := range s.keys {
		if err := p.compileKey(scope, el); err != nil {
			return err
		}
	}
	for _, f := range fns {
		instrs, _, err := compileInstrs(f.body, f.rest)
		if err != nil {
			return err
		}
		f.f.SetBody(instrs)
		p.useIntrinsic(f.f, scope, f.body, f.el)
	}
	for _, g := range globals {
		e, err := scope.CompileStandalone(g.l.value.s)
		if err != nil {
			return g.l.value.errorAt(err, "let $"+g.l.name)
		}
		g.g.Define(e)
	}
	abstractRules := map[string]*rule{}
	for _, pat := range s.patterns {
		for _, r := range pat.rules {
			if r.abstract && r.id != "" {
				abstractRules[r.id] = r
			}
		}
	}
	for _, pat := range pats {
		for _, r := range pat.rules {
			if r.abstract {
				continue
			}
			cr, err := p.compileRule(scope, r, abstractRules, *npat)
			if err != nil {
				return err
			}
			cr.seq = len(p.rules)
			p.rules = append(p.rules, cr)
			for i, ch := range cr.checks {
				p.info = append(p.info, Rule{ID: ch.id, Flag: ch.flag, Report: ch.report,
					Context: r.context.s, Pattern: pat.id, Where: ruleChecks(r, abstractRules)[i].el.where()})
			}
		}
		*npat++
	}
	return nil
}

// ruleChecks are a rule's asserts and reports, those of the abstract
// rules it extends first.
func ruleChecks(r *rule, abstract map[string]*rule) []*check {
	var out []*check
	for _, id := range r.extends {
		if a, ok := abstract[id]; ok {
			out = append(out, ruleChecks(a, abstract)...)
		}
	}
	return append(out, r.checks...)
}

func ruleLets(r *rule, abstract map[string]*rule) []*letDef {
	var out []*letDef
	for _, id := range r.extends {
		if a, ok := abstract[id]; ok {
			out = append(out, ruleLets(a, abstract)...)
		}
	}
	return append(out, r.lets...)
}

func (p *Program) compileRule(scope *xpath.Scope, r *rule, abstract map[string]*rule, pat int) (*cRule, error) {
	for _, id := range r.extends {
		if _, ok := abstract[id]; !ok {
			return nil, fmt.Errorf("%s: extends rule %q, which is not an abstract rule of this schema", r.el.where(), id)
		}
	}
	ctx, err := scope.CompilePattern(r.context.s)
	if err != nil {
		return nil, r.context.errorAt(err, "rule context")
	}
	rs := scope.NewFrame()
	cr := &cRule{pat: pat, context: ctx, frame: rs.Frame(), docGuard: ctx.DocGuards()}
	for _, l := range ruleLets(r, abstract) {
		e, err := rs.Compile(l.value.s)
		if err != nil {
			return nil, l.value.errorAt(err, "let $"+l.name)
		}
		rs = rs.Child()
		cr.lets = append(cr.lets, cLet{slot: rs.Let(l.name), e: e})
	}
	for _, ch := range ruleChecks(r, abstract) {
		cc := &cCheck{id: ch.id, report: ch.report}
		flag := ch.flag
		if flag == "" {
			flag = r.flag
		}
		cc.flag = report.Fatal
		if flag != "" {
			f, ok := report.ParseFlag(flag)
			if !ok {
				return nil, fmt.Errorf("%s: unknown flag %q (fatal, error, warning or information)", ch.el.where(), flag)
			}
			cc.flag = f
		}
		if cc.test, err = rs.Compile(ch.test.s); err != nil {
			return nil, ch.test.errorAt(err, ch.el.name.Local+" test")
		}
		cc.lacking = cc.test.Lacking()
		for _, m := range ch.msg {
			switch {
			case m.valueOf != nil:
				e, err := rs.Compile(m.valueOf.s)
				if err != nil {
					return nil, m.valueOf.errorAt(err, "value-of")
				}
				cc.msg = append(cc.msg, cMsg{e: e})
			case m.isName:
				src := "name()"
				if m.name != nil {
					src = "name(" + m.name.s + ")"
				}
				e, err := rs.Compile(src)
				if err != nil {
					return nil, fmt.Errorf("%s: name: %v", ch.el.where(), err)
				}
				cc.msg = append(cc.msg, cMsg{e: e})
			default:
				cc.msg = append(cc.msg, cMsg{text: m.text})
			}
		}
		cr.checks = append(cr.checks, cc)
	}
	return cr, nil
}

func (p *Program) compileKey(scope *xpath.Scope, el *element) error {
	name, _ := el.attr("name")
	ma, ua := el.attrNode("match"), el.attrNode("use")
	if name == "" || ma == nil || ua == nil {
		return fmt.Errorf("%s: xsl:key needs name, match and use", el.where())
	}
	ks := scope.WithNamespaces(el.ns)
	match, err := ks.CompilePattern(ma.value)
	if err != nil {
		return attrExpr(el, ma).errorAt(err, "key match")
	}
	use, err := ks.CompileStandalone(ua.value)
	if err != nil {
		return attrExpr(el, ua).errorAt(err, "key use")
	}
	scope.DeclareKey(name, match, use)
	return nil
}

// declareFunction declares an xsl:function's signature and returns the
// scope its body compiles in and the body's nodes after the parameters.
func declareFunction(scope *xpath.Scope, el *element) (*xpath.Function, *xpath.Scope, []any, error) {
	name, _ := el.attr("name")
	if name == "" {
		return nil, nil, nil, fmt.Errorf("%s: xsl:function needs a name", el.where())
	}
	fs := scope.WithNamespaces(el.ns)
	var result *xpath.SequenceType
	if as, ok := el.attr("as"); ok {
		t, err := fs.ParseSequenceType(as)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: function %s: type %q: %v", el.where(), name, as, err)
		}
		result = t
	}
	var params []xpath.Param
	rest := el.children
	for len(rest) > 0 {
		switch c := rest[0].(type) {
		case string:
			if strings.TrimSpace(c) != "" {
				goto body
			}
		case *element:
			if !c.is(nsXSL, "param") {
				goto body
			}
			pn, _ := c.attr("name")
			if pn == "" {
				return nil, nil, nil, fmt.Errorf("%s: xsl:param needs a name", c.where())
			}
			prm := xpath.Param{Name: pn}
			if as, ok := c.attr("as"); ok {
				t, err := fs.ParseSequenceType(as)
				if err != nil {
					return nil, nil, nil, fmt.Errorf("%s: parameter %s: type %q: %v", c.where(), pn, as, err)
				}
				prm.Type = t
			}
			params = append(params, prm)
		}
		rest = rest[1:]
	}
body:
	f, body, err := fs.DeclareFunction(name, params, result)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %v", el.where(), err)
	}
	return f, body, rest, nil
}

// compileInstrs compiles an XSLT sequence constructor: the instructions
// the rule files' functions use.
func compileInstrs(scope *xpath.Scope, nodes []any) ([]xpath.Instr, *xpath.Scope, error) {
	var out []xpath.Instr
	for _, n := range nodes {
		switch c := n.(type) {
		case string:
			if strings.TrimSpace(c) != "" {
				out = append(out, xpath.Text(c))
			}
		case *element:
			if c.name.Space != nsXSL {
				return nil, nil, fmt.Errorf("%s: literal result element <%s> is not supported in a function", c.where(), c.name.Local)
			}
			sel := func(attr string) (*xpath.Expr, error) {
				a := c.attrNode(attr)
				if a == nil {
					return nil, nil
				}
				e, err := scope.Compile(a.value)
				if err != nil {
					return nil, attrExpr(c, a).errorAt(err, "xsl:"+c.name.Local+" "+attr)
				}
				return e, nil
			}
			switch c.name.Local {
			case "variable":
				name, _ := c.attr("name")
				if name == "" {
					return nil, nil, fmt.Errorf("%s: xsl:variable needs a name", c.where())
				}
				var typ *xpath.SequenceType
				if as, ok := c.attr("as"); ok {
					t, err := scope.ParseSequenceType(as)
					if err != nil {
						return nil, nil, fmt.Errorf("%s: variable %s: type %q: %v", c.where(), name, as, err)
					}
					typ = t
				}
				e, err := sel("select")
				if err != nil {
					return nil, nil, err
				}
				var content []xpath.Instr
				if e == nil {
					content, _, err = compileInstrs(scope.Child(), c.children)
					if err != nil {
						return nil, nil, err
					}
				}
				var in xpath.Instr
				in, scope = scope.Variable(name, e, content, typ)
				out = append(out, in)
			case "sequence":
				e, err := sel("select")
				if err != nil {
					return nil, nil, err
				}
				if e == nil {
					return nil, nil, fmt.Errorf("%s: xsl:sequence needs a select", c.where())
				}
				out = append(out, xpath.Sequence(e))
			case "value-of":
				e, err := sel("select")
				if err != nil {
					return nil, nil, err
				}
				if e == nil {
					return nil, nil, fmt.Errorf("%s: xsl:value-of needs a select", c.where())
				}
				sep, ok := c.attr("separator")
				if !ok {
					sep = " "
				}
				out = append(out, xpath.ValueOf(e, sep))
			case "text":
				out = append(out, xpath.Text(c.text()))
			case "if":
				e, err := sel("test")
				if err != nil {
					return nil, nil, err
				}
				if e == nil {
					return nil, nil, fmt.Errorf("%s: xsl:if needs a test", c.where())
				}
				body, _, err := compileInstrs(scope.Child(), c.children)
				if err != nil {
					return nil, nil, err
				}
				out = append(out, xpath.Choose([]xpath.When{{Test: e, Body: body}}, nil))
			case "choose":
				var whens []xpath.When
				var otherwise []xpath.Instr
				for _, w := range c.elements() {
					switch {
					case w.is(nsXSL, "when"):
						a := w.attrNode("test")
						if a == nil {
							return nil, nil, fmt.Errorf("%s: xsl:when needs a test", w.where())
						}
						t, err := scope.Compile(a.value)
						if err != nil {
							return nil, nil, attrExpr(w, a).errorAt(err, "xsl:when test")
						}
						body, _, err := compileInstrs(scope.Child(), w.children)
						if err != nil {
							return nil, nil, err
						}
						whens = append(whens, xpath.When{Test: t, Body: body})
					case w.is(nsXSL, "otherwise"):
						body, _, err := compileInstrs(scope.Child(), w.children)
						if err != nil {
							return nil, nil, err
						}
						otherwise = body
					default:
						return nil, nil, fmt.Errorf("%s: <%s> is not allowed in xsl:choose", w.where(), w.name.Local)
					}
				}
				out = append(out, xpath.Choose(whens, otherwise))
			default:
				return nil, nil, fmt.Errorf("%s: xsl:%s is not supported in a function", c.where(), c.name.Local)
			}
		}
	}
	return out, scope, nil
}
