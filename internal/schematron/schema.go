package schematron

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The schema model: what a Schematron file says, after includes are
// resolved and abstract patterns instantiated, before any XPath is
// compiled.

type schema struct {
	file         string
	root         *element
	ns           map[string]string // from <ns> elements
	lets         []*letDef
	patterns     []*pattern
	phases       map[string][]string
	defaultPhase string
	functions    []*element
	keys         []*element
}

type letDef struct {
	name  string
	value expr
	el    *element
}

type pattern struct {
	id       string
	el       *element
	abstract bool
	isA      string
	params   map[string]expr
	lets     []*letDef
	rules    []*rule
}

type rule struct {
	el       *element
	id       string
	context  expr
	flag     string
	abstract bool
	extends  []string
	lets     []*letDef
	checks   []*check
}

type check struct {
	el     *element
	report bool
	id     string
	flag   string
	test   expr
	msg    []msgPart
}

// msgPart is literal text, a <value-of select>, or a <name path>.
type msgPart struct {
	text    string
	valueOf *expr
	name    *expr // name of the node at path
	isName  bool  // <name/>: with name nil, the context node's name
}

// loadFile reads a rule file and the files it includes.
func loadFile(file string, data []byte) (*element, error) {
	root, err := readXML(file, data)
	if err != nil {
		return nil, err
	}
	if err := resolveIncludes(root, []string{abs(file)}); err != nil {
		return nil, err
	}
	return root, nil
}

func abs(f string) string {
	if a, err := filepath.Abs(f); err == nil {
		return a
	}
	return f
}

// maxIncludes bounds include chains.
const maxIncludes = 32

// resolveIncludes replaces every sch:include with the root element of the
// file it names (relative to the including file).
func resolveIncludes(el *element, chain []string) error {
	for i, c := range el.children {
		ce, ok := c.(*element)
		if !ok {
			continue
		}
		if !ce.is(nsSch, "include") {
			if err := resolveIncludes(ce, chain); err != nil {
				return err
			}
			continue
		}
		href, ok := ce.attr("href")
		if !ok || href == "" {
			return fmt.Errorf("%s: include needs an href", ce.where())
		}
		if strings.Contains(href, "://") || strings.Contains(href, "#") {
			return fmt.Errorf("%s: include %q: only local files can be included", ce.where(), href)
		}
		target := filepath.Join(filepath.Dir(chain[len(chain)-1]), filepath.FromSlash(href))
		for _, f := range chain {
			if f == target {
				return fmt.Errorf("%s: include %q includes itself", ce.where(), href)
			}
		}
		if len(chain) >= maxIncludes {
			return fmt.Errorf("%s: includes are nested too deeply", ce.where())
		}
		data, err := os.ReadFile(target)
		if err != nil {
			return fmt.Errorf("%s: include %q: %v", ce.where(), href, err)
		}
		inc, err := readXML(target, data)
		if err != nil {
			return err
		}
		if err := resolveIncludes(inc, append(chain, target)); err != nil {
			return err
		}
		el.children[i] = inc
	}
	return nil
}

// parseSchema builds the schema model from a loaded root element.
func parseSchema(root *element) (*schema, error) {
	if !root.is(nsSch, "schema") {
		return nil, fmt.Errorf("%s: not an ISO Schematron schema (root element is {%s}%s)", root.where(), root.name.Space, root.name.Local)
	}
	if qb, ok := root.attr("queryBinding"); ok {
		switch strings.ToLower(qb) {
		case "xslt2", "xslt3", "xpath2", "xpath3", "xpath31":
		default:
			return nil, fmt.Errorf("%s: queryBinding %q is not supported (XPath 2 rule files only)", root.where(), qb)
		}
	}
	s := &schema{file: root.src.file, root: root, ns: map[string]string{}, phases: map[string][]string{}}
	s.defaultPhase, _ = root.attr("defaultPhase")
	for _, c := range root.elements() {
		if err := s.top(c); err != nil {
			return nil, err
		}
	}
	if err := s.instantiate(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *schema) top(c *element) error {
	switch {
	case c.is(nsSch, "ns"):
		prefix, _ := c.attr("prefix")
		uri, ok := c.attr("uri")
		if !ok {
			return fmt.Errorf("%s: ns needs a uri", c.where())
		}
		s.ns[prefix] = uri
	case c.is(nsSch, "let"):
		l, err := parseLet(c)
		if err != nil {
			return err
		}
		s.lets = append(s.lets, l)
	case c.is(nsSch, "pattern"):
		p, err := parsePattern(c)
		if err != nil {
			return err
		}
		s.patterns = append(s.patterns, p)
	case c.is(nsSch, "phase"):
		id, _ := c.attr("id")
		var active []string
		for _, a := range c.elements() {
			if a.is(nsSch, "active") {
				p, _ := a.attr("pattern")
				active = append(active, p)
			}
		}
		s.phases[id] = active
	case c.is(nsXSL, "function"):
		s.functions = append(s.functions, c)
	case c.is(nsXSL, "key"):
		s.keys = append(s.keys, c)
	case c.is(nsSch, "title"), c.is(nsSch, "p"), c.is(nsSch, "diagnostics"), c.is(nsSch, "properties"):
	case c.is(nsSch, "schema"):
		// An included schema: its parts join this one.
		for _, cc := range c.elements() {
			if err := s.top(cc); err != nil {
				return err
			}
		}
	case c.name.Space == nsSch:
		return fmt.Errorf("%s: <%s> is not supported here", c.where(), c.name.Local)
	case c.name.Space == nsXSL:
		return fmt.Errorf("%s: xsl:%s is not supported (only xsl:function and xsl:key)", c.where(), c.name.Local)
	}
	return nil
}

func parseLet(c *element) (*letDef, error) {
	name, _ := c.attr("name")
	if name == "" {
		return nil, fmt.Errorf("%s: let needs a name", c.where())
	}
	a := c.attrNode("value")
	if a == nil {
		return nil, fmt.Errorf("%s: let %s needs a value attribute (element content is not supported)", c.where(), name)
	}
	return &letDef{name: name, value: attrExpr(c, a), el: c}, nil
}

func parsePattern(c *element) (*pattern, error) {
	p := &pattern{el: c, params: map[string]expr{}}
	p.id, _ = c.attr("id")
	abs, _ := c.attr("abstract")
	p.abstract = abs == "true"
	p.isA, _ = c.attr("is-a")
	for _, cc := range c.elements() {
		switch {
		case cc.is(nsSch, "rule"):
			r, err := parseRule(cc)
			if err != nil {
				return nil, err
			}
			p.rules = append(p.rules, r)
		case cc.is(nsSch, "let"):
			l, err := parseLet(cc)
			if err != nil {
				return nil, err
			}
			p.lets = append(p.lets, l)
		case cc.is(nsSch, "param"):
			name, _ := cc.attr("name")
			a := cc.attrNode("value")
			if name == "" || a == nil {
				return nil, fmt.Errorf("%s: param needs a name and a value", cc.where())
			}
			p.params[name] = attrExpr(cc, a)
		case cc.is(nsSch, "title"), cc.is(nsSch, "p"):
		case cc.name.Space == nsSch, cc.name.Space == nsXSL:
			return nil, fmt.Errorf("%s: <%s> is not supported in a pattern", cc.where(), cc.name.Local)
		}
	}
	if p.isA != "" && len(p.rules) > 0 {
		return nil, fmt.Errorf("%s: pattern %q is an instance of %q and cannot have rules of its own", c.where(), p.id, p.isA)
	}
	return p, nil
}

func parseRule(c *element) (*rule, error) {
	r := &rule{el: c}
	r.id, _ = c.attr("id")
	r.flag, _ = c.attr("flag")
	abs, _ := c.attr("abstract")
	r.abstract = abs == "true"
	if a := c.attrNode("context"); a != nil {
		r.context = attrExpr(c, a)
	} else if !r.abstract {
		return nil, fmt.Errorf("%s: rule needs a context", c.where())
	}
	for _, cc := range c.elements() {
		switch {
		case cc.is(nsSch, "assert"), cc.is(nsSch, "report"):
			ch, err := parseCheck(cc)
			if err != nil {
				return nil, err
			}
			r.checks = append(r.checks, ch)
		case cc.is(nsSch, "let"):
			l, err := parseLet(cc)
			if err != nil {
				return nil, err
			}
			r.lets = append(r.lets, l)
		case cc.is(nsSch, "extends"):
			ref, _ := cc.attr("rule")
			if ref == "" {
				return nil, fmt.Errorf("%s: extends needs a rule (extends href is not supported)", cc.where())
			}
			r.extends = append(r.extends, ref)
		case cc.is(nsSch, "title"), cc.is(nsSch, "p"):
		case cc.name.Space == nsSch, cc.name.Space == nsXSL:
			return nil, fmt.Errorf("%s: <%s> is not supported in a rule", cc.where(), cc.name.Local)
		}
	}
	return r, nil
}

func parseCheck(c *element) (*check, error) {
	ch := &check{el: c, report: c.name.Local == "report"}
	ch.id, _ = c.attr("id")
	ch.flag, _ = c.attr("flag")
	a := c.attrNode("test")
	if a == nil {
		return nil, fmt.Errorf("%s: %s needs a test", c.where(), c.name.Local)
	}
	ch.test = attrExpr(c, a)
	var walk func(e *element) error
	walk = func(e *element) error {
		for _, k := range e.children {
			switch k := k.(type) {
			case string:
				ch.msg = append(ch.msg, msgPart{text: k})
			case *element:
				switch {
				case k.is(nsSch, "value-of"):
					a := k.attrNode("select")
					if a == nil {
						return fmt.Errorf("%s: value-of needs a select", k.where())
					}
					x := attrExpr(k, a)
					ch.msg = append(ch.msg, msgPart{valueOf: &x})
				case k.is(nsSch, "name"):
					part := msgPart{isName: true}
					if a := k.attrNode("path"); a != nil {
						x := attrExpr(k, a)
						part.name = &x
					}
					ch.msg = append(ch.msg, part)
				default:
					// emph, dir, span and foreign markup: their text.
					if err := walk(k); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	return ch, walk(c)
}

// instantiate replaces every is-a pattern with a copy of its abstract
// pattern, parameters substituted, and drops abstract patterns.
func (s *schema) instantiate() error {
	abstract := map[string]*pattern{}
	for _, p := range s.patterns {
		if p.abstract {
			if p.id == "" {
				return fmt.Errorf("%s: an abstract pattern needs an id", p.el.where())
			}
			abstract[p.id] = p
		}
	}
	var out []*pattern
	for _, p := range s.patterns {
		switch {
		case p.abstract:
		case p.isA != "":
			a, ok := abstract[p.isA]
			if !ok {
				return fmt.Errorf("%s: pattern %q is an instance of %q, which is not an abstract pattern of this schema", p.el.where(), p.id, p.isA)
			}
			out = append(out, a.instance(p))
		default:
			out = append(out, p)
		}
	}
	s.patterns = out
	return nil
}

func (a *pattern) instance(p *pattern) *pattern {
	names := make([]string, 0, len(p.params))
	for n := range p.params {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	sub := func(e expr) expr { return e.substitute(p.params, names) }
	subLets := func(ls []*letDef) []*letDef {
		out := make([]*letDef, len(ls))
		for i, l := range ls {
			c := *l
			c.value = sub(l.value)
			out[i] = &c
		}
		return out
	}
	n := &pattern{id: p.id, el: p.el, lets: append(subLets(a.lets), p.lets...)}
	for _, r := range a.rules {
		c := *r
		c.context = sub(r.context)
		c.lets = subLets(r.lets)
		c.checks = make([]*check, len(r.checks))
		for i, ch := range r.checks {
			cc := *ch
			cc.test = sub(ch.test)
			cc.msg = make([]msgPart, len(ch.msg))
			for j, m := range ch.msg {
				if m.valueOf != nil {
					v := sub(*m.valueOf)
					m.valueOf = &v
				}
				if m.name != nil {
					v := sub(*m.name)
					m.name = &v
				}
				cc.msg[j] = m
			}
			c.checks[i] = &cc
		}
		n.rules = append(n.rules, &c)
	}
	return n
}
