package ehf

import (
	"fmt"
	"io"
	"os"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// NSSBDH is the namespace of the Standard Business Document Header that
// wraps documents in the Peppol network.
const NSSBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"

// ParseOptions limit what Parse accepts. The zero value means the
// defaults: 64 MiB, 256 levels of nesting, 256 attributes per element.
type ParseOptions struct {
	Name     string // names the input in messages (a file name, "-" for standard input)
	MaxSize  int64
	MaxDepth int
	MaxAttrs int
}

func (o *ParseOptions) tree() *xmltree.Options {
	if o == nil {
		return nil
	}
	return &xmltree.Options{File: o.Name, MaxSize: o.MaxSize, MaxDepth: o.MaxDepth, MaxAttrs: o.MaxAttrs}
}

func (o *ParseOptions) name() string {
	if o == nil {
		return ""
	}
	return o.Name
}

// Document is a parsed document: its type, its tree and, for invoices and
// credit notes, the EN 16931 model.
type Document struct {
	Name string // as given in ParseOptions
	Type Type
	// Wrapped is true when the document came in an SBDH envelope; the
	// payload is what Type, Invoice and the findings describe, with
	// positions in the whole file.
	Wrapped bool
	// Invoice is the model of an invoice or credit note; nil otherwise.
	Invoice *Invoice

	tree     *xmltree.Document // the payload as its own document
	findings []Finding         // values the model reader could not read
}

// Parse reads a document. data must not be changed afterwards: the
// document refers into it. A *SyntaxError says where the XML is broken.
func Parse(data []byte, opts *ParseOptions) (*Document, error) {
	t, err := xmltree.Parse(data, opts.tree())
	if err != nil {
		return nil, err
	}
	return build(t, opts.name())
}

// ParseReader reads a document from r, refusing it as soon as it passes
// the size limit.
func ParseReader(r io.Reader, opts *ParseOptions) (*Document, error) {
	t, err := xmltree.ParseReader(r, opts.tree())
	if err != nil {
		return nil, err
	}
	return build(t, opts.name())
}

// ParseFile reads the document in a file.
func ParseFile(path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseReader(f, &ParseOptions{Name: path})
}

func build(t *xmltree.Document, name string) (*Document, error) {
	doc := &Document{Name: name, tree: t}
	root := t.Root()
	if t.Name(root) == (xmltree.Name{Space: NSSBDH, Local: "StandardBusinessDocument"}) {
		payload := xmltree.None
		for c := range t.Children(root) {
			if t.Kind(c) == xmltree.ElementNode && t.Name(c).Space != NSSBDH {
				payload = c
				break
			}
		}
		if payload == xmltree.None {
			line, col := t.Pos(root)
			return nil, &SyntaxError{File: name, Line: line, Col: col, Msg: "the SBDH envelope holds no document: put the invoice after the StandardBusinessDocumentHeader"}
		}
		doc.Wrapped = true
		doc.tree = t.Subtree(payload)
	}
	root = doc.tree.Root()
	doc.Type = detect(doc.tree, root)
	if doc.Type.Invoice() {
		doc.Invoice, doc.findings = invoice.Read(doc.tree, root)
	}
	return doc, nil
}

// String describes the document for messages.
func (d *Document) String() string {
	s := d.Type.Name
	if d.Wrapped {
		s += " (in an SBDH envelope)"
	}
	if d.Name != "" {
		s = fmt.Sprintf("%s: %s", d.Name, s)
	}
	return s
}
