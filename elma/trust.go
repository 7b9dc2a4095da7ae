package elma

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"time"
)

//go:generate go run ./internal/gencerts -src ../../shared/smp/trustedca -out peppolca.go

// Roles of the certificates in the generated table.
type caRole int

const (
	roleRoot caRole = iota
	roleSMP
	roleAP
)

// peppolCA is one entry of the generated table in peppolca.go.
type peppolCA struct {
	role       caRole
	generation string // "G2" (2018) or "G3" (2025)
	test       bool
	pem        string
}

// TrustStore holds the certificates that signed SMP answers and access
// point certificates are checked against: Peppol root CAs and the issuing
// CAs below them for SMPs and for access points. It is safe for concurrent
// use.
type TrustStore struct {
	roots  *x509.CertPool
	smpCAs []*x509.Certificate
	apCAs  []*x509.Certificate
	smpInt *x509.CertPool
	apInt  *x509.CertPool
}

// NewTrustStore builds a TrustStore. smpCAs are the CAs that issue SMP
// certificates, apCAs those that issue access point certificates; each
// must chain to one of roots.
func NewTrustStore(roots, smpCAs, apCAs []*x509.Certificate) (*TrustStore, error) {
	if len(roots) == 0 || len(smpCAs) == 0 {
		return nil, errors.New("elma: a trust store needs at least one root and one SMP CA")
	}
	t := &TrustStore{roots: x509.NewCertPool(), smpInt: x509.NewCertPool(), apInt: x509.NewCertPool()}
	for _, c := range roots {
		t.roots.AddCert(c)
	}
	for _, c := range smpCAs {
		t.smpInt.AddCert(c)
	}
	for _, c := range apCAs {
		t.apInt.AddCert(c)
	}
	t.smpCAs = append(t.smpCAs, smpCAs...)
	t.apCAs = append(t.apCAs, apCAs...)
	return t, nil
}

var (
	prodTrust, testTrust *TrustStore
	trustOnce            sync.Once
)

func loadTrust() {
	pick := func(test bool) *TrustStore {
		var roots, smp, ap []*x509.Certificate
		for _, e := range peppolCAs {
			if e.test != test {
				continue
			}
			b, _ := pem.Decode([]byte(e.pem))
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				panic("elma: bad generated certificate: " + err.Error())
			}
			switch e.role {
			case roleRoot:
				roots = append(roots, c)
			case roleSMP:
				smp = append(smp, c)
			case roleAP:
				ap = append(ap, c)
			}
		}
		t, err := NewTrustStore(roots, smp, ap)
		if err != nil {
			panic(err)
		}
		return t
	}
	prodTrust, testTrust = pick(false), pick(true)
}

// ProductionTrust returns the Peppol production PKI: the G2 (2018) and G3
// (2025) root CAs with their SMP and access point CAs. It is the default of
// the Client.
func ProductionTrust() *TrustStore {
	trustOnce.Do(loadTrust)
	return prodTrust
}

// TestTrust returns the Peppol test PKI (G2 and G3), for the Peppol test
// network.
func TestTrust() *TrustStore {
	trustOnce.Do(loadTrust)
	return testTrust
}

// SMPCAs returns the CAs this store accepts as issuers of SMP certificates.
func (t *TrustStore) SMPCAs() []*x509.Certificate {
	return append([]*x509.Certificate(nil), t.smpCAs...)
}

// VerifySMP checks that cert is valid at time at, chains to a trusted root
// through one of the SMP CAs, and is not on any of the revocation lists.
// The error is a *SignatureError with reason ErrCertificateExpired,
// ErrUntrustedCertificate or ErrCertificateRevoked.
func (t *TrustStore) VerifySMP(cert *x509.Certificate, at time.Time, crls []*x509.RevocationList) error {
	return t.verify(cert, at, crls, t.smpInt, t.smpCAs, "SMP")
}

// VerifyAccessPoint checks an access point certificate from an SMP
// endpoint the same way, against the access point CAs.
func (t *TrustStore) VerifyAccessPoint(cert *x509.Certificate, at time.Time, crls []*x509.RevocationList) error {
	return t.verify(cert, at, crls, t.apInt, t.apCAs, "access point")
}

func (t *TrustStore) verify(cert *x509.Certificate, at time.Time, crls []*x509.RevocationList, inter *x509.CertPool, issuers []*x509.Certificate, kind string) error {
	if at.Before(cert.NotBefore) || at.After(cert.NotAfter) {
		return sigErr(ErrCertificateExpired, cert, "%q is valid from %s to %s, checked at %s",
			cert.Subject.String(), cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	chains, err := cert.Verify(x509.VerifyOptions{
		Roots:         t.roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return sigErr(ErrCertificateExpired, cert, "a CA in the chain of %q is not valid at %s", cert.Subject.String(), at.UTC().Format(time.RFC3339))
		}
		return sigErr(ErrUntrustedCertificate, cert, "%q issued by %q: %v", cert.Subject.String(), cert.Issuer.String(), err)
	}
	var issuer *x509.Certificate
	for _, ch := range chains {
		if len(ch) < 2 {
			continue
		}
		for _, ca := range issuers {
			if ch[1].Equal(ca) {
				issuer = ch[1]
			}
		}
	}
	if issuer == nil {
		return sigErr(ErrUntrustedCertificate, cert, "%q is not issued by a %s CA", cert.Subject.String(), kind)
	}
	for _, crl := range crls {
		if crl == nil || !equalName(crl.RawIssuer, cert.RawIssuer) {
			continue
		}
		if err := crl.CheckSignatureFrom(issuer); err != nil {
			continue // a list not signed by this issuer says nothing about its certificates
		}
		for _, rc := range crl.RevokedCertificateEntries {
			if rc.SerialNumber != nil && rc.SerialNumber.Cmp(cert.SerialNumber) == 0 && !rc.RevocationTime.After(at) {
				return sigErr(ErrCertificateRevoked, cert, "%q (serial %s) revoked on %s", cert.Subject.String(),
					cert.SerialNumber.Text(16), rc.RevocationTime.UTC().Format(time.RFC3339))
			}
		}
	}
	return nil
}

func equalName(a, b []byte) bool { return string(a) == string(b) }

// describeCert is a one-line description of a certificate for messages.
func describeCert(c *x509.Certificate) string {
	if c == nil {
		return "<none>"
	}
	return fmt.Sprintf("%s (issuer %s, valid %s to %s)", c.Subject, c.Issuer,
		c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02"))
}
