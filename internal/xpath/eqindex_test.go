package xpath

import "testing"

// TestEqIndexUsed checks that the predicates of the index cases in
// evalCases are answered from an index (their results are checked
// there), and that others are not.
func TestEqIndexUsed(t *testing.T) {
	for _, tc := range []struct {
		expr    string
		indexes int
	}{
		{"//cac:InvoiceLine[normalize-space(cbc:ID) = '2']", 1},
		{"//cac:InvoiceLine['2' = normalize-space(cbc:ID)] | //cac:InvoiceLine[normalize-space(cbc:ID) = '3']", 1},
		{"/*/cac:InvoiceLine/cbc:ID[normalize-space(.) = 'x'] | //cbc:ID[upper-case(.) = 'X']", 2},
		{"//cac:InvoiceLine[normalize-space(cbc:ID) != '2']", 0},
		{"/ubl:Invoice[cac:InvoiceLine/normalize-space(cbc:ID) = '2']", 1},
		{"/ubl:Invoice[cac:InvoiceLine/(normalize-space(cbc:ID) = '2')]", 0},
		{"/ubl:Invoice[cac:InvoiceLine/cbc:ID/normalize-space() = '2']", 0},
		{"/ubl:Invoice[cac:InvoiceLine[1]/normalize-space(cbc:ID) = '2']", 0},
		{"//cac:InvoiceLine[cbc:ID = '2']", 0},
		{"//cac:InvoiceLine[normalize-space(cbc:ID[1]) = '2']", 0},
		{"//cac:InvoiceLine[normalize-space(cbc:ID) = 2]", 0},
		{"//cac:InvoiceLine[normalize-space() = '2']", 0},
		{"//*[normalize-space(cbc:ID) = '2']", 0},
		{"//cac:InvoiceLine/@*[normalize-space(.) = '2']", 0},
	} {
		c, s, x := testContext(t)
		e, err := s.CompileStandalone(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if len(c.eqs) != tc.indexes {
			t.Errorf("%s: %d indexes, want %d", tc.expr, len(c.eqs), tc.indexes)
		}
		if _, err := x.Eval(e, 0); err != nil && tc.indexes > 0 {
			t.Errorf("%s: %v", tc.expr, err)
		}
	}
}
