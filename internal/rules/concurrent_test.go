package rules

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

// Checks that run at once give what each gives alone: the packs reuse
// their per-document indexes across checks (rule.Context.Close), and a
// reused index must carry nothing from the document before.
func TestConcurrentChecks(t *testing.T) {
	cases, err := conformance.Load(filepath.Join(sharedtest.Dir(t), "conformance/peppol-3.0.19"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) > 300 {
		cases = cases[:300]
	}
	set := Lookup(Billing20265)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	key := func(fs []report.Finding) string { return fmt.Sprint(fs) }
	want := make([]string, len(cases))
	for i, c := range cases {
		want[i] = key(checkCase(set, c, day))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(cases))
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine goes through the cases in its own order, so
			// that pooled indexes pass between different documents.
			for k := range cases {
				i := (k*7 + g*31) % len(cases)
				if got := key(checkCase(set, cases[i], day)); got != want[i] {
					errs <- fmt.Sprintf("%s: %s, alone %s", cases[i].File, got, want[i])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
