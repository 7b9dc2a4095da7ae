// Package xmltree reads XML into a compact, read-only tree in one pass.
//
// The tree is built for validators: nodes live in one flat slice in document
// order, each element knows where its subtree ends (so the descendant axis is
// a range scan), names are interned per document (so a name test is an
// integer compare), namespaces are resolved while reading, and text is kept
// as ranges of the input rather than copies. Every element, attribute and
// text node remembers its line and column.
//
// The reader is hardened for documents from strangers: it refuses DTDs and
// entity declarations outright, limits size, nesting depth and attribute
// count, checks that the input is well-formed UTF-8 (or ISO-8859-1 /
// US-ASCII when declared so), and reports every problem as a *SyntaxError
// with file, line and column. It never returns a partial tree.
//
// A Document is immutable once Parse returns and is safe for concurrent
// reads.
package xmltree
