package xpath

import "strings"

// The code list rules test a value with
// contains(' AED AFN ALL ... ', concat(' ', normalize-space(.), ' ')):
// a substring search through a literal of up to several kilobytes for
// every value. When the second string is a space, one word and a space,
// it occurs in the literal exactly when the word is one of the literal's
// words that have a space on both sides, which a set of those words
// answers.

// tokensE is contains() with a long literal first argument.
type tokensE struct {
	call *callE // the contains() call: its second argument, and errors
	list string
	set  map[string]struct{}
}

// minTokenList is the literal length from which a set pays.
const minTokenList = 64

// tokenContains wraps contains(literal, x) when the literal is long.
func tokenContains(c *callE) evaluator {
	lit, ok := c.args[0].(*litE)
	if !ok || lit.v.n != 1 || lit.v.one.k != KString || len(lit.v.one.s) < minTokenList {
		return c
	}
	list := lit.v.one.s
	words := strings.Split(list, " ")
	set := make(map[string]struct{}, len(words))
	// The first and last pieces have no space before or after them.
	for _, w := range words[1 : len(words)-1] {
		if w != "" {
			set[w] = struct{}{}
		}
	}
	return &tokensE{call: c, list: list, set: set}
}

func (e *tokensE) ebv(x *Context, f focus) (bool, error) {
	s, err := e.call.argString(x, f, 1)
	if err != nil {
		return false, err
	}
	if len(s) >= 3 && s[0] == ' ' && s[len(s)-1] == ' ' {
		if w := s[1 : len(s)-1]; !strings.Contains(w, " ") {
			_, ok := e.set[w]
			return ok, nil
		}
	}
	return strings.Contains(e.list, s), nil
}

func (e *tokensE) eval(x *Context, f focus) (Seq, error) {
	b, err := e.ebv(x, f)
	if err != nil {
		return Empty, err
	}
	return Single(boolItem(b)), nil
}
