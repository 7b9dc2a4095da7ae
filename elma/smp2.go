package elma

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/ehf-project/ehf/peppol"
)

// Namespaces of OASIS BDXR SMP 2.0 answers.
const (
	nsSMP2Metadata = "http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceMetadata"
	nsSMP2Group    = "http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceGroup"
	nsSMP2Basic    = "http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents"
	nsSMP2Aggr     = "http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents"
)

type smp2ID struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

type smp2Metadata struct {
	XMLName         xml.Name `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceMetadata ServiceMetadata"`
	Version         string   `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents SMPVersionID"`
	DocumentType    smp2ID   `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ID"`
	Participant     smp2ID   `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ParticipantID"`
	ProcessMetadata []struct {
		Process []struct {
			ID smp2ID `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ID"`
		} `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents Process"`
		Endpoint []smp2Endpoint `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents Endpoint"`
		Redirect *struct {
			PublisherURI string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents PublisherURI"`
			Certificate  []smp2Cert `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents Certificate"`
		} `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents Redirect"`
	} `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents ProcessMetadata"`
}

type smp2Endpoint struct {
	TransportProfile string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents TransportProfileID"`
	Description      string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents Description"`
	Contact          string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents Contact"`
	AddressURI       string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents AddressURI"`
	ActivationDate   string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ActivationDate"`
	ExpirationDate   string     `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ExpirationDate"`
	Certificate      []smp2Cert `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents Certificate"`
}

type smp2Cert struct {
	TypeCode string `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents TypeCode"`
	Content  string `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ContentBinaryObject"`
}

// parseSMP2Metadata reads an OASIS SMP 2.0 ServiceMetadata. A
// ProcessMetadata without Process elements applies to every process.
func parseSMP2Metadata(data []byte) (*parsedMetadata, error) {
	var s smp2Metadata
	if err := xml.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	out := &parsedMetadata{format: FormatOASISSMP2}
	var err error
	out.participant, out.documentType, err = identifiers(s.Participant.Scheme, s.Participant.Value, s.DocumentType.Scheme, s.DocumentType.Value)
	if err != nil {
		return nil, err
	}
	for _, pm := range s.ProcessMetadata {
		if pm.Redirect != nil {
			if len(s.ProcessMetadata) != 1 || len(pm.Endpoint) > 0 {
				return nil, fmt.Errorf("a redirect must be the only content of the answer")
			}
			href, err := checkURL(pm.Redirect.PublisherURI)
			if err != nil {
				return nil, fmt.Errorf("redirect: %w", err)
			}
			r := &Redirect{URL: href}
			if len(pm.Redirect.Certificate) > 0 {
				if r.Certificate, err = parseCertificate(pm.Redirect.Certificate[0].Content); err != nil {
					return nil, fmt.Errorf("redirect certificate: %w", err)
				}
			}
			out.redirect = r
			return out, nil
		}
		var eps []Endpoint
		for _, e := range pm.Endpoint {
			cert := ""
			if len(e.Certificate) > 0 {
				cert = e.Certificate[0].Content
			}
			ep, err := endpoint(e.TransportProfile, e.AddressURI, e.ActivationDate, e.ExpirationDate, cert)
			if err != nil {
				return nil, err
			}
			ep.Description = strings.TrimSpace(e.Description)
			ep.TechnicalContact = strings.TrimSpace(e.Contact)
			eps = append(eps, ep)
		}
		if len(pm.Process) == 0 {
			out.processes = append(out.processes, Process{Endpoints: eps})
		}
		for _, p := range pm.Process {
			id := peppol.ProcessID{Scheme: strings.TrimSpace(p.ID.Scheme), Value: strings.TrimSpace(p.ID.Value)}
			if id.Scheme == "" {
				id.Scheme = peppol.ProcessScheme
			}
			if err := id.Validate(); err != nil {
				return nil, err
			}
			out.processes = append(out.processes, Process{ID: id, Endpoints: eps})
		}
	}
	return out, nil
}

type smp2Group struct {
	XMLName     xml.Name `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceGroup ServiceGroup"`
	Participant smp2ID   `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ParticipantID"`
	Refs        []struct {
		ID smp2ID `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents ID"`
	} `xml:"http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents ServiceReference"`
}

// parseSMP2Group reads an OASIS SMP 2.0 ServiceGroup.
func parseSMP2Group(data []byte) (*ServiceGroup, error) {
	var g smp2Group
	if err := xml.Unmarshal(data, &g); err != nil {
		return nil, err
	}
	out := &ServiceGroup{
		Participant: peppol.ParticipantID{Scheme: strings.TrimSpace(g.Participant.Scheme), Value: strings.TrimSpace(g.Participant.Value)},
		Format:      FormatOASISSMP2,
	}
	for _, r := range g.Refs {
		d := peppol.DocumentTypeID{Scheme: strings.TrimSpace(r.ID.Scheme), Value: strings.TrimSpace(r.ID.Value)}
		if d.Scheme == "" {
			d.Scheme = peppol.DocumentTypeScheme
		}
		if err := d.Validate(); err != nil {
			return nil, err
		}
		out.DocumentTypes = append(out.DocumentTypes, d)
	}
	return out, nil
}
