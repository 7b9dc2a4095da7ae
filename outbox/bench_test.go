package outbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// BenchmarkOutbox measures documents per second through the outbox:
// accepted by Send (each committed on its own, as ehf send does), claimed,
// sent and recorded as delivered. "http" sends to an access point on
// loopback with the real HTTP sender; "memory" to the test double, which
// leaves the database as the only cost.
//
//	EHF_TEST_POSTGRES=postgres://... go test ./outbox -run XXX -bench Outbox -benchtime 2000x
func BenchmarkOutbox(b *testing.B) {
	for _, be := range backends {
		for _, to := range []string{"http", "memory"} {
			b.Run(be.name+"/"+to, func(b *testing.B) {
				var s peppol.Sender = &peppol.TestSender{}
				if to == "http" {
					ap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						io.Copy(io.Discard, r.Body)
						w.WriteHeader(http.StatusOK)
					}))
					defer ap.Close()
					s = &peppol.HTTPSender{URL: ap.URL, Timeout: 10 * time.Second}
				}
				o := open(b, be.dsn(b), Options{Sender: s, Workers: 8, PollInterval: 5 * time.Millisecond})
				envs := make([]*peppol.Envelope, b.N)
				for i := range envs {
					envs[i] = newEnvelope(b, i)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				b.ResetTimer()
				start := time.Now()
				go func() { done <- o.Run(ctx) }()
				for _, env := range envs {
					if _, _, err := o.Send(ctx, env, ""); err != nil {
						b.Fatal(err)
					}
				}
				accepted := time.Since(start)
				for {
					c, err := o.Counts(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if c[Delivered] == b.N {
						break
					}
					if c[Failed] > 0 {
						b.Fatalf("failures: %v", c)
					}
					time.Sleep(2 * time.Millisecond)
				}
				elapsed := time.Since(start)
				b.StopTimer()
				cancel()
				<-done
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "docs/s")
				b.ReportMetric(float64(b.N)/accepted.Seconds(), "accepted/s")
			})
		}
	}
}
