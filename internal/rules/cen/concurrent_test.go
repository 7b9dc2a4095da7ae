package cen

import (
	"fmt"
	"github.com/ehf-project/ehf/internal/sample"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The pack may check many documents at once, and the same document from
// several goroutines: every check gives what a check alone gives.
func TestConcurrent(t *testing.T) {
	cases, err := conformance.Load(sharedtest.Path(t, "conformance", "cen", "Invoice-unit-UBL"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) > 300 {
		cases = cases[:300]
	}
	rules := Rules(R20265)
	key := func(i int) string {
		var s string
		for _, f := range check(cases[i].Doc, rules) {
			s += fmt.Sprintf("%s@%d;", f.ID, f.Offset)
		}
		return s
	}
	want := make([]string, len(cases))
	for i := range cases {
		want[i] = key(i)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range cases {
				i := (k*7 + g) % len(cases) // each goroutine in its own order; some meet on a document
				if got := key(i); got != want[i] {
					t.Errorf("%s: concurrent %q, alone %q", cases[i].Name(), got, want[i])
				}
			}
		}(g)
	}
	wg.Wait()
}

// The pack keeps no document alive after its check.
func TestNoLeak(t *testing.T) {
	rules := Rules(R20265)
	var freed atomic.Int32
	for i := 0; i < 50; i++ {
		d, err := xmltree.Parse(sample.Invoice(3), nil)
		if err != nil {
			t.Fatal(err)
		}
		check(d, rules)
		runtime.AddCleanup(d, func(int) { freed.Add(1) }, 0)
	}
	for try := 0; try < 100 && freed.Load() < 50; try++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := freed.Load(); n < 50 {
		t.Errorf("%d of 50 documents still alive after they were dropped", 50-n)
	}
}
