package xpath

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTableAgainstSaxon checks the expectations of evalCases against
// Saxon-HE, the engine the official validators use, when EHF_SAXON is set
// (CI has no Java). It runs every expression in one XQuery, with the test
// document as context, and formats results as format does.
func TestTableAgainstSaxon(t *testing.T) {
	if os.Getenv("EHF_SAXON") == "" {
		t.Skip("set EHF_SAXON=1 to check the expectations against Saxon-HE (needs Java)")
	}
	jar := "/usr/share/java/Saxon-HE.jar"
	if _, err := os.Stat(jar); err != nil {
		t.Skip("Saxon-HE is not installed")
	}
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(doc, []byte(testDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	var q strings.Builder
	for p, u := range testNS {
		fmt.Fprintf(&q, "declare namespace %s = %q;\n", p, u)
	}
	q.WriteString(`declare function local:t($x) { typeswitch ($x)
  case attribute() return 'attr' case node() return 'node'
  case xs:integer return 'integer' case xs:decimal return 'decimal' case xs:double return 'double'
  case xs:boolean return 'boolean' case xs:date return 'date' case xs:untypedAtomic return 'untyped'
  case xs:string return 'string' case xs:anyURI return 'string' default return 'other' };
declare function local:f($s) { string-join(for $x in $s return concat(local:t($x), ':', string($x)), ' | ') };
declare variable $doc := doc('` + doc + `');
`)
	q.WriteString("string-join((\n")
	for i, tc := range evalCases {
		if i > 0 {
			q.WriteString(",\n")
		}
		fmt.Fprintf(&q, "(try { $doc/local:f(%s) } catch * { concat('error:', local-name-from-QName($err:code)) })", tc.expr)
	}
	q.WriteString("), '¶')\n")
	qf := filepath.Join(dir, "q.xq")
	if err := os.WriteFile(qf, []byte(q.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("java", "-cp", jar, "net.sf.saxon.Query", "-q:"+qf, "!method=text")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("saxon: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "¶")
	if len(lines) != len(evalCases) {
		t.Fatalf("saxon gave %d results for %d expressions:\n%s", len(lines), len(evalCases), out)
	}
	for i, tc := range evalCases {
		want := strings.Replace(tc.want, "static:", "error:", 1)
		if strings.TrimSpace(lines[i]) != want {
			t.Errorf("%s\n saxon %s\n table %s", tc.expr, lines[i], tc.want)
		}
	}
}
