package xsd

import (
	"errors"
	"fmt"
)

// ErrUnavailable is returned by Compile when ehf was built without cgo, so
// that there is no libxml2 to check documents with.
var ErrUnavailable = errors.New("XSD layer not available (built without cgo)")

// Error is one schema violation (or one reason the document could not be
// read as XML at all), at the position of the element it concerns.
//
// Line and Column are 1-based; Column counts characters, not bytes. Either
// is 0 when libxml2 gave no position.
type Error struct {
	Line    int
	Column  int
	Message string // in English, in our words, with UBL prefixes (cbc:ID)
	// MessageNB says the same in Norwegian bokmål.
	MessageNB string
}

// String formats the error as "line:col: message".
func (e Error) String() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("%d: %s", e.Line, e.Message)
	}
	return e.Message
}
