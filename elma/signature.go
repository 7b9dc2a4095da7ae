package elma

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Algorithm identifiers accepted in SMP signatures.
const (
	algEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	algExcC14N   = "http://www.w3.org/2001/10/xml-exc-c14n#"
	algC14N10    = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	algC14N11    = "http://www.w3.org/2006/12/xml-c14n11"

	algDigestSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	algDigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	algDigestSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	algDigestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

	algRSASHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	algRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algRSASHA384   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	algRSASHA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	algECDSASHA1   = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
	algECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	algECDSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	algECDSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
)

var (
	c14nAlgorithms = map[string]bool{algExcC14N: true, algC14N10: true, algC14N11: true}
	// SHA-1 entries are true only when the caller allows SHA-1.
	digestAlgorithms    = map[string]bool{algDigestSHA1: false, algDigestSHA256: true, algDigestSHA384: true, algDigestSHA512: true}
	signatureAlgorithms = map[string]bool{
		algRSASHA1: false, algRSASHA256: true, algRSASHA384: true, algRSASHA512: true,
		algECDSASHA1: false, algECDSASHA256: true, algECDSASHA384: true, algECDSASHA512: true,
	}
)

// SignatureInfo describes the verified signature of an SMP answer.
type SignatureInfo struct {
	// Certificate is the SMP's signing certificate.
	Certificate *x509.Certificate
	// SignatureMethod, DigestMethod and Canonicalization are the algorithm
	// URIs the signature uses.
	SignatureMethod  string
	DigestMethod     string
	Canonicalization string
	// VerifiedAt is the time the certificate was checked against.
	VerifiedAt time.Time
}

// verifyOptions is what signature verification needs from the Client.
type verifyOptions struct {
	trust     *TrustStore
	now       time.Time
	allowSHA1 bool
	crls      []*x509.RevocationList
}

// verifyEnveloped checks that data is one XML document whose root element
// carries exactly one enveloped signature covering the whole document,
// made with allowed algorithms by a certificate that chains to a trusted
// SMP CA, and returns the signed content as verified (signature removed).
// Callers must read the answer only from the returned element: anything in
// data outside the signed content is ignored.
func verifyEnveloped(data []byte, o verifyOptions) (*etree.Element, *SignatureInfo, error) {
	if _, err := guardXML(data); err != nil {
		return nil, nil, wrap(ErrSMPResponse, err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, nil, wrap(ErrSMPResponse, err)
	}
	root := doc.Root()
	if root == nil {
		return nil, nil, wrapf(ErrSMPResponse, "no root element")
	}

	// Exactly one Signature in the whole document, directly under the root:
	// a second one (wrapped inside the content or elsewhere) is how
	// signature wrapping attacks start.
	var sigs []*etree.Element
	walk(root, func(e *etree.Element) {
		if e.Tag == "Signature" && e.NamespaceURI() == dsig.Namespace {
			sigs = append(sigs, e)
		}
	})
	switch {
	case len(sigs) == 0:
		return nil, nil, sigErr(ErrSignatureMissing, nil, "no ds:Signature element")
	case len(sigs) > 1:
		return nil, nil, sigErr(ErrSignatureStructure, nil, "%d ds:Signature elements, want exactly one", len(sigs))
	case sigs[0].Parent() != root:
		return nil, nil, sigErr(ErrSignatureStructure, nil, "the ds:Signature is not a child of the root element")
	}
	sig := sigs[0]
	info := &SignatureInfo{VerifiedAt: o.now}

	signedInfo, err := onlyChild(sig, "SignedInfo")
	if err != nil {
		return nil, nil, err
	}
	if _, err := onlyChild(sig, "SignatureValue"); err != nil {
		return nil, nil, err
	}
	c14n, err := onlyChild(signedInfo, "CanonicalizationMethod")
	if err != nil {
		return nil, nil, err
	}
	info.Canonicalization = c14n.SelectAttrValue("Algorithm", "")
	if !c14nAlgorithms[info.Canonicalization] {
		return nil, nil, sigErr(ErrWeakAlgorithm, nil, "canonicalization %q", info.Canonicalization)
	}
	sm, err := onlyChild(signedInfo, "SignatureMethod")
	if err != nil {
		return nil, nil, err
	}
	info.SignatureMethod = sm.SelectAttrValue("Algorithm", "")
	if ok, known := signatureAlgorithms[info.SignatureMethod]; !known || (!ok && !o.allowSHA1) {
		return nil, nil, sigErr(ErrWeakAlgorithm, nil, "signature method %q", info.SignatureMethod)
	}

	// One Reference, to the whole document, with only the enveloped
	// transform and canonicalization.
	ref, err := onlyChild(signedInfo, "Reference")
	if err != nil {
		return nil, nil, err
	}
	if uri := ref.SelectAttr("URI"); uri == nil || uri.Value != "" {
		return nil, nil, sigErr(ErrSignatureStructure, nil, "the Reference must have URI=\"\" (the whole document)")
	}
	enveloped := false
	var transforms []*etree.Element
	for _, c := range ref.ChildElements() {
		if c.Tag == "Transforms" && c.NamespaceURI() == dsig.Namespace {
			transforms = append(transforms, c)
		}
	}
	if len(transforms) > 1 {
		return nil, nil, sigErr(ErrSignatureStructure, nil, "%d ds:Transforms in the Reference", len(transforms))
	}
	for _, tr := range transforms {
		for _, t := range tr.ChildElements() {
			alg := t.SelectAttrValue("Algorithm", "")
			switch {
			case t.Tag != "Transform" || t.NamespaceURI() != dsig.Namespace:
				return nil, nil, sigErr(ErrSignatureStructure, nil, "unexpected %s in Transforms", t.Tag)
			case alg == algEnveloped:
				enveloped = true
			case c14nAlgorithms[alg]:
			default:
				return nil, nil, sigErr(ErrSignatureStructure, nil, "transform %q is not allowed", alg)
			}
		}
	}
	if !enveloped {
		return nil, nil, sigErr(ErrSignatureStructure, nil, "the Reference lacks the enveloped-signature transform")
	}
	dm, err := onlyChild(ref, "DigestMethod")
	if err != nil {
		return nil, nil, err
	}
	info.DigestMethod = dm.SelectAttrValue("Algorithm", "")
	if ok, known := digestAlgorithms[info.DigestMethod]; !known || (!ok && !o.allowSHA1) {
		return nil, nil, sigErr(ErrWeakAlgorithm, nil, "digest method %q", info.DigestMethod)
	}

	cert, err := signingCertificate(sig)
	if err != nil {
		return nil, nil, err
	}
	info.Certificate = cert
	if err := o.trust.VerifySMP(cert, o.now, o.crls); err != nil {
		return nil, nil, err
	}

	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{cert}})
	ctx.Clock = dsig.NewFakeClockAt(o.now)
	verified, err := ctx.Validate(root)
	if err != nil {
		return nil, nil, classifyDsigError(err, cert)
	}
	return verified, info, nil
}

// classifyDsigError maps goxmldsig's errors to reasons. The library returns
// plain errors; the pinned version's messages are tested in
// signature_test.go.
func classifyDsigError(err error, cert *x509.Certificate) error {
	msg := err.Error()
	switch {
	case errors.Is(err, rsa.ErrVerification), strings.Contains(msg, "verification failure"):
		return sigErr(ErrSignatureValue, cert, "%v", err)
	case msg == "Signature could not be verified":
		return sigErr(ErrDigestMismatch, cert, "the digest of the document differs from the signed DigestValue")
	case errors.Is(err, dsig.ErrMissingSignature):
		return sigErr(ErrSignatureStructure, cert, "%v", err)
	case strings.Contains(msg, "not valid at this time"):
		return sigErr(ErrCertificateExpired, cert, "%v", err)
	}
	return sigErr(ErrSignatureStructure, cert, "%v", err)
}

// signingCertificate reads the first X509Certificate of the only
// KeyInfo/X509Data, the one the signature library also uses.
func signingCertificate(sig *etree.Element) (*x509.Certificate, error) {
	ki, err := onlyChild(sig, "KeyInfo")
	if err != nil {
		return nil, err
	}
	xd, err := onlyChild(ki, "X509Data")
	if err != nil {
		return nil, err
	}
	var certEl *etree.Element
	for _, c := range xd.ChildElements() {
		if c.Tag == "X509Certificate" && c.NamespaceURI() == dsig.Namespace {
			certEl = c
			break
		}
	}
	if certEl == nil {
		return nil, sigErr(ErrUntrustedCertificate, nil, "no X509Certificate in KeyInfo")
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(certEl.Text()), ""))
	if err != nil {
		return nil, sigErr(ErrUntrustedCertificate, nil, "X509Certificate is not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, sigErr(ErrUntrustedCertificate, nil, "X509Certificate cannot be read: %v", err)
	}
	return cert, nil
}

// onlyChild returns the single child element of parent with the given
// local name in the XML-DSig namespace; zero or several are a structure
// error.
func onlyChild(parent *etree.Element, tag string) (*etree.Element, error) {
	var found *etree.Element
	n := 0
	for _, c := range parent.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == dsig.Namespace {
			found = c
			n++
		}
	}
	if n != 1 {
		return nil, sigErr(ErrSignatureStructure, nil, "%d ds:%s in ds:%s, want exactly one", n, tag, parent.Tag)
	}
	return found, nil
}

// walk calls f for e and every element below it, in document order.
func walk(e *etree.Element, f func(*etree.Element)) {
	f(e)
	for _, c := range e.ChildElements() {
		walk(c, f)
	}
}

// elementBytes serializes a detached element as a document.
func elementBytes(e *etree.Element) ([]byte, error) {
	doc := etree.NewDocument()
	doc.SetRoot(e)
	return doc.WriteToBytes()
}
