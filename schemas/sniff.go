package schemas

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

const cbcNS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

// Sniff reads just enough of a document to select its rules: the root
// element and its cbc:CustomizationID and cbc:ProfileID children, which UBL
// puts near the top. It stops reading as soon as it has them.
func Sniff(r io.Reader) (DocInfo, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = charsetReader
	var info DocInfo
	depth := 0
	var field *string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if info.Local == "" {
				return info, errors.New("no root element")
			}
			return info, nil
		}
		if err != nil {
			line, col := d.InputPos()
			if info.Local != "" {
				// The header was read; a later error is the validator's
				// business, not selection's.
				return info, nil
			}
			return info, fmt.Errorf("%d:%d: %w", line, col, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				info.Namespace, info.Local = t.Name.Space, t.Name.Local
			case depth == 2 && t.Name.Space == cbcNS && t.Name.Local == "CustomizationID":
				field = &info.CustomizationID
				text.Reset()
			case depth == 2 && t.Name.Space == cbcNS && t.Name.Local == "ProfileID":
				field = &info.ProfileID
				text.Reset()
			case depth == 2 && !headerElement(t.Name.Local):
				// Past the header: what was not there is not coming.
				return info, nil
			}
		case xml.CharData:
			if field != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 && field != nil {
				*field = strings.TrimSpace(text.String())
				field = nil
				if info.CustomizationID != "" && info.ProfileID != "" {
					return info, nil
				}
			}
			depth--
		}
	}
}

// headerElement reports whether an element may come before or between
// CustomizationID and ProfileID in a UBL document.
func headerElement(local string) bool {
	switch local {
	case "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID":
		return true
	}
	return false
}

// charsetReader lets Sniff read the declared encodings a Norwegian sender
// might still use; UTF-8 is what Peppol requires.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		var out bytes.Buffer
		out.Grow(len(b))
		for _, c := range b {
			out.WriteRune(rune(c))
		}
		return &out, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", charset)
}
