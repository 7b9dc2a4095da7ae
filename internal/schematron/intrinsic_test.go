package schematron

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/ehf-project/ehf/internal/xpath"
)

// officialWithKnown lists the official rule files that define a function
// with a Go version.
func officialWithKnown(t *testing.T) []string {
	dir := sharedtest.Path(t, "rules")
	var out []string
	for _, pat := range []string{"*/*.sch", "*/*/*.sch"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), `name="u:gln"`) || strings.Contains(string(data), `name="u:mod11"`) || strings.Contains(string(data), `name="u:slack"`) {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no official rule file defines u:gln or u:mod11")
	}
	return out
}

func compileKnown(t *testing.T, file string, data []byte, intrinsics bool) *Program {
	t.Helper()
	p := newProgram("test", intrinsics)
	p.known = []knownFunction{}
	if err := p.compileAll([]Source{{File: file, Data: data}}); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return p
}

// checkDigitInputs are strings for the check-digit functions: valid and
// invalid numbers of the usual lengths, odd lengths, signs, exponents,
// spaces, letters, non-ASCII digits and the empty string.
func checkDigitInputs() []string {
	in := []string{"", "0", "00", "7", "INF", "-INF", "NaN", "+1", "-1", "1e3", "1E3", " 7", "7 ", "1.5", ".5",
		"5790000435968", "5790000435975", "7080003890012", "973241722", "973241721", "982463718", "000000000",
		"٣٤٥", "12٣", "１２３", "é1", "1 2 3", "0000000000000", "9999999999999999999999", "-973241722", "+973241722"}
	r := rand.New(rand.NewPCG(1, 2))
	const odd = "0123456789 abcXYZ-+.eE\tINFaé٣\u00a0/:"
	oddRunes := []rune(odd)
	for range 1500 {
		n := r.IntN(16)
		var b strings.Builder
		switch r.IntN(3) {
		case 0, 1:
			for range n {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		default:
			for range n {
				b.WriteRune(oddRunes[r.IntN(len(oddRunes))])
			}
		}
		in = append(in, b.String())
	}
	// Numbers whose last digit is right for each function.
	for range 100 {
		for _, n := range []int{8, 12} {
			var b strings.Builder
			for range n {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
			for d := '0'; d <= '9'; d++ {
				in = append(in, b.String()+string(d))
			}
		}
	}
	return in
}

// slackArgs are argument lists for u:slack: amounts near each other,
// integers, big and many-digit decimals, untyped values (converted to
// xs:decimal) and values the conversion rejects.
func slackArgs() []string {
	nums := []string{"0", "1", "-1", "0.02", "0.01", "-0.02", "100", "100.02", "99.98", "99.979", "100.021", "2800", "2800.00",
		"123456789012345678.9", "99999999999999999999999.99", "0.000000000000000000001", "7.5", "-7.52", "xs:untypedAtomic('1.5')",
		"xs:untypedAtomic('x')", "'1'", "1e0", "()", "(1, 2)"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 60 {
		nums = append(nums, fmt.Sprintf("%d.%02d", r.IntN(2000)-1000, r.IntN(100)))
	}
	var out []string
	for range 6000 {
		a, b := nums[r.IntN(len(nums))], nums[r.IntN(len(nums))]
		if r.IntN(2) == 0 {
			b = a + " + " + []string{"0.01", "0.02", "0.021", "-0.02", "0"}[r.IntN(5)]
			if strings.HasPrefix(a, "(") || strings.HasPrefix(a, "'") || strings.HasPrefix(a, "xs:untyped") {
				b = "1"
			}
		}
		out = append(out, a+", "+b+", "+[]string{"0.02", "0.01", "0", "1", "-0.02", "xs:untypedAtomic('0.02')"}[r.IntN(6)])
	}
	return out
}

// evalCalls evaluates name(arg) for each argument expression, with the
// focus on the matching element of doc (nil: no focus).
func evalCalls(t *testing.T, p *Program, kf knownFunction, args []string, doc *xmltree.Document, nodes []xmltree.NodeID) []string {
	t.Helper()
	var exprs []*xpath.Expr
	for _, a := range args {
		e, err := kf.module.CompileStandalone(kf.f.Name + "(" + a + ")")
		if err != nil {
			t.Fatalf("%s(%s): %v", kf.f.Name, a, err)
		}
		exprs = append(exprs, e)
	}
	x := p.c.NewContext(doc)
	out := make([]string, len(exprs))
	for i, e := range exprs {
		n := xmltree.NodeID(0)
		if nodes != nil {
			n = nodes[i]
		}
		s, err := x.Eval(e, n)
		var b strings.Builder
		if err != nil {
			fmt.Fprintf(&b, "error %v", err)
		}
		for j := range s.Len() {
			it := s.At(j)
			fmt.Fprintf(&b, "%s %s;", it.Kind(), x.StringValue(it))
		}
		out[i] = b.String()
	}
	return out
}

func xpathString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestIntrinsicsAgree compares the Go versions of the official files'
// check-digit functions with their definitions run as written, on
// thousands of strings, as strings, untyped values and element nodes, and
// on arguments the Go versions leave to the definitions.
func TestIntrinsicsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles every official rule file with a known function twice")
	}
	inputs := checkDigitInputs()
	var xml strings.Builder
	xml.WriteString("<r>")
	for _, s := range inputs {
		xml.WriteString("<v>" + strings.NewReplacer("&", "&amp;", "<", "&lt;", "\t", "&#9;").Replace(s) + "</v>")
	}
	xml.WriteString("</r>")
	doc, err := xmltree.Parse([]byte(xml.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []xmltree.NodeID
	for n := range doc.Children(doc.Root()) {
		nodes = append(nodes, n)
	}
	if len(nodes) != len(inputs) {
		t.Fatalf("%d nodes for %d inputs", len(nodes), len(inputs))
	}
	var lits, untypedArgs, dots []string
	for _, s := range inputs {
		lits = append(lits, xpathString(s))
		untypedArgs = append(untypedArgs, "xs:untypedAtomic("+xpathString(s)+")")
		dots = append(dots, ".")
	}
	others := []string{"()", "12", "1.5", "xs:double('NaN')", "('1', '2')", "true()", "(., .)"}
	slack := slackArgs()
	hashes := map[string]bool{}
	for _, file := range officialWithKnown(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		native := compileKnown(t, file, data, true)
		fresh := false
		for _, kf := range native.known {
			fresh = fresh || !hashes[kf.hash]
		}
		if !fresh {
			continue // every definition in it was compared already
		}
		interp := compileKnown(t, file, data, false)
		if len(native.known) == 0 || len(native.known) != len(interp.known) {
			t.Fatalf("%s: %d known functions compiled with Go versions, %d without", file, len(native.known), len(interp.known))
		}
		for i, kf := range native.known {
			hashes[kf.hash] = true
			if kf.f.Intrinsic() != kf.intrinsic || interp.known[i].f.Intrinsic() != "" {
				t.Fatalf("%s: %s: Go version %q, without: %q", file, kf.f.Name, kf.f.Intrinsic(), interp.known[i].f.Intrinsic())
			}
			type argSet struct {
				what  string
				args  []string
				nodes []xmltree.NodeID
			}
			sets := []argSet{{"string", lits, nil}, {"untyped", untypedArgs, nil}, {"node", dots, nodes}, {"other", others, nodes[:len(others)]}}
			if kf.intrinsic == "slack" {
				sets = []argSet{{"numbers", slack, nil}}
			}
			for _, c := range sets {
				got := evalCalls(t, native, kf, c.args, doc, c.nodes)
				want := evalCalls(t, interp, interp.known[i], c.args, doc, c.nodes)
				bad := 0
				for j := range got {
					if got[j] != want[j] {
						bad++
						if bad <= 5 {
							t.Errorf("%s: %s(%s) (%s): Go version %q, as written %q", filepath.Base(file), kf.f.Name, c.args[j], c.what, got[j], want[j])
						}
					}
				}
			}
		}
	}
	for h, name := range knownFunctions {
		if !hashes[h] {
			t.Errorf("no official rule file has the %s definition %s", name, h)
		}
	}
}

// TestIntrinsicOnlyForKnownDefinitions checks that a definition that
// differs in one token runs as written, and that one laid out differently
// is still recognised.
func TestIntrinsicOnlyForKnownDefinitions(t *testing.T) {
	file := sharedtest.Path(t, "rules", "peppol-2026.5", "PEPPOL-EN16931-UBL.sch")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const weight = "(($i mod 6) + 2)"
	if !strings.Contains(string(data), weight) {
		t.Fatalf("u:mod11's weights %q not found", weight)
	}
	intrinsicOf := func(data []byte) map[string]string {
		p := compileKnown(t, file, data, true)
		m := map[string]string{}
		for _, kf := range p.known {
			m[kf.f.Name] = kf.f.Intrinsic()
		}
		return m
	}
	if m := intrinsicOf(data); m["u:mod11"] != "mod11" || m["u:gln"] != "gln" {
		t.Fatalf("official definitions: %v", m)
	}
	changed := strings.Replace(string(data), weight, "(($i mod 6) + 3)", 1)
	if m := intrinsicOf([]byte(changed)); m["u:mod11"] != "" || m["u:gln"] != "gln" {
		t.Errorf("u:mod11 with other weights: %v", m)
	}
	relaid := strings.Replace(string(data), weight, "(($i mod 6)\n\t\t+ 2)", 1)
	if m := intrinsicOf([]byte(relaid)); m["u:mod11"] != "mod11" {
		t.Errorf("u:mod11 with a line break: %v", m)
	}
}
