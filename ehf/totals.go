package ehf

import "github.com/ehf-project/ehf/internal/totals"

// ComputedTotals are an invoice's totals recomputed from its lines, each
// with the declared value beside it and how it was derived.
type ComputedTotals = totals.Totals

// ComputeTotals recomputes every total of inv from its lines with exact
// decimals: line net amounts, allowances and charges, the VAT breakdown per
// category and rate, and the document totals. An ERP can call it before it
// writes an invoice, and fill the totals in from the result.
func ComputeTotals(inv *Invoice) *ComputedTotals { return totals.Compute(inv) }
