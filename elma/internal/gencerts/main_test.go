package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// The committed table must be what the generator makes from the shared
// kit's certificates today.
func TestTableIsCurrent(t *testing.T) {
	src := sharedtest.Path(t, "smp", "trustedca")
	got, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "peppolca.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("elma/peppolca.go is out of date: run go generate ./elma")
	}
	if n := bytes.Count(got, []byte("BEGIN CERTIFICATE")); n != 12 {
		t.Errorf("%d certificates in the table, want 12 (G2 and G3, production and test, root/SMP/AP)", n)
	}
}
