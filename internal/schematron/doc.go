// Package schematron compiles ISO Schematron rule files (XPath 2 query
// binding), as OpenPeppol, CEN and the Norwegian Digitalisation Agency
// publish them, and validates documents with them.
//
// It reads what the official files use: patterns and rules (the first
// rule of a pattern that matches a node fires), assert and report with
// flag and id, let at schema, pattern and rule level, ns, value-of and name
// in messages, phases (the default phase), include, abstract patterns with
// param, abstract rules with extends, and the xsl:function and xsl:key
// definitions that the Peppol and EHF files embed. Expressions are
// compiled by package xpath once; a Program then validates any number of
// documents, concurrently, walking each document's tree once.
//
// Findings carry the assert's ID and flag, the location of the rule's
// context node as an XPath with UBL prefixes, and the message from the
// rule file. Where the reference engine (Saxon) stops a whole document on a
// dynamic error, such as xs:decimal("1,5"), this engine reports a fatal
// finding for that one assert and runs the others.
package schematron
