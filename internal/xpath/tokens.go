package xpath

import "strings"

// The code list rules test a value with
// contains(' AED AFN ALL ... ', concat(' ', normalize-space(.), ' ')):
// a substring search through a literal of up to several kilobytes for
// every value. When the second string is a space, one word and a space,
// it occurs in the literal exactly when the word is one of the literal's
// words that have a space on both sides, which a set of those words
// answers.

// tokensE is contains() with a long literal first argument, or with a
// second argument concat(' ', x, ' ').
type tokensE struct {
	call *callE // the contains() call: its second argument, and errors
	// word is the concat(' ', x, ' ') call, whose x is looked up without
	// building the concatenation.
	word *callE
	list string
	set  map[string]struct{}
}

// minTokenList is the literal length from which a set pays.
const minTokenList = 64

// tokenContains wraps contains(literal, x) when the literal is long.
func tokenContains(c *callE) evaluator {
	lit, ok := c.args[0].(*litE)
	if !ok || lit.v.n != 1 || lit.v.one.k != KString {
		return c
	}
	word := spaced(c.args[1])
	if len(lit.v.one.s) < minTokenList && word == nil {
		return c
	}
	list := lit.v.one.s
	words := strings.Split(list, " ")
	set := make(map[string]struct{}, len(words))
	// The first and last pieces have no space before or after them.
	for _, w := range words[1:max(len(words)-1, 1)] {
		if w != "" {
			set[w] = struct{}{}
		}
	}
	return &tokensE{call: c, word: word, list: list, set: set}
}

// spaced returns e when it is a call concat(' ', x, ' ').
func spaced(e evaluator) *callE {
	c, ok := e.(*callE)
	if !ok || c.name != "concat" || len(c.args) != 3 {
		return nil
	}
	for _, i := range []int{0, 2} {
		l, ok := c.args[i].(*litE)
		if !ok || l.v.n != 1 || l.v.one.k != KString || l.v.one.s != " " {
			return nil
		}
	}
	return c
}

func (e *tokensE) ebv(x *Context, f focus) (bool, error) {
	if e.word != nil {
		w, err := e.word.argString(x, f, 1)
		if err != nil {
			return false, err
		}
		if w != "" && !strings.Contains(w, " ") {
			_, ok := e.set[w]
			return ok, nil
		}
		return strings.Contains(e.list, " "+w+" "), nil
	}
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
