package schematron_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/xmltree"
)

func parse(t testing.TB, doc string) *xmltree.Document {
	t.Helper()
	d, err := xmltree.Parse([]byte(doc), &xmltree.Options{File: "test.xml"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// summary lists findings as "ID flag location", sorted.
func summary(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", f.ID, f.Flag, f.Location))
	}
	sort.Strings(out)
	return out
}

const goodOrder = `<Order xmlns="urn:example:order"><ID>O-1</ID><Currency>NOK</Currency><Check>1234</Check>
  <Line><ID>1</ID><Qty>2</Qty><Price>10.50</Price><Amount>21.00</Amount></Line>
  <Line><ID>2</ID><Qty>3</Qty><Price>0.10</Price><Amount>0.30</Amount></Line>
  <Delivery><From>2024-01-02</From><To>2024-01-05</To></Delivery>
</Order>`

const badOrder = `<Order xmlns="urn:example:order"><ID>O-2</ID><Currency>EUR</Currency><Check>124</Check><Note>Rush</Note>
  <Line><ID>1</ID><Qty>0</Qty><Price>5</Price><Amount>0</Amount></Line>
  <Line><ID>1</ID><Qty>400</Qty><Price>2.5</Price><Amount>1000</Amount></Line>
  <Line><ID>7</ID><Qty>1</Qty><Price>1,5</Price><Amount>1.5</Amount></Line>
  <Delivery><From>2024-02-01</From><To>2024-01-01</To></Delivery>
</Order>`

func TestOrders(t *testing.T) {
	p, err := schematron.Compile("test-orders", "testdata/orders.sch")
	if err != nil {
		t.Fatal(err)
	}
	if fs := p.Validate(parse(t, goodOrder)); len(fs) != 0 {
		t.Errorf("good order: %v", summary(fs))
	}
	fs := p.Validate(parse(t, badOrder))
	want := []string{
		"T-AMOUNT fatal /Order/Line[3]", // xs:decimal("1,5") cannot be evaluated
		"T-BIG information /Order/Line[2]",
		"T-CHECK warning /Order",
		"T-CUR fatal /Order",
		"T-DATES fatal /Order/Delivery", // flag from the rule
		"T-NOTE information /Order",
		"T-POS warning /Order/Line[3]",
		"T-UNIQUE fatal /Order/Line[2]", // line 1 fired T-ZERO: first rule wins
		"T-ZERO warning /Order/Line[1]",
	}
	if got := summary(fs); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bad order:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	byID := map[string]report.Finding{}
	for _, f := range fs {
		byID[f.ID] = f
	}
	// Messages: the rule file's text with value-of and name filled in.
	for id, msg := range map[string]string{
		"T-CUR":   "Currency EUR is not allowed.",
		"T-CHECK": "Check digits of Order must add up to an even number.",
		"T-NOTE":  "The order has 1 notes: Rush",
		"T-ZERO":  "Line 1 has no quantity.",
		"T-BIG":   "Amount is large.",
	} {
		if byID[id].Message != msg {
			t.Errorf("%s: message %q, want %q", id, byID[id].Message, msg)
		}
	}
	// The rule that cannot be evaluated says why, in both languages.
	f := byID["T-AMOUNT"]
	if !strings.Contains(f.Message, `"1,5"`) || !strings.Contains(f.Norsk, "kunne ikke kontrolleres") {
		t.Errorf("T-AMOUNT: %q / %q", f.Message, f.Norsk)
	}
	if f.Line != 4 || f.Column != 3 || f.RuleSet != "test-orders" || f.Offset <= 0 {
		t.Errorf("T-AMOUNT position: %d:%d %s offset %d", f.Line, f.Column, f.RuleSet, f.Offset)
	}
}

func TestRules(t *testing.T) {
	p, err := schematron.Compile("test-orders", "testdata/orders.sch")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range p.Rules() {
		got = append(got, fmt.Sprintf("%s %s %v %s", r.ID, r.Flag, r.Report, r.Pattern))
	}
	want := []string{
		"T-CUR fatal false header", "T-CHECK warning false header", "T-NOTE information true header",
		"T-ZERO warning false lines", "T-AMOUNT fatal false lines", "T-UNIQUE fatal false lines",
		"T-POS warning false lines", "T-BIG information true lines", "T-DATES fatal false dates",
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("rules:\n got  %v\n want %v", got, want)
	}
	if w := p.Rules()[0].Where; !strings.HasPrefix(w, "testdata/orders.sch:") {
		t.Errorf("where: %s", w)
	}
}

func TestModular(t *testing.T) {
	p, err := schematron.Compile("test-modular", "testdata/modular/main.sch")
	if err != nil {
		t.Fatal(err)
	}
	fs := p.Validate(parse(t, `<Order xmlns="urn:example:order"><ID> </ID><Currency>EUR</Currency><Line><Qty>0</Qty></Line><Line><Qty>2</Qty></Line></Order>`))
	want := []string{"C-01 fatal /Order/Currency", "M-01 fatal /Order", "M-02 fatal /Order/Line[1]"}
	if got := summary(fs); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, f := range fs {
		if f.ID == "M-02" && f.Message != "Quantity must be positive: 0." {
			t.Errorf("M-02 message %q", f.Message)
		}
	}
	fs = p.Validate(parse(t, `<Order xmlns="urn:example:order"><ID>1</ID></Order>`))
	if got := summary(fs); strings.Join(got, ", ") != "M-1 warning /Order" {
		t.Errorf("got %v", got)
	}
}

// writeSch writes a rule file into a temporary directory.
func writeSch(t *testing.T, name, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// where is file:line:col of the first occurrence of mark in content.
func where(file, content, mark string) string {
	return whereOffset(file, content, strings.Index(content, mark))
}

func whereOffset(file, content string, i int) string {
	line := strings.Count(content[:i], "\n") + 1
	col := i - strings.LastIndex(content[:i], "\n")
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// Errors in rule files name the file, line and column of the offending
// part of the expression.
func TestCompileErrors(t *testing.T) {
	head := `<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt2">` + "\n"
	cases := []struct {
		body, mark, msg string
		skip            int // the error is this many bytes after mark
	}{
		{`<pattern><rule context="a">` + "\n" + `<assert id="X" test="count(b) &gt; 1 and frob(c)">x</assert></rule></pattern>`, "frob", "function frob() is not supported", 0},
		{`<pattern><rule context="a[">` + "\n" + `<assert id="X" test="true()">x</assert></rule></pattern>`, `a[">`, "rule context", 2},
		{`<pattern><rule context="a">` + "\n" + `<let name="v" value="b/"/><assert id="X" test="$v">x</assert></rule></pattern>`, `b/"`, "let $v", 2},
		{`<pattern><rule context="a"><assert id="X" test="$nope">x</assert></rule></pattern>`, "$nope", "variable $nope is not declared", 0},
		{`<pattern><rule context="a"><assert id="X" test="true()">x <value-of select="c["/></assert></rule></pattern>`, `c["/>`, "value-of", 2},
		{`<pattern><rule context="a"><assert id="X" test="1" flag="severe">x</assert></rule></pattern>`, `<assert`, `unknown flag "severe"`, 0},
		{`<pattern><rule context="count(a)"><assert id="X" test="1">x</assert></rule></pattern>`, `count(a)`, "cannot be used as a pattern", 0},
		{`<pattern><rule context="ancestor::a"><assert id="X" test="1">x</assert></rule></pattern>`, `ancestor::a`, "ancestor axis cannot be used in a pattern", 0},
		{`<xsl:function name="f"><xsl:sequence select="1"/></xsl:function>`, `<xsl:function`, "must have a namespace prefix", 0},
		{`<xsl:template match="/"/>`, `<xsl:template`, "xsl:template is not supported", 0},
		{`<pattern><rule context="a"><assert id="X" test="matches(., '\p{IsGreek}')">x</assert></rule></pattern>`, `matches`, "IsGreek is not supported", 0},
		{`<pattern is-a="missing" id="p"/>`, `<pattern`, "not an abstract pattern", 0},
		{`<include href="nowhere.sch"/>`, `<include`, "nowhere.sch", 0},
		{`<pattern><rule><assert id="X" test="1">x</assert></rule></pattern>`, `<rule>`, "rule needs a context", 0},
		{`<pattern><rule context="a"><assert id="X" test="1">x</rule></pattern>`, "", "element <assert> closed by </rule>", 0},
	}
	for i, tc := range cases {
		content := head + tc.body + "\n</schema>\n"
		f := writeSch(t, fmt.Sprintf("bad%d.sch", i), content)
		_, err := schematron.Compile("bad", f)
		if err == nil {
			t.Errorf("%d: compiled", i)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%d: %v, want %q", i, err, tc.msg)
		}
		if tc.mark != "" {
			at := whereOffset(f, content, strings.Index(content, tc.mark)+tc.skip)
			if !strings.HasPrefix(err.Error(), at) {
				t.Errorf("%d: %v, want it at %s", i, err, at)
			}
		}
	}
}

// An error in an abstract pattern's parameter is reported in the file
// that binds it.
func TestParamErrorPosition(t *testing.T) {
	dir := t.TempDir()
	binding := `<pattern xmlns="http://purl.oclc.org/dsdl/schematron" is-a="m" id="b">
  <param name="Ctx" value="o"/>
  <param name="T" value="count(x) = frob(1)"/>
</pattern>`
	files := map[string]string{
		"main.sch": `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><include href="a.sch"/><include href="b.sch"/></schema>`,
		"a.sch":    `<pattern xmlns="http://purl.oclc.org/dsdl/schematron" abstract="true" id="m"><rule context="$Ctx"><assert id="A" test="$T and true()">x</assert></rule></pattern>`,
		"b.sch":    binding,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := schematron.Compile("x", filepath.Join(dir, "main.sch"))
	if err == nil {
		t.Fatal("compiled")
	}
	want := where(filepath.Join(dir, "b.sch"), binding, "frob")
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%v, want it at %s", err, want)
	}
}

// A program is used by many goroutines at once.
func TestConcurrent(t *testing.T) {
	p, err := schematron.Compile("test-orders", "testdata/orders.sch")
	if err != nil {
		t.Fatal(err)
	}
	good, bad := parse(t, goodOrder), parse(t, badOrder)
	want := len(p.Validate(bad))
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if n := len(p.Validate(good)); n != 0 {
					errs <- fmt.Sprintf("good: %d findings", n)
				}
				if n := len(p.Validate(bad)); n != want {
					errs <- fmt.Sprintf("bad: %d findings, want %d", n, want)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
