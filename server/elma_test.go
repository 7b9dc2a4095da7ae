package server

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/peppol"
)

// /v1/lookup with a real elma client asking a real SMP on loopback: each
// way the SMP can fail comes out as the status the API promises.
func TestLookupThroughElma(t *testing.T) {
	stop := make(chan struct{})
	smp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "000000002"):
			http.NotFound(w, r)
		case strings.Contains(r.URL.Path, "000000003"):
			w.WriteHeader(500)
		case strings.Contains(r.URL.Path, "000000004"):
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte(`<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/"/>`))
		default:
			<-stop
		}
	}))
	defer smp.Close()
	defer close(stop)
	c, err := elma.New(elma.Options{SMPURL: smp.URL, CacheEntries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ts := start(t, Config{Resolver: ElmaResolver(c), LookupTimeout: 2 * time.Second})
	for _, tc := range []struct {
		participant string
		want        int
		says        string
	}{
		{"0192:000000002", 404, "cannot receive"},
		{"0192:000000003", 502, "could not be asked"},
		{"0192:000000004", 502, "could not be asked"},
		{"0192:000000005", 504, "longer than"},
	} {
		a := do(t, nil, "POST", ts.url+"/v1/lookup", strings.NewReader(`{"participant":"`+tc.participant+`"}`), "Content-Type: application/json")
		var e errorBody
		a.json(t, &e)
		if a.code != tc.want || !strings.Contains(e.Error, tc.says) {
			t.Errorf("%s: %d %s, want %d saying %q", tc.participant, a.code, a.body, tc.want, tc.says)
		}
	}
}

func TestAnswerFromMetadata(t *testing.T) {
	certFile, _, _ := selfSigned(t)
	b, _ := pem.Decode(readFile(t, certFile))
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	q := LookupQuery{Participant: peppol.MustParseParticipantID("0192:987654325"), DocumentType: peppol.BISBillingInvoice,
		Process: peppol.BillingProcess, Transport: elma.TransportAS4}
	m := &elma.ServiceMetadata{URL: "https://smp.example/x", Processes: []elma.Process{{ID: peppol.BillingProcess,
		Endpoints: []elma.Endpoint{{TransportProfile: elma.TransportAS4, URL: "https://ap.example/as4", Certificate: cert}}}}}
	e, err := m.Endpoint(q.Process, q.Transport, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a := answerFrom(q, m, e)
	if a.EndpointURL != "https://ap.example/as4" || a.SMPURL != m.URL || a.Participant != "iso6523-actorid-upis::0192:987654325" ||
		a.Certificate == nil || a.Certificate.Subject != "CN=ehf test" || !strings.HasPrefix(a.Certificate.PEM, "-----BEGIN CERTIFICATE-----") {
		t.Errorf("%+v %+v", a, a.Certificate)
	}
	// another transport: no endpoint, which is a "cannot receive"
	if _, err := m.Endpoint(q.Process, elma.TransportAS2, time.Now()); err == nil || classify(err) == nil {
		t.Fatal("AS2 endpoint found")
	} else if c := classify(err); !strings.Contains(c.Error(), ErrNoReceiver.Error()) {
		t.Errorf("no endpoint classified as %v", c)
	}
}
