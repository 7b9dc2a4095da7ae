// Package xsd checks documents against W3C XML Schemas with libxml2.
//
// It is the first layer of validation that the official Peppol and EHF
// validators apply: a document that breaks the UBL schema (elements out of
// order, a mandatory element missing, a date that is not a date) is refused
// before any business rule runs.
//
// This is the only package in ehf that links against libxml2. Built without
// cgo it still compiles, but Available reports false and Compile returns
// ErrUnavailable, so that the rest of ehf builds and runs with
// CGO_ENABLED=0 and can say that the XSD layer was skipped.
//
// A Schema is compiled once and is then safe for concurrent use: libxml2
// keeps all per-run state in a validation context, and each call to Validate
// makes its own. Compiling is serialised, because libxml2's schema parser is
// not safe to run on several threads at once. Schema imports are resolved
// from local files only; libxml2 is told never to touch the network, both
// while compiling and while reading documents.
package xsd
