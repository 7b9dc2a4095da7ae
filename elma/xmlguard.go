package elma

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Limits for answers from SMPs, which are strangers on the internet. A real
// service metadata answer is a few kilobytes and nests about ten levels.
const (
	maxResponseBytes = 4 << 20
	maxXMLDepth      = 64
)

// guardXML refuses XML that a hostile SMP could use against us before any
// tree is built: document type declarations (entity expansion, external
// entities), excessive nesting, more than one root element, or text
// outside the root. It uses the same tokenizer as the tree reader so the
// two cannot disagree about the document's shape.
// It returns the name of the root element.
func guardXML(data []byte) (xml.Name, error) {
	var root xml.Name
	if len(data) > maxResponseBytes {
		return root, fmt.Errorf("answer is larger than %d bytes", maxResponseBytes)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			return root, fmt.Errorf("%d:%d: %v", line, col, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			line, col := dec.InputPos()
			return root, fmt.Errorf("%d:%d: document type declarations are not accepted", line, col)
		case xml.StartElement:
			if depth == 0 {
				root = t.Name
				roots++
				if roots > 1 {
					line, col := dec.InputPos()
					return root, fmt.Errorf("%d:%d: more than one root element", line, col)
				}
			}
			depth++
			if depth > maxXMLDepth {
				line, col := dec.InputPos()
				return root, fmt.Errorf("%d:%d: elements nest deeper than %d levels", line, col, maxXMLDepth)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				line, col := dec.InputPos()
				return root, fmt.Errorf("%d:%d: text outside the root element", line, col)
			}
		}
	}
	if roots == 0 {
		return root, errors.New("no root element")
	}
	if depth != 0 {
		return root, errors.New("unexpected end of document")
	}
	return root, nil
}
