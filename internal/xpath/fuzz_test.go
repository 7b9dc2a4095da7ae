package xpath

import (
	"strings"
	"testing"
)

// FuzzCompile compiles arbitrary expressions: the parser and compiler must
// return an *Error, never panic; short expressions that compile are also
// evaluated against the test document.
func FuzzCompile(f *testing.F) {
	for _, tc := range evalCases {
		f.Add(tc.expr)
	}
	f.Add("//*[ends-with(name(), 'Amount')]/@currencyID")
	f.Add("for $i in string-to-codepoints('123') return $i - 48")
	f.Fuzz(func(t *testing.T, expr string) {
		_, s, x := testContext(t)
		e, err := s.CompileStandalone(expr)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("%q: error of type %T: %v", expr, err, err)
			}
			return
		}
		// Ranges and loops can ask for a lot of work on purpose; the
		// evaluator only has to survive the short ones.
		if len(expr) > 64 || strings.Contains(expr, "to") || strings.Contains(expr, "$") {
			return
		}
		if _, err := x.Eval(e, 0); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("%q: dynamic error of type %T: %v", expr, err, err)
			}
		}
	})
}
