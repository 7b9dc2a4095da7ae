//go:build !cgo

package xsd

// Available reports whether the XSD layer is built in. This build has no
// cgo, hence no libxml2.
func Available() bool { return false }

// Schema is a compiled XML Schema. Without cgo none can be compiled.
type Schema struct{ path string }

// Compile always fails with ErrUnavailable in a build without cgo.
func Compile(path string) (*Schema, error) { return nil, ErrUnavailable }

// Path is the path the schema was compiled from.
func (s *Schema) Path() string { return s.path }

// Close does nothing in a build without cgo.
func (s *Schema) Close() {}

// Validate reports that the XSD layer is missing; it cannot be reached
// through Compile, but a zero Schema must not claim a document is valid.
func (s *Schema) Validate(doc []byte) []Error {
	return []Error{{Message: ErrUnavailable.Error(), MessageNB: "XSD-laget er ikke tilgjengelig (bygget uten cgo)"}}
}
