// Package elma finds out how to reach a receiver in the Peppol network (in
// Norway: ELMA, the register of Peppol receivers, which is a Peppol SMP).
//
// A lookup has two steps. The SML, a DNS zone, says which SMP holds the
// participant: by default through the U-NAPTR record at
// base32(SHA-256(identifier)).scheme.zone whose "Meta:SMP" rewrite gives
// the SMP's URL, or through the legacy host name "B-" + hex(MD5(identifier))
// when asked. The SMP then answers over HTTP(S) with the document types the
// participant accepts and, per document type, signed service metadata: the
// access point's URL, transport profile, certificate and dates. Peppol SMP
// 1.x and OASIS BDXR SMP 2.0 answers are both read.
//
// Signed answers are only believed when
//   - the XML is plain (no DTD, bounded size and depth, one root);
//   - it carries exactly one XML signature, a child of the root, with one
//     Reference to the whole document (URI="") and only the enveloped and
//     canonicalization transforms, so that signature wrapping has nowhere to
//     hide;
//   - the algorithms are SHA-256 or better (SHA-1 only when allowed);
//   - the signing certificate chains to a Peppol SMP CA (not an access point
//     CA) in the TrustStore, is valid at the Client's clock and is on no
//     given revocation list;
//   - the signature verifies (github.com/russellhaering/goxmldsig), and the
//     answer is read from the canonical signed content the library returns,
//     never from the raw document;
//   - it is about the participant and document type that were asked for.
//
// goxmldsig on its own would accept a signature anywhere in the tree, an
// unverified second Reference, SHA-1, and any certificate equal to one in
// its store; the checks above close those gaps (see signature_test.go).
//
// Every failure wraps one sentinel error (ErrDNS, ErrNotRegistered,
// ErrSMPUnavailable, ErrNoSuchDocumentType, ErrSignature, ...), so that an
// SMP outage is never mistaken for "participant not found". Answers are
// cached for their DNS TTL or HTTP lifetime (negative ones briefly), never
// beyond the signing certificate's expiry, and concurrent lookups of the
// same thing share one fetch.
package elma
