package xpath

import (
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Most function arguments are strings: normalize-space(cbc:ID),
// concat(' ', normalize-space(.), ' '). Their values are taken without
// wrapping each one in a sequence and atomizing it again.

// strEvaluator gives evalString's result directly.
type strEvaluator interface {
	evalStr(x *Context, f focus, what desc) (string, error)
}

// strFns compute the string functions whose result is always exactly
// one xs:string.
var strFns = map[string]func(x *Context, f focus, c *callE) (string, error){
	"normalize-space": func(x *Context, f focus, c *callE) (string, error) {
		s, err := c.arg0String(x, f)
		return normalizeSpace(s), err
	},
	"upper-case": func(x *Context, f focus, c *callE) (string, error) {
		s, err := c.arg0String(x, f)
		return strings.ToUpper(s), err
	},
	"lower-case": func(x *Context, f focus, c *callE) (string, error) {
		s, err := c.arg0String(x, f)
		return strings.ToLower(s), err
	},
	"concat": func(x *Context, f focus, c *callE) (string, error) {
		var b strings.Builder
		for i := range c.args {
			s, err := c.argString(x, f, i)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	},
}

func (c *callE) evalStr(x *Context, f focus, what desc) (string, error) {
	if c.str != nil {
		s, err := c.str(x, f, c)
		if err != nil {
			return "", err
		}
		return s, nil
	}
	return x.evalStringSeq(c, f, what)
}

func (ctxE) evalStr(x *Context, f focus, what desc) (string, error) {
	if f.pos == 0 {
		return x.evalStringSeq(ctxE{}, f, what)
	}
	return x.str(f.it), nil
}

func (e *pathE) evalStr(x *Context, f focus, what desc) (string, error) {
	if e.kids == nil || f.pos == 0 || f.it.k != KNode {
		return x.evalStringSeq(e, f, what)
	}
	if len(e.needs) > 0 && e.absent(x) {
		return "", nil
	}
	var c collector
	x.kidPath(e.kids, e.kidAttr, xmltree.NodeID(f.it.n), &c)
	switch c.n {
	case 0:
		return "", nil
	case 1:
		return x.str(c.one), nil
	}
	return "", dynErr("XPTY0004", "%s must be a single value, not a sequence of %d", what, c.n)
}
