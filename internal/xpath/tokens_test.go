package xpath

import (
	"strings"
	"testing"
)

// contains() with a long literal answers as a substring search does,
// for words, spaces and parts of words alike.
func TestTokenContains(t *testing.T) {
	list := " AED AFN ALL AMD  AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV\tBRL EUR NOK "
	if len(list) < minTokenList {
		t.Fatal("the list is too short to be a token list")
	}
	c := &callE{name: "contains", fn: builtins["contains"], args: []evaluator{&litE{v: Single(strItem(list))}, nil}}
	e, ok := tokenContains(c).(*tokensE)
	if !ok {
		t.Fatal("no token set")
	}
	x := &Context{c: NewCompiler()}
	for _, s := range []string{" NOK ", " EUR ", " AED ", " AOA ", "  ", " ", "", " XXX ", " NO ", "NOK", " AED AFN ", " BOV\tBRL ", " BOV ", " BRL ", "AED ", " ARS", " AMD  AOA "} {
		c.args[1] = &litE{v: Single(strItem(s))}
		got, err := e.ebv(x, focus{})
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Contains(list, s); got != want {
			t.Errorf("contains(list, %q) = %v, want %v", s, got, want)
		}
	}
}

// contains(literal, concat(' ', x, ' ')) with a literal of any length
// looks x up without the concatenation, and answers as the substring
// search does.
func TestTokenContainsWord(t *testing.T) {
	x := &Context{c: NewCompiler()}
	lit := func(s string) evaluator { return &litE{v: Single(strItem(s))} }
	for _, list := range []string{" AE L M E S Z G O K B ", "AE L  M\tE ", "", " ", "  "} {
		for _, w := range []string{"AE", "L", "M", "E", "B", "", " ", "A", "AE L", "M\tE", "X", "K B", "Z "} {
			concat := &callE{name: "concat", fn: builtins["concat"], args: []evaluator{lit(" "), lit(w), lit(" ")}}
			c := &callE{name: "contains", fn: builtins["contains"], args: []evaluator{lit(list), concat}}
			e, ok := tokenContains(c).(*tokensE)
			if !ok || e.word == nil {
				t.Fatal("no token set")
			}
			got, err := e.ebv(x, focus{})
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Contains(list, " "+w+" "); got != want {
				t.Errorf("contains(%q, concat(' ', %q, ' ')) = %v, want %v", list, w, got, want)
			}
		}
	}
}
