package elma

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// fakeSMP is a real HTTP(S) server on loopback that answers SMP requests
// from a table of escaped paths.
type fakeSMP struct {
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]page
	hits  map[string]int
	delay time.Duration
	hosts []string // Host headers seen
}

type page struct {
	status   int
	body     []byte
	header   map[string]string
	location string // for 3xx
}

func startSMP(t testing.TB, tlsCert *tls.Certificate) *fakeSMP {
	t.Helper()
	s := &fakeSMP{pages: map[string]page{}, hits: map[string]int{}}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if tlsCert != nil {
		s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{*tlsCert}}
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	t.Cleanup(s.srv.Close)
	return s
}

func (s *fakeSMP) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	s.mu.Lock()
	s.hits[path]++
	s.hosts = append(s.hosts, r.Host)
	p, ok := s.pages[path]
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	for k, v := range p.header {
		w.Header().Set(k, v)
	}
	if p.location != "" {
		w.Header().Set("Location", p.location)
	}
	if p.status == 0 {
		p.status = http.StatusOK
	}
	if p.body != nil {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.WriteHeader(p.status)
	w.Write(p.body)
}

// port returns the server's port.
func (s *fakeSMP) port() string {
	u, _ := url.Parse(s.srv.URL)
	return u.Port()
}

func (s *fakeSMP) set(path string, p page) {
	s.mu.Lock()
	s.pages[path] = p
	s.mu.Unlock()
}

// setMetadata serves body as the metadata of p for d under base.
func (s *fakeSMP) setMetadata(base string, p peppol.ParticipantID, d peppol.DocumentTypeID, pg page) string {
	u := serviceMetadataURL(base, p, d)
	s.set(pathOf(u), pg)
	return u
}

// setGroup serves the service group of p under base listing docs.
func (s *fakeSMP) setGroup(base string, p peppol.ParticipantID, docs ...peppol.DocumentTypeID) {
	s.set(pathOf(serviceGroupURL(base, p)), page{body: []byte(buildSMP1Group(base, p, docs...))})
}

func (s *fakeSMP) hitCount(u string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[pathOf(u)]
}

func (s *fakeSMP) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

func pathOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	return pu.EscapedPath()
}

func trimSlash(s string) string { return strings.TrimSuffix(s, "/") }
