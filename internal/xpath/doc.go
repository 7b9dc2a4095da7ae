// Package xpath compiles and evaluates the subset of XPath 2.0 that the
// official Peppol, CEN and EHF Schematron rule files use, over an
// xmltree.Document.
//
// The subset is the grammar of XPath 2.0 (paths with every forward and
// reverse axis, predicates, for/some/every/if, XPath 3 let, general, value
// and node comparisons, arithmetic, ranges, unions, casts and the
// instance-of family) and a fixed library of functions. Anything else is a
// compile error with its position: an unknown function or a construct
// outside the subset never passes silently.
//
// Values follow the XPath 2.0 type rules where the rule files depend on
// them: text from the document is xs:untypedAtomic, so it becomes xs:double
// in arithmetic and in comparisons with numbers, while xs:decimal values
// (from xs:decimal(), decimal literals and sums of decimals) are exact. A
// dynamic error (a cast of "1,5" to xs:decimal, two values where one is
// allowed) is returned as an *Error; it never panics.
//
// A Compiler holds everything one rule program shares: interned names,
// global variables, user functions (xsl:function) and keys (xsl:key). It is
// immutable once compiling is done, and Context values evaluate its
// expressions against one document at a time.
package xpath
