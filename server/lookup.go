package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// Resolver finds how a Peppol participant receives a document type: the
// SML and SMP lookup. The elma package provides the real one; tests use
// fakes.
type Resolver interface {
	Resolve(ctx context.Context, q LookupQuery) (*LookupAnswer, error)
}

// Errors a Resolver wraps so that the server can choose the status code.
var (
	// ErrNoReceiver: the participant is not registered, or does not take
	// the document type in the process over the transport (404).
	ErrNoReceiver = errors.New("the participant cannot receive this document")
	// ErrUpstream: the SML or SMP could not be asked or gave an answer that
	// cannot be trusted (502); whether the participant can receive is
	// unknown.
	ErrUpstream = errors.New("the Peppol directory could not be asked")
)

// LookupQuery is what /v1/lookup is asked.
type LookupQuery struct {
	Participant  peppol.ParticipantID
	DocumentType peppol.DocumentTypeID
	Process      peppol.ProcessID
	// Transport is the transport profile wanted, e.g.
	// peppol-transport-as4-v2_0.
	Transport string
}

// LookupAnswer is where to send the document.
type LookupAnswer struct {
	Participant      string    `json:"participant"`
	DocumentType     string    `json:"document_type"`
	Process          string    `json:"process"`
	TransportProfile string    `json:"transport_profile"`
	EndpointURL      string    `json:"endpoint_url"`
	SMPURL           string    `json:"smp_url,omitempty"`
	Certificate      *CertInfo `json:"certificate,omitempty"`
}

// CertInfo describes an access point's certificate.
type CertInfo struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// PEM is the certificate, to encrypt to and check receipts with.
	PEM string `json:"pem"`
}

// lookupRequest is the JSON body of /v1/lookup.
type lookupRequest struct {
	Participant  string `json:"participant"`
	DocumentType string `json:"document_type"`
	Process      string `json:"process"`
	Transport    string `json:"transport"`
}

// DefaultTransport is the transport profile asked for when the request
// names none: Peppol AS4.
const DefaultTransport = "peppol-transport-as4-v2_0"

const maxLookupBody = 16 << 10

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	if s.cfg.Resolver == nil {
		s.fail(w, r, rc, http.StatusNotImplemented, "receiver lookup is not configured on this server", nil)
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		s.fail(w, r, rc, http.StatusUnsupportedMediaType, "send the lookup as application/json", nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLookupBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, rc, http.StatusRequestEntityTooLarge, "a lookup request is at most 16 KiB", nil)
			return
		}
		s.fail(w, r, rc, http.StatusBadRequest, "the request body could not be read", nil)
		return
	}
	var req lookupRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.fail(w, r, rc, http.StatusBadRequest, "the body is not a lookup request: "+err.Error(), nil)
		return
	}
	q, msg := req.query()
	if msg != "" {
		s.fail(w, r, rc, http.StatusBadRequest, msg, nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.LookupTimeout)
	defer cancel()
	ans, err := s.cfg.Resolver.Resolve(ctx, q)
	switch {
	case err == nil && ans != nil:
		writeJSON(w, http.StatusOK, ans)
	case errors.Is(err, ErrNoReceiver):
		s.fail(w, r, rc, http.StatusNotFound, err.Error(), nil)
	case ctx.Err() != nil && r.Context().Err() == nil:
		// our deadline, however the resolver put it
		s.fail(w, r, rc, http.StatusGatewayTimeout, "the lookup took longer than "+s.cfg.LookupTimeout.String(), nil)
	default:
		msg := "the lookup gave no answer"
		if err != nil {
			msg = err.Error()
		}
		s.fail(w, r, rc, http.StatusBadGateway, msg, nil)
	}
}

// query checks the request and fills in the defaults: the BIS Billing 3.0
// invoice, its process, and AS4.
func (req *lookupRequest) query() (LookupQuery, string) {
	var q LookupQuery
	var err error
	if strings.TrimSpace(req.Participant) == "" {
		return q, `name the receiver in "participant", e.g. "0192:987654321"`
	}
	if q.Participant, err = peppol.ParseParticipantID(req.Participant); err != nil {
		return q, "participant: " + err.Error()
	}
	q.DocumentType = peppol.BISBillingInvoice
	if req.DocumentType != "" {
		if q.DocumentType, err = peppol.ParseDocumentTypeID(req.DocumentType); err != nil {
			return q, "document_type: " + err.Error()
		}
	}
	q.Process = peppol.BillingProcess
	if req.Process != "" {
		if q.Process, err = peppol.ParseProcessID(req.Process); err != nil {
			return q, "process: " + err.Error()
		}
	}
	q.Transport = DefaultTransport
	if req.Transport != "" {
		if !token(req.Transport, 100) {
			return q, "transport: a transport profile is a short token such as " + DefaultTransport
		}
		q.Transport = req.Transport
	}
	return q, ""
}

// isJSON accepts application/json and its +json relatives, with
// parameters.
func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}
