package server

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/ehf-project/ehf/elma"
)

// elmaResolver answers /v1/lookup with an elma Client: the SML by DNS,
// then the participant's SMP, with the signature checked against the
// Peppol PKI and answers cached by the client.
type elmaResolver struct {
	c   *elma.Client
	now func() time.Time
}

// ElmaResolver makes c the Resolver of /v1/lookup.
func ElmaResolver(c *elma.Client) Resolver { return &elmaResolver{c: c, now: time.Now} }

// Resolve looks q up and sorts elma's errors into the two the server
// tells apart: "cannot receive" is an answer (404), anything else means
// nobody knows (502).
func (r *elmaResolver) Resolve(ctx context.Context, q LookupQuery) (*LookupAnswer, error) {
	m, err := r.c.ServiceMetadata(ctx, q.Participant, q.DocumentType)
	if err != nil {
		return nil, classify(err)
	}
	e, err := m.Endpoint(q.Process, q.Transport, r.now())
	if err != nil {
		return nil, classify(err)
	}
	return answerFrom(q, m, e), nil
}

func classify(err error) error {
	for _, no := range []error{elma.ErrNotRegistered, elma.ErrUnknownAtSMP, elma.ErrNoSuchDocumentType, elma.ErrNoEndpoint} {
		if errors.Is(err, no) {
			return fmt.Errorf("%w: %w", ErrNoReceiver, err)
		}
	}
	return fmt.Errorf("%w: %w", ErrUpstream, err)
}

func answerFrom(q LookupQuery, m *elma.ServiceMetadata, e *elma.Endpoint) *LookupAnswer {
	a := &LookupAnswer{
		Participant:      q.Participant.String(),
		DocumentType:     q.DocumentType.String(),
		Process:          q.Process.String(),
		TransportProfile: e.TransportProfile,
		EndpointURL:      e.URL,
		SMPURL:           m.URL,
	}
	if c := e.Certificate; c != nil {
		a.Certificate = certInfo(c)
	}
	return a
}

func certInfo(c *x509.Certificate) *CertInfo {
	return &CertInfo{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
		PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})),
	}
}
