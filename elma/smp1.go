package elma

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"

	"github.com/ehf-project/ehf/peppol"
)

// Namespaces of the Peppol SMP 1.x answers.
const (
	nsSMP1 = "http://busdox.org/serviceMetadata/publishing/1.0/"
	nsIDs1 = "http://busdox.org/transport/identifiers/1.0/"
	nsWSA  = "http://www.w3.org/2005/08/addressing"
)

type smp1ID struct {
	Scheme string `xml:"scheme,attr"`
	Value  string `xml:",chardata"`
}

type smp1Signed struct {
	XMLName xml.Name `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ SignedServiceMetadata"`
	Meta    struct {
		Info     *smp1Info `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceInformation"`
		Redirect *struct {
			Href           string `xml:"href,attr"`
			CertificateUID string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ CertificateUID"`
		} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ Redirect"`
	} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceMetadata"`
}

type smp1Info struct {
	Participant  smp1ID `xml:"http://busdox.org/transport/identifiers/1.0/ ParticipantIdentifier"`
	DocumentType smp1ID `xml:"http://busdox.org/transport/identifiers/1.0/ DocumentIdentifier"`
	ProcessList  struct {
		Process []smp1Process `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ Process"`
	} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ProcessList"`
}

type smp1Process struct {
	ID        smp1ID `xml:"http://busdox.org/transport/identifiers/1.0/ ProcessIdentifier"`
	Endpoints struct {
		Endpoint []smp1Endpoint `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ Endpoint"`
	} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceEndpointList"`
}

type smp1Endpoint struct {
	TransportProfile string `xml:"transportProfile,attr"`
	Reference        struct {
		Address string `xml:"http://www.w3.org/2005/08/addressing Address"`
	} `xml:"http://www.w3.org/2005/08/addressing EndpointReference"`
	RequireBusinessLevelSignature string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ RequireBusinessLevelSignature"`
	ServiceActivationDate         string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceActivationDate"`
	ServiceExpirationDate         string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceExpirationDate"`
	Certificate                   string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ Certificate"`
	ServiceDescription            string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceDescription"`
	TechnicalContactURL           string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ TechnicalContactUrl"`
	TechnicalInformationURL       string `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ TechnicalInformationUrl"`
}

// parseSMP1Metadata reads a Peppol SMP 1 SignedServiceMetadata.
func parseSMP1Metadata(data []byte) (*parsedMetadata, error) {
	var s smp1Signed
	if err := xml.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	out := &parsedMetadata{format: FormatPeppolSMP1}
	switch {
	case s.Meta.Redirect != nil && s.Meta.Info != nil:
		return nil, fmt.Errorf("the answer has both ServiceInformation and Redirect")
	case s.Meta.Redirect != nil:
		href, err := checkURL(s.Meta.Redirect.Href)
		if err != nil {
			return nil, fmt.Errorf("redirect: %w", err)
		}
		out.redirect = &Redirect{URL: href, CertificateUID: strings.TrimSpace(s.Meta.Redirect.CertificateUID)}
		return out, nil
	case s.Meta.Info == nil:
		return nil, fmt.Errorf("the answer has neither ServiceInformation nor Redirect")
	}
	info := s.Meta.Info
	var err error
	out.participant, out.documentType, err = identifiers(info.Participant.Scheme, info.Participant.Value, info.DocumentType.Scheme, info.DocumentType.Value)
	if err != nil {
		return nil, err
	}
	for _, p := range info.ProcessList.Process {
		proc := Process{ID: peppol.ProcessID{Scheme: strings.TrimSpace(p.ID.Scheme), Value: strings.TrimSpace(p.ID.Value)}}
		if err := proc.ID.Validate(); err != nil {
			return nil, err
		}
		for _, e := range p.Endpoints.Endpoint {
			ep, err := endpoint(e.TransportProfile, e.Reference.Address, e.ServiceActivationDate, e.ServiceExpirationDate, e.Certificate)
			if err != nil {
				return nil, err
			}
			ep.RequireBusinessLevelSignature = strings.TrimSpace(e.RequireBusinessLevelSignature) == "true"
			ep.Description = strings.TrimSpace(e.ServiceDescription)
			ep.TechnicalContact = strings.TrimSpace(e.TechnicalContactURL)
			ep.TechnicalInformation = strings.TrimSpace(e.TechnicalInformationURL)
			proc.Endpoints = append(proc.Endpoints, ep)
		}
		out.processes = append(out.processes, proc)
	}
	return out, nil
}

// identifiers reads the participant and document type of an answer.
func identifiers(pScheme, pValue, dScheme, dValue string) (peppol.ParticipantID, peppol.DocumentTypeID, error) {
	p := peppol.ParticipantID{Scheme: strings.TrimSpace(pScheme), Value: strings.TrimSpace(pValue)}
	d := peppol.DocumentTypeID{Scheme: strings.TrimSpace(dScheme), Value: strings.TrimSpace(dValue)}
	if p.Scheme == "" || p.Value == "" {
		return p, d, fmt.Errorf("the answer names no participant")
	}
	if err := d.Validate(); err != nil {
		return p, d, err
	}
	return p, d, nil
}

// endpoint builds an Endpoint from the fields both SMP versions share.
func endpoint(profile, address, activation, expiration, cert string) (Endpoint, error) {
	ep := Endpoint{TransportProfile: strings.TrimSpace(profile)}
	if ep.TransportProfile == "" {
		return ep, fmt.Errorf("an endpoint has no transport profile")
	}
	var err error
	if ep.URL, err = checkURL(address); err != nil {
		return ep, fmt.Errorf("endpoint address: %w", err)
	}
	if ep.ActivationDate, err = parseDate(activation); err != nil {
		return ep, fmt.Errorf("activation date: %w", err)
	}
	if ep.ExpirationDate, err = parseDate(expiration); err != nil {
		return ep, fmt.Errorf("expiration date: %w", err)
	}
	if strings.TrimSpace(cert) != "" {
		if ep.Certificate, err = parseCertificate(cert); err != nil {
			return ep, fmt.Errorf("endpoint certificate: %w", err)
		}
	}
	return ep, nil
}

type smp1Group struct {
	XMLName     xml.Name `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceGroup"`
	Participant smp1ID   `xml:"http://busdox.org/transport/identifiers/1.0/ ParticipantIdentifier"`
	Refs        struct {
		Ref []struct {
			Href string `xml:"href,attr"`
		} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceMetadataReference"`
	} `xml:"http://busdox.org/serviceMetadata/publishing/1.0/ ServiceMetadataReferenceCollection"`
}

// parseSMP1Group reads a Peppol SMP 1 ServiceGroup. The document types are
// taken from the last path segment of each reference, which the SMP
// specification defines as the percent-encoded document type identifier.
func parseSMP1Group(data []byte) (*ServiceGroup, error) {
	var g smp1Group
	if err := xml.Unmarshal(data, &g); err != nil {
		return nil, err
	}
	out := &ServiceGroup{
		Participant: peppol.ParticipantID{Scheme: strings.TrimSpace(g.Participant.Scheme), Value: strings.TrimSpace(g.Participant.Value)},
		Format:      FormatPeppolSMP1,
	}
	for _, r := range g.Refs.Ref {
		d, err := docTypeFromHref(r.Href)
		if err != nil {
			return nil, err
		}
		out.DocumentTypes = append(out.DocumentTypes, d)
	}
	return out, nil
}

// docTypeFromHref extracts the document type from a service metadata
// reference URL ".../{participant}/services/{document type}".
func docTypeFromHref(href string) (peppol.DocumentTypeID, error) {
	i := strings.LastIndex(href, "/services/")
	if i < 0 {
		return peppol.DocumentTypeID{}, fmt.Errorf("reference %q has no /services/ segment", truncate(href))
	}
	seg := href[i+len("/services/"):]
	// Some SMPs encode twice; a second round is applied only when the
	// first one leaves encoded separators behind.
	for k := 0; k < 2; k++ {
		if k == 1 && !strings.Contains(seg, "%3A") && !strings.Contains(seg, "%3a") && !strings.Contains(seg, "%23") {
			break
		}
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return peppol.DocumentTypeID{}, fmt.Errorf("reference %q: %w", truncate(href), err)
		}
		seg = dec
	}
	return peppol.ParseDocumentTypeID(seg)
}

func truncate(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
