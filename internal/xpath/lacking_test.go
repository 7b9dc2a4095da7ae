package xpath

import "testing"

func TestLacking(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		lacks bool // the test document lacks a name of each group
		none  bool // the expression promises nothing
	}{
		{expr: "not(cac:Missing)", lacks: true},
		{expr: "not(cac:InvoiceLine/cac:Missing)", lacks: true},
		{expr: "not(//cac:Missing/cbc:ID)", lacks: true},
		{expr: "not(cac:Missing | cac:Other)", lacks: true},
		{expr: "not((cac:InvoiceLine | cac:Missing)/cac:Other)", lacks: true},
		{expr: "not(cac:InvoiceLine)"},
		{expr: "not(cac:InvoiceLine | cac:Missing)"},
		{expr: "not(cac:InvoiceLine/cbc:ID)"},
		{expr: "not(@missing)", lacks: true},
		{expr: "cac:Missing", none: true},
		{expr: "not(cac:Missing) and true()", none: true},
		{expr: "not(string(cac:Missing))", none: true},
		{expr: "not($v)", none: true},
	} {
		_, s, x := testContext(t)
		s = s.Child()
		s.Let("v")
		e, err := s.Compile(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		l := e.Lacking()
		if l.Empty() != tc.none {
			t.Errorf("%s: Lacking empty %v, want %v", tc.expr, l.Empty(), tc.none)
		}
		if got := x.Lacks(l); got != tc.lacks {
			t.Errorf("%s: Lacks %v, want %v", tc.expr, got, tc.lacks)
		}
		if tc.lacks {
			if ok, err := x.Bool(e, 0); err != nil || !ok {
				t.Errorf("%s: Lacks, but the value is %v, %v", tc.expr, ok, err)
			}
		}
	}
}

// Whenever Lacks answers, the expression is true.
func TestLackingAgreesWithEval(t *testing.T) {
	_, s, x := testContext(t)
	n := 0
	for _, tc := range evalCases {
		for _, src := range []string{"not(" + tc.expr + ")", "not((" + tc.expr + ")/cac:Missing)", "not((" + tc.expr + ") | cac:Missing)"} {
			e, err := s.CompileStandalone(src)
			if err != nil {
				continue
			}
			if !x.Lacks(e.Lacking()) {
				continue
			}
			n++
			if ok, err := x.Bool(e, 0); err != nil || !ok {
				t.Errorf("%s: Lacks, but the value is %v, %v", src, ok, err)
			}
		}
	}
	if n < len(evalCases)/2 {
		t.Errorf("only %d expressions answered by Lacks", n)
	}
}
