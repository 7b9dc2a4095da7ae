package peppol

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// Each step constant names its element (cacX is cac:X) and each attribute
// constant its attribute (attrX is X with a lower-case first letter): the
// rules are written with the constants, so a mismatch would make a rule
// walk the wrong element.
func TestStepNames(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var steps, attrs []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				switch name := n.Name; {
				case strings.HasPrefix(name, "cac"), strings.HasPrefix(name, "cbc"):
					steps = append(steps, name[:3]+":"+name[3:])
				case strings.HasPrefix(name, "attr"):
					attrs = append(attrs, strings.ToLower(name[4:5])+name[5:])
				}
			}
		}
	}
	if len(steps) != int(numSteps) || len(attrs) != int(numAttrs) {
		t.Fatalf("%d step and %d attribute constants, want %d and %d", len(steps), len(attrs), numSteps, numAttrs)
	}
	for i, s := range steps {
		if stepNames[i] != s {
			t.Errorf("step %d is %s, named %s", i, stepNames[i], s)
		}
	}
	for i, a := range attrs {
		if attrNames[i] != a {
			t.Errorf("attribute %d is %s, named %s", i, attrNames[i], a)
		}
	}
}
