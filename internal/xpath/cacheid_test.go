package xpath

import "testing"

// TestCacheShared checks that parts meaning the same share one slot per
// document, across rule files and prefixes, and that parts calling key()
// are shared only within their rule file, whose keys they name.
func TestCacheShared(t *testing.T) {
	c := NewCompiler()
	s1 := c.NewScope(testNS)
	s2 := c.NewScope(map[string]string{"b": testNS["cbc"], "a": testNS["cac"]})
	compile := func(s *Scope, src string) int {
		t.Helper()
		e, err := s.CompileStandalone(src)
		if err != nil {
			t.Fatal(err)
		}
		ce, ok := e.e.(*cachedE)
		if !ok {
			t.Fatalf("%s is compiled as %T, not a cached part", src, e.e)
		}
		return ce.id
	}
	for _, s := range []*Scope{s1, s2} {
		p, err := s.CompilePattern("*")
		if err != nil {
			t.Fatal(err)
		}
		use, err := s.CompileStandalone("string(.)")
		if err != nil {
			t.Fatal(err)
		}
		s.DeclareKey("k", p, use)
	}
	if compile(s1, "//cac:InvoiceLine/cbc:ID = '2'") != compile(s2, "//a:InvoiceLine/b:ID = '2'") {
		t.Errorf("the same test in two files has two slots")
	}
	if compile(s1, "//cac:InvoiceLine/cbc:ID = '2'") == compile(s1, "//cac:InvoiceLine/cbc:ID = '3'") {
		t.Errorf("tests with different literals share a slot")
	}
	if compile(s1, "exists(key('k', 'x'))") != compile(s1, "exists(key('k', 'x'))") {
		t.Errorf("the same key() test in one file has two slots")
	}
	if compile(s1, "exists(key('k', 'x'))") == compile(s2, "exists(key('k', 'x'))") {
		t.Errorf("key() tests of two files share a slot")
	}
}

// TestVarMemoShared checks that the same aggregate over a local variable,
// written twice (as BR-S-08 writes its sums), has one memo entry, which
// holds the value for the variable's last value. ($d makes the loop depend
// on the focus, so that it is not cached whole.)
func TestVarMemoShared(t *testing.T) {
	c, s, x := testContext(t)
	e, err := s.CompileStandalone("for $c in ('EUR', 'NOK'), $d in . return sum(//cbc:LineExtensionAmount[@currencyID = $c][. castable as xs:decimal]/xs:decimal(.)) - sum(//cbc:LineExtensionAmount[@currencyID = $c][. castable as xs:decimal]/xs:decimal(.))")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.varMemos) != 1 {
		t.Fatalf("two identical sums have %d memo entries, want 1", len(c.varMemos))
	}
	v, err := x.Eval(e, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := format(x, v); got != "integer:0 | decimal:0" {
		t.Errorf("got %s", got)
	}
	if len(x.varMemos) != 1 || !x.varMemos[0].ok || format(x, x.varMemos[0].val) != "decimal:200.6" {
		t.Errorf("memo after the NOK sums: %+v", x.varMemos)
	}
}
