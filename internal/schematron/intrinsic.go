package schematron

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"

	"github.com/ehf-project/ehf/internal/xpath"
)

// Some xsl:functions of the official rule files (u:gln, u:mod11) compute
// check digits with for loops over code points, which cost tens of
// microseconds a call when interpreted; u:slack runs on every invoice
// line. A function whose definition is exactly one of those the Go
// versions in package xpath were written and tested against
// (intrinsic_test.go) runs as Go; any other definition, as a new release
// may bring, runs as written.
//
// A definition is recognised by the SHA-256 of its canonical form (see
// canonicalFunction), which ignores layout but not a single token.
var knownFunctions = map[string]string{
	// u:gln: Peppol 2026.5 and the Peppol BIS transactions; billing
	// 3.0.19 (xsl:value-of); the EHF G3 files (substring($val, 1, $length)).
	"f1f62414aea1c4c809ab16d3ecfc5862812038a11ef6029b84a20d316fd2690a": "gln",
	"49bd369d79723d50f59d6b662129673c964802e2fa9f9f8f809713c59ab80e05": "gln",
	"dcfde64235fa47bfcf6979e8f15e2514d33775908acbfea49bca7d73912c1fcb": "gln",
	// u:mod11: Peppol 2026.5 and EHF G3; billing 3.0.19 (xsl:value-of).
	"0211e156ac29c47993fed99ea25298619a03ead04c873b482a6bb581490b45c8": "mod11",
	"1113035b89d8d1424c9079f131cf054af21ab2a995e7b52812ae06a99d990c58": "mod11",
	// u:slack: Peppol 2026.5 and EHF G3; billing 3.0.19 (xsl:value-of).
	"5068d474e4b16b6d043bf26a667986a201ebbcb62b416385fc4a93d34aca79df": "slack",
	"6f43b86e6784e316237c18c8f2d88815fd22c16ad966c8cbd6dc1bbd25308636": "slack",
}

// useIntrinsic attaches the Go version of f when its definition el is a
// known one.
func (p *Program) useIntrinsic(f *xpath.Function, module, body *xpath.Scope, el *element) {
	sum := sha256.Sum256([]byte(canonicalFunction(body, el)))
	hash := hex.EncodeToString(sum[:])
	name, ok := knownFunctions[hash]
	if !ok {
		return
	}
	if p.intrinsics {
		f.UseIntrinsic(name)
	}
	if p.known != nil {
		p.known = append(p.known, knownFunction{name, hash, f, module})
	}
}

// knownFunction is a recognised definition, kept for the tests that
// compare it with its Go version.
type knownFunction struct {
	intrinsic string
	hash      string
	f         *xpath.Function
	module    *xpath.Scope // where the rule file's expressions compile
}

// qnamePrefix finds the prefixes of QNames in attribute values and text
// (u:gln, xs:decimal), but not axes (ancestor::x).
var qnamePrefix = regexp.MustCompile(`(^|[^\w.:-])([A-Za-z_][\w.-]*):[A-Za-z_*]`)

// canonicalFunction writes el (an xsl:function) with expanded element
// names, attributes in order of name, runs of whitespace as one space, and
// the namespace URIs of the prefixes it uses, as resolved in scope.
func canonicalFunction(scope *xpath.Scope, el *element) string {
	var b strings.Builder
	var write func(e *element)
	write = func(e *element) {
		b.WriteString("<{" + e.name.Space + "}" + e.name.Local)
		attrs := append([]attribute(nil), e.attrs...)
		sort.Slice(attrs, func(i, j int) bool {
			if attrs[i].name.Space != attrs[j].name.Space {
				return attrs[i].name.Space < attrs[j].name.Space
			}
			return attrs[i].name.Local < attrs[j].name.Local
		})
		for _, a := range attrs {
			if a.name.Space == "xmlns" || a.name.Space == "" && a.name.Local == "xmlns" {
				continue
			}
			b.WriteString(" {" + a.name.Space + "}" + a.name.Local + "=\"" + strings.Join(strings.Fields(a.value), " ") + "\"")
		}
		b.WriteString(">")
		for _, c := range e.children {
			switch c := c.(type) {
			case string:
				if t := strings.Join(strings.Fields(c), " "); t != "" {
					b.WriteString("\"" + t + "\"")
				}
			case *element:
				write(c)
			}
		}
		b.WriteString("</>")
	}
	write(el)
	text := b.String()
	prefixes := map[string]bool{}
	for _, m := range qnamePrefix.FindAllStringSubmatch(text, -1) {
		prefixes[m[2]] = true
	}
	var ps []string
	for p := range prefixes {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	for _, p := range ps {
		uri, ok := scope.Namespace(p)
		if !ok {
			uri = "?"
		}
		text += "\n" + p + "=" + uri
	}
	return text
}
