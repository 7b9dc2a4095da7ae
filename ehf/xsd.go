package ehf

import (
	"errors"
	"fmt"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/ehf-project/ehf/schemas"
	"github.com/ehf-project/ehf/schemas/xsd"
)

// RuleXSD is the rule ID of findings from the UBL schema layer.
const RuleXSD = "XSD"

// info is what artefact selection needs to know of a document.
func (d *Document) info() schemas.DocInfo {
	return schemas.DocInfo{Namespace: d.Type.Namespace, Local: d.Type.Root, CustomizationID: d.Type.CustomizationID, ProfileID: d.Type.ProfileID}
}

// checkXSD runs the UBL schema the selection names, when it can: libxml2
// must be built in and the schemas installed. Otherwise the report says
// why the layer was skipped.
func (v *Validator) checkXSD(doc *Document, sel schemas.Selection, r *Report) {
	if sel.XSD == (schemas.FileRef{}) {
		return // not a UBL document: no schema applies
	}
	if !xsd.Available() {
		r.Notes = append(r.Notes, "the UBL XSD layer was not run: this ehf was built without cgo (libxml2)")
		return
	}
	if v.inst == nil || !v.inst.Has(sel.XSD.Set) {
		r.Notes = append(r.Notes, fmt.Sprintf("the UBL XSD layer was not run: the schemas are not installed; run: ehf schemas install %s", sel.XSD.Set))
		return
	}
	path, err := v.inst.Path(sel.XSD)
	if err == nil {
		var schema *xsd.Schema
		if schema, err = xsd.Cached(path); err == nil {
			r.RuleSets = append(r.RuleSets, sel.XSD.Set)
			r.Findings = append(r.Findings, xsdFindings(doc.tree, schema.Validate(doc.tree.Source(doc.tree.Root())), sel.XSD.Set)...)
			return
		}
	}
	var ni *schemas.NotInstalledError
	if errors.As(err, &ni) {
		r.Notes = append(r.Notes, "the UBL XSD layer was not run: "+ni.Error())
		return
	}
	r.Notes = append(r.Notes, "the UBL XSD layer was not run: "+err.Error())
}

// xsdFindings places schema errors, which libxml2 counts from the start of
// the element it was given, in the file, and names the element each is
// about.
func xsdFindings(t *xmltree.Document, errs []xsd.Error, set string) []Finding {
	root := t.Root()
	rootLine, rootCol := t.Pos(root)
	var out []Finding
	for _, e := range errs {
		f := Finding{ID: RuleXSD, Flag: Fatal, Message: e.Message, Norsk: e.MessageNB, RuleSet: set, Offset: -1}
		if e.Line > 0 {
			f.Line = rootLine + e.Line - 1
			f.Column = e.Column
			if e.Line == 1 {
				f.Column = rootCol + max(e.Column, 1) - 1
			}
			if n := t.At(f.Line, max(f.Column, 1)); n != xmltree.None {
				f.Location = t.Path(n, invoice.Prefix)
				f.Offset = t.Offset(n)
			}
		}
		out = append(out, f)
	}
	return out
}
