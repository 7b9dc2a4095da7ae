package xmltree

import "fmt"

// SyntaxError is a document that cannot be read: not well-formed, too
// large, too deep, in an unsupported encoding, or using a forbidden feature
// such as a DTD. Line and Col are 1-based; Col counts characters, not bytes.
type SyntaxError struct {
	File string // as given in Options.File; may be empty
	Line int
	Col  int
	Msg  string
}

func (e *SyntaxError) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	return fmt.Sprintf("%s:%d:%d: %s", file, e.Line, e.Col, e.Msg)
}
