package peppol

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// One rule slice checks many documents at once with the same findings as
// one at a time: the per-document state lives in each Context.
func TestConcurrentUse(t *testing.T) {
	var docs [][]byte
	for _, f := range sharedtest.XMLFiles(t, sharedtest.Path(t, "examples", "peppol-3.0.19")) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	_, rules := build(Release3019)
	run := func(data []byte) string {
		d, err := xmltree.Parse(data, nil)
		if err != nil {
			t.Error(err)
			return ""
		}
		inv, _ := invoice.Read(d, d.Root())
		c := &rule.Context{Doc: d, Inv: inv}
		rule.Run(c, rules)
		return fmt.Sprint(c.Findings())
	}
	want := make([]string, len(docs))
	for i, d := range docs {
		want[i] = run(d)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (g + k) % len(docs)
				if got := run(docs[i]); got != want[i] {
					t.Errorf("document %d checked concurrently: %s, alone: %s", i, got, want[i])
				}
			}
		}(g)
	}
	wg.Wait()
	// a context without a document is no reason to panic
	rule.Run(&rule.Context{}, rules)
}
