package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
)

// FuzzValidate posts arbitrary bodies and query strings: every answer is
// 200 with a report, 400 or 413 with an error, and always JSON; nothing
// panics and no body memory is left held.
func FuzzValidate(f *testing.F) {
	for _, p := range []string{plainXML, truncatedXML, sbdhXML} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "lang=nb")
		}
	}
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`), "date=2026-01-01")
	f.Add([]byte("<a>\xff</a>"), "ruleset=%zz")
	f.Add([]byte(""), "name=%00")
	s, err := New(Config{MaxBodySize: 1 << 20, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte, query string) {
		target := "/v1/validate"
		if q, err := url.ParseQuery(query); err == nil {
			target += "?" + q.Encode()
		}
		req := httptest.NewRequest("POST", target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/xml")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%d: not JSON: %v: %q", rec.Code, err, rec.Body.Bytes())
		}
		switch rec.Code {
		case 200:
			if _, ok := v["valid"].(bool); !ok {
				t.Fatalf("200 without valid: %s", rec.Body.Bytes())
			}
		case 400, 413:
			if _, ok := v["error"].(string); !ok {
				t.Fatalf("%d without error: %s", rec.Code, rec.Body.Bytes())
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body.Bytes())
		}
		if n := s.mem.used.Load(); n != 0 {
			t.Fatalf("%d body bytes held after the answer", n)
		}
	})
}
