package xmltree

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// asciiRunRef is asciiRun one byte at a time: the yardstick.
func asciiRunRef(b []byte) (int, bool) {
	cr := false
	for i, c := range b {
		switch {
		case c == '\r':
			cr = true
		case c == '\t' || c == '\n' || (c >= ' ' && c < 0x80):
		default:
			return i, cr
		}
	}
	return len(b), cr
}

// Every byte value at every position of runs of every length up to three
// 32-byte blocks and a tail, alone and after a carriage return or a line
// feed elsewhere (which asciiRun reads again byte by byte and passes).
func TestAsciiRun(t *testing.T) {
	const plain = "JVBERi0xLjQKJcfsj6IK NSAwIG9iago8PC9MZW5n~dGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+"
	base := []byte(strings.Repeat(plain, 2))[:100]
	check := func(b []byte) {
		t.Helper()
		n, cr := asciiRun(b)
		wn, wcr := asciiRunRef(b)
		if n != wn || cr != wcr {
			t.Fatalf("asciiRun(%q) = %d, %v; want %d, %v", b, n, cr, wn, wcr)
		}
	}
	buf := make([]byte, 100)
	for size := 0; size <= len(base); size++ {
		for pos := range size {
			for c := range 256 {
				for _, other := range []int{-1, (pos + 37) % size, (pos + 5) % size} {
					b := buf[:size]
					copy(b, base)
					if other >= 0 {
						b[other] = "\r\n"[other%2]
					}
					b[pos] = byte(c)
					check(b)
				}
			}
		}
		check(base[:size])
	}
}

// A long text is read by textLong after text has read 128 plain bytes.
// Each special character and sequence, at every position around its 32-byte
// blocks and chunk boundaries, must give the same text or the same error
// as textSlow, which reads a text that starts with a reference character
// by character from its start.
func TestLongTextAgreesWithSlow(t *testing.T) {
	specials := []string{
		"&amp;", "&#x41;", "&#65;", "&lt;", "&bad;", "&", "&#0;", "&#xD800;",
		"\r", "\r\n", "\n\r", "\t", "\n", " ",
		"]", "]]", "]]>", "]>", "] ]>",
		"\x00", "\x01", "\x0b", "\x1f", "\x7f",
		"é", "€", "😀", "\xff", "\x80", "\xc3", "\xe2\x82", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"<", "</a>", "<b/>",
	}
	bodies := map[string]string{
		"base64": "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+",
		"prose":  "Lorem ipsum dolor sit amet, consectetur; adipiscing elit (sed do) eiusmod tempor.",
		"lines":  "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\n",
	}
	// Chunks start at 128 (64 bytes), 192 (128), 320, 576, 1088, ...,
	// 8256 (8 KiB), 16448. Every special is tried at every position up to
	// the fifth chunk; a few are tried around the later chunk boundaries.
	var positions, edges []int
	for p := 96; p < 620; p++ {
		positions = append(positions, p)
	}
	for _, edge := range []int{1088, 2112, 4160, 8256, 16448} {
		for p := edge - 40; p < edge+40; p++ {
			edges = append(edges, p)
		}
	}
	few := map[string]bool{"&amp;": true, "\r": true, "]]>": true, "\x01": true, "é": true, "\xff": true, "<b/>": true}
	for name, body := range bodies {
		text := []byte(strings.Repeat(body, 17000/len(body)+1))[:17000]
		for _, sp := range specials {
			at := positions
			if few[sp] {
				at = append(at[:len(at):len(at)], edges...)
			}
			for _, pos := range at {
				size := min(len(text), pos+40)
				compareLongText(t, fmt.Sprintf("%s %q at %d of %d", name, sp, pos, size), text[:pos], sp, text[pos:size])
			}
		}
		// Two specials, the second at every distance from the first: the
		// chunks start small again after each.
		for _, sp := range []string{"&amp;", "é", "]"} {
			for gap := 0; gap < 300; gap++ {
				pos := 700
				rest := append(append([]byte{}, text[pos:pos+gap]...), "\x01"...)
				compareLongText(t, fmt.Sprintf("%s %q at %d, control %d after", name, sp, pos, gap), text[:pos], sp, append(rest, text[pos+gap:pos+gap+200]...))
			}
		}
	}
}

// compareLongText reads <a>AAAAA{before}{special}{after}</a>, which text
// hands to textLong, and <a>&#65;{...}</a>, which textSlow reads whole.
// Both have the same columns, so errors must be the same.
func compareLongText(t *testing.T, what string, before []byte, special string, after []byte) {
	t.Helper()
	var body []byte
	body = append(body, before...)
	body = append(body, special...)
	body = append(body, after...)
	fast := append(append([]byte("<a>AAAAA"), body...), "</a>"...)
	slow := append(append([]byte("<a>&#65;"), body...), "</a>"...)
	for _, detailed := range []bool{false, true} {
		df, errf := parseWith(fast, nil, detailed)
		ds, errs := parseWith(slow, nil, false)
		if (errf == nil) != (errs == nil) {
			t.Fatalf("%s (detailed %v): textLong says %v, textSlow says %v", what, detailed, errf, errs)
		}
		if errf != nil {
			if errf.Error() != errs.Error() {
				t.Fatalf("%s (detailed %v): textLong says %v, textSlow says %v", what, detailed, errf, errs)
			}
			continue
		}
		if got, want := df.Text(df.Root()), "AAAA"+ds.Text(ds.Root()); got != want {
			t.Fatalf("%s (detailed %v): text %q, want %q", what, detailed, got, want)
		}
		if df.Len() != ds.Len() {
			t.Fatalf("%s (detailed %v): %d nodes, want %d", what, detailed, df.Len(), ds.Len())
		}
		if !strings.Contains(special, "<") {
			continue
		}
		if got, want := describeTree(df), strings.Replace(describeTree(ds), `"A`, `"AAAAA`, 1); got != want {
			t.Fatalf("%s (detailed %v): trees differ:\n%s", what, detailed, firstDiff(got, want))
		}
	}
}

// In a large document the longest text's end is known before it is read:
// texts that end exactly there, or earlier at another '<', read the same.
func TestLongTextGap(t *testing.T) {
	b64 := bytes.Repeat([]byte("QUJD"), 30000)
	for _, c := range []struct{ name, doc string }{
		{"one", "<r><x>" + string(b64) + "</x></r>"},
		{"two", "<r><x>" + string(b64) + "</x><y>" + string(b64[:70000]) + "&amp;</y></r>"},
		{"cdata", "<r><x>" + string(b64[:1000]) + "<![CDATA[" + string(b64) + "]]>" + string(b64) + "</x></r>"},
	} {
		got, err := Parse([]byte(c.doc), nil)
		g, gerr := genericTree([]byte(c.doc))
		if (err == nil) != (gerr == nil) {
			t.Fatalf("%s: xmltree says %v, encoding/xml says %v", c.name, err, gerr)
		}
		if err != nil {
			continue
		}
		if a, b := describeTree(got), describeGeneric(g); a != b {
			t.Fatalf("%s: trees differ:\n%s", c.name, firstDiff(a, b))
		}
	}
	if _, err := Parse(append([]byte("<r/>"), b64...), nil); err == nil || !strings.Contains(err.Error(), "1:5: text after the root") {
		t.Fatalf("text after the root: %v", err)
	}
}

// Indentation is skipped eight spaces at a time after a line feed: runs of
// every length up to three words, ending at a tag, at text, at a tab or at
// the end of the element's only content, read as encoding/xml reads them.
func TestIndentation(t *testing.T) {
	for n := 0; n <= 26; n++ {
		for _, tail := range []string{"<c/>", "x<c/>", "\tx", "\t", "", "&amp;", "\r\n "} {
			doc := "<a><b>\n" + strings.Repeat(" ", n) + tail + "</b>\n" + strings.Repeat(" ", n) + "<d>\n" + strings.Repeat(" ", n) + "</d></a>"
			d, err := Parse([]byte(doc), nil)
			if err != nil {
				t.Fatalf("%q: %v", doc, err)
			}
			g, err := genericTree([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := describeTree(d), describeGeneric(g); got != want {
				t.Fatalf("%q: trees differ:\n%s", doc, firstDiff(got, want))
			}
		}
	}
}

// decodeText, which copies runs, gives what a byte at a time gives, for
// every sequence of up to five pieces from a set of references, line ends
// and plain text.
func TestDecodeText(t *testing.T) {
	pieces := []string{"a", "bcdefghij", "&amp;", "&#65;", "\r", "\n", "\r\n", "é", "\r\r"}
	ref := func(s string) string {
		s = strings.NewReplacer("&amp;", "&", "&#65;", "A").Replace(s)
		return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		src := []byte("xx" + s + "yy")
		p := &parser{src: src}
		got, err := p.decodeText([]byte("pre"), 2, 2+len(s))
		if err != nil || string(got) != "pre"+ref(s) {
			t.Fatalf("decodeText(%q) = %q, %v; want %q", s, got, err, "pre"+ref(s))
		}
		if depth == 5 {
			return
		}
		for _, c := range pieces {
			walk(s+c, depth+1)
		}
	}
	walk("", 0)
}
