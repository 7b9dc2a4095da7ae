package sample

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

func TestInvoice(t *testing.T) {
	for _, n := range []int{1, 3, 100} {
		data := Invoice(n)
		if got := bytes.Count(data, []byte("<cac:InvoiceLine>")); got != n {
			t.Errorf("Invoice(%d) has %d lines", n, got)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("Invoice(%d) is not well-formed: %v", n, err)
			}
		}
	}
}
