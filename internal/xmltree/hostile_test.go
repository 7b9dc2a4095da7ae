package xmltree

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// Hostile inputs must be refused quickly with a positioned error.
func TestHostileInputs(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<lolz>&lol2;</lolz>`
	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`
	cases := []struct {
		name string
		in   func() io.Reader
		opts *Options
		want string
	}{
		{"billion laughs", func() io.Reader { return strings.NewReader(laughs) }, nil, "x.xml:2:1: DOCTYPE declarations are not accepted"},
		{"external entity", func() io.Reader { return strings.NewReader(xxe) }, nil, "x.xml:1:22: DOCTYPE declarations are not accepted"},
		{"entity without DTD", func() io.Reader { return strings.NewReader("<r>&x;</r>") }, nil, "x.xml:1:4: undefined entity &x;"},
		{"100,000 nested elements", func() io.Reader {
			return io.MultiReader(strings.NewReader(strings.Repeat("<a>", 100000)), strings.NewReader(strings.Repeat("</a>", 100000)))
		}, nil, "x.xml:1:769: elements are nested more than 256 deep"},
		{"1 GiB of one element", func() io.Reader {
			return io.MultiReader(strings.NewReader("<a>"), io.LimitReader(repeatReader('x'), 1<<30), strings.NewReader("</a>"))
		}, nil, "over the limit of 67108864 bytes"},
		{"many attributes", func() io.Reader {
			var b strings.Builder
			b.WriteString("<a")
			for i := range 10000 {
				b.WriteString(" a" + itoa(i) + "='1'")
			}
			b.WriteString("/>")
			return strings.NewReader(b.String())
		}, nil, "element <a> has more than 256 attributes"},
		{"invalid UTF-8", func() io.Reader { return bytes.NewReader([]byte("<a>\n\xc3\x28</a>")) }, nil, "x.xml:2:1: invalid UTF-8 byte 0xC3"},
		{"overlong UTF-8", func() io.Reader { return bytes.NewReader([]byte("<a>\xc0\xaf</a>")) }, nil, "x.xml:1:4: invalid UTF-8"},
		{"truncated in text", func() io.Reader { return strings.NewReader("<Invoice><ID>12") }, nil, "x.xml:1:16: the document ends before element <ID>"},
		{"truncated in name", func() io.Reader { return strings.NewReader("<Invoice><I") }, nil, "x.xml:1:10: the document ends inside the start tag of <I>"},
		{"truncated in comment", func() io.Reader { return strings.NewReader("<a><!-- x") }, nil, "x.xml:1:4: comment is not closed"},
		{"small size limit", func() io.Reader { return strings.NewReader("<a>0123456789</a>") }, &Options{MaxSize: 8}, "over the limit of 8 bytes"},
		{"small depth limit", func() io.Reader { return strings.NewReader("<a><b><c/></b></a>") }, &Options{MaxDepth: 2}, "x.xml:1:7: elements are nested more than 2 deep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Options{File: "x.xml"}
			if c.opts != nil {
				o = *c.opts
				o.File = "x.xml"
			}
			start := time.Now()
			d, err := ParseReader(c.in(), &o)
			if err == nil {
				t.Fatalf("accepted (%d nodes)", d.Len())
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v, want *SyntaxError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v to refuse", el)
			}
		})
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
