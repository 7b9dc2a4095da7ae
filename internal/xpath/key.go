package xpath

import (
	"slices"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Key is an xsl:key: the nodes matching a pattern, indexed by the string
// values of an expression evaluated on each.
type Key struct {
	Name string
	defs []keyDef
}

type keyDef struct {
	match *Pattern
	use   *Expr
}

// DeclareKey adds a definition to key name, visible in the rule file of
// s (several xsl:key elements with one name make one key). use must be a
// standalone expression.
func (s *Scope) DeclareKey(name string, match *Pattern, use *Expr) {
	c := s.c
	k := c.keys[keyKey(s.mod, name)]
	if k == nil {
		k = &Key{Name: name}
		c.keys[keyKey(s.mod, name)] = k
	}
	k.defs = append(k.defs, keyDef{match: match, use: use})
}

// keyIndex builds (once per document) the index of key k.
func (x *Context) keyIndex(k *Key) (map[string][]xmltree.NodeID, error) {
	if idx, ok := x.keys[k]; ok {
		return idx, nil
	}
	idx := map[string][]xmltree.NodeID{}
	d := x.d
	for n := xmltree.NodeID(0); n < xmltree.NodeID(d.Len()); n++ {
		if d.Kind(n) == xmltree.TextNode {
			continue
		}
		for _, def := range k.defs {
			// An error while matching means no match, as for template
			// patterns.
			if ok, err := x.Match(def.match, n); err != nil || !ok {
				continue
			}
			v, err := x.eval(def.use, n)
			if err != nil {
				return nil, err
			}
			for i := 0; i < v.n; i++ {
				s := x.str(x.atomize(v.At(i)))
				if l := idx[s]; len(l) == 0 || l[len(l)-1] != n {
					idx[s] = append(l, n)
				}
			}
		}
	}
	if x.keys == nil {
		x.keys = map[*Key]map[string][]xmltree.NodeID{}
	}
	x.keys[k] = idx
	return idx, nil
}

func fnKey(x *Context, f focus, c *callE) (Seq, error) {
	k := c.key
	if k == nil {
		name, err := c.argString(x, f, 0)
		if err != nil {
			return Empty, err
		}
		if k = x.c.keys[keyKey(c.mod, name)]; k == nil {
			return Empty, dynErr("XTDE1260", "key %q is not declared", name)
		}
	}
	idx, err := x.keyIndex(k)
	if err != nil {
		return Empty, err
	}
	vals, err := c.args[1].eval(x, f)
	if err != nil {
		return Empty, err
	}
	var nodes []xmltree.NodeID
	for i := 0; i < vals.n; i++ {
		nodes = append(nodes, idx[x.str(x.atomize(vals.At(i)))]...)
	}
	if vals.n > 1 {
		slices.Sort(nodes)
		nodes = slices.Compact(nodes)
	}
	items := make([]Item, len(nodes))
	for i, n := range nodes {
		items[i] = nodeItem(n)
	}
	return SeqOf(items), nil
}
