package server

import (
	"fmt"
	"testing"

	"github.com/ehf-project/ehf/ehf"
)

func TestValidatorCache(t *testing.T) {
	c := newValidators(3, ehf.Options{})
	k := func(day int) valKey { return valKey{engine: ehf.Native, date: fmt.Sprintf("2026-01-%02d", day)} }
	a, err := c.get(k(1))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := c.get(k(1)); b != a {
		t.Error("the same key compiled twice")
	}
	for d := 2; d <= 10; d++ {
		c.get(k(d))
	}
	if c.len() != 3 {
		t.Errorf("%d cached, bound 3", c.len())
	}
	if b, _ := c.get(k(1)); b == a {
		t.Error("the least recently used validator was kept")
	}
	// the most recent ones stay
	c.get(k(8))
	c.get(k(11))
	if _, ok := c.byKey[k(8)]; !ok {
		t.Error("a recently used validator was dropped")
	}
	if _, err := c.get(valKey{ruleSet: "nope", engine: ehf.Native}); err == nil {
		t.Error("unknown rule set compiled")
	}
	if _, err := c.get(valKey{engine: ehf.Native, date: "2026-13-01"}); err == nil {
		t.Error("bad date compiled")
	}
	if c.len() != 3 {
		t.Errorf("errors were cached: %d", c.len())
	}
}
