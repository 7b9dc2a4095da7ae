// Package schemas knows the official artefacts ehf validates with, installs
// them, and picks the ones that apply to a document.
//
// The catalogue (Sets and Catalogue) lists every file: the OASIS UBL 2.1
// schemas, the Peppol BIS Billing rules (3.0.19 and the May 2026 release),
// the CEN EN 16931 UBL rules, the other Peppol BIS 3 transactions and the
// EHF G3 rules. Each file is pinned to a commit of its official repository
// and to the SHA-256 of its content there.
//
// An Installer puts sets in the install folder (Dir(Home(...))), checking
// every file against its hash, and replaces a set only once its new copy is
// complete. Installed and Verify report what is there.
//
// Select maps a document (its root element, CustomizationID and ProfileID,
// see Sniff) and a validation date to the XSD and the rule sets that apply,
// choosing the release in force on that date. The package does not run
// anything: schemas/xsd checks the XSD, and the validator runs the rules.
package schemas
