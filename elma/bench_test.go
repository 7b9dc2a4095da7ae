package elma

import (
	"context"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// BenchmarkCachedEndpoint measures lookups answered from the cache, the
// common case for an ERP sending many invoices to the same receivers.
func BenchmarkCachedEndpoint(b *testing.B) {
	e := newLookupEnv(b)
	inv := peppol.BISBillingInvoice
	var ids []peppol.ParticipantID
	for i := 0; i < 100; i++ {
		p := peppol.MustParseParticipantID("9915:bench" + string(rune('a'+i%26)) + string(rune('a'+i/26)))
		e.register(b, p, e.httpsBase)
		e.publish(b, e.https, e.httpsBase, p, inv, e.goodMetadata(b, p, inv), nil)
		ids = append(ids, p)
	}
	c := e.client(b, nil)
	ctx := context.Background()
	for _, p := range ids {
		if _, err := c.Endpoint(ctx, p, inv, peppol.BillingProcess); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := c.Endpoint(ctx, ids[i%len(ids)], inv, peppol.BillingProcess); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

// BenchmarkColdVerify measures what a cold lookup costs beyond the
// network: hardened XML reading, signature structure checks, certificate
// chain, XML-DSig verification (RSA-2048, SHA-256) and parsing.
func BenchmarkColdVerify(b *testing.B) {
	p := getPKI(b)
	data := sign(b, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{cert: p.ap.cert}), p.smp, signOptions{})
	o := testVerify(p)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := verifyMetadata(data, testParticipant, peppol.BISBillingInvoice, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/verify")
}

// BenchmarkColdVerifyReal is the same on a real answer (SHA-1, G2 PKI,
// verified as of a date its certificate was valid).
func BenchmarkColdVerifyReal(b *testing.B) {
	r := realResponses[1]
	data := readRealTB(b, r.file)
	p := peppol.MustParseParticipantID(r.participant)
	d := peppol.DocumentTypeID{Scheme: peppol.DocumentTypeScheme, Value: r.docType}
	o := verifyOptions{trust: ProductionTrust(), now: r.validAt, allowSHA1: true}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := verifyMetadata(data, p, d, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/verify")
}

// BenchmarkUncachedEndpointLoopback is a whole lookup with the cache off:
// DNS and HTTPS on loopback plus verification.
func BenchmarkUncachedEndpointLoopback(b *testing.B) {
	e := newLookupEnv(b)
	inv := peppol.BISBillingInvoice
	p := testParticipant
	e.register(b, p, e.httpsBase)
	e.publish(b, e.https, e.httpsBase, p, inv, e.goodMetadata(b, p, inv), nil)
	c := e.client(b, func(o *Options) { o.CacheEntries = -1; o.Timeout = 5 * time.Second })
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Endpoint(ctx, p, inv, peppol.BillingProcess); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/lookup")
}
