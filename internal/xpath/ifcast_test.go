package xpath

import "testing"

// if (p) then xs:decimal(p) else 0 evaluates p once (ifCastE), and only
// when both paths are the same.
func TestIfCast(t *testing.T) {
	_, s, _ := testContext(t)
	for _, tc := range []struct {
		expr  string
		fused bool
	}{
		{"if (cbc:ID) then xs:decimal(cbc:ID) else 0", true},
		{"if (cac:Price/cbc:PriceAmount) then xs:decimal(cac:Price/cbc:PriceAmount) else 0", true},
		{"if (cbc:ID) then xs:decimal(cbc:Note) else 0", false},
		{"if (cbc:ID) then xs:decimal(cbc:ID[1]) else 0", false},
		{"if (@id) then xs:decimal(@id) else 0", false},
		{"if (cbc:ID) then number(cbc:ID) else 0", false},
	} {
		e, err := s.Compile(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.e.(*ifCastE); ok != tc.fused {
			t.Errorf("%s: compiled as %T", tc.expr, e.e)
		}
	}
}
