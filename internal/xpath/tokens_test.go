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
