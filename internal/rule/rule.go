// Package rule is the frame every native rule is written in: a Rule has the
// official ID and flag, a message in English and bokmål, and a check that
// reads the typed model (and, where the model has no field, the tree) and
// reports the node the official rule would report.
package rule

import (
	"fmt"
	"time"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Rule is one business rule.
type Rule struct {
	ID   string
	Flag report.Flag
	// En and Nb are the messages, in our own words: what is wrong and what
	// to change. They may hold fmt verbs that Fail fills in.
	En, Nb string
	// Check checks the rule; nil for a rule that another rule of its pack
	// checks together with its own.
	Check func(c *Context, r *Rule)
}

// Context is one document being checked. It is not safe for concurrent
// use; each validation has its own.
type Context struct {
	Doc     *xmltree.Document
	Inv     *invoice.Invoice
	RuleSet string    // name of the rule set, put in every finding
	Date    time.Time // the validation date
	out     []report.Finding
	memo    [4]memoEntry // what Memo keeps; a document has a key or two
	more    map[*Key]any // beyond those
	lastKey *Key         // the key Memo was asked last, and its value
	lastVal any
}

// memoEntry is one key Memo keeps and its value.
type memoEntry struct {
	key *Key
	val any
}

// Key names something a pack keeps per document (see Memo). Each Key
// variable is its own key.
type Key struct{ _ byte }

// Memo returns what build makes for key, building it once per document.
// Packs keep here what many of their rules read, such as an index of the
// tree or the document's variables; it goes when the Context goes. Every
// rule of a pack asks, so the key asked last is answered by comparing one
// pointer.
func (c *Context) Memo(key *Key, build func() any) any {
	if key == c.lastKey && key != nil {
		return c.lastVal
	}
	v, ok := c.memoized(key)
	if !ok {
		v = build()
		c.keep(key, v)
	}
	c.lastKey, c.lastVal = key, v
	return v
}

// memoized is the value kept for key.
func (c *Context) memoized(key *Key) (any, bool) {
	for i := range c.memo {
		switch c.memo[i].key {
		case key:
			return c.memo[i].val, true
		case nil:
			return nil, false
		}
	}
	v, ok := c.more[key]
	return v, ok
}

// keep keeps v for key: in the first free entry, or in the map when they
// are taken.
func (c *Context) keep(key *Key, v any) {
	for i := range c.memo {
		if c.memo[i].key == nil {
			c.memo[i] = memoEntry{key, v}
			return
		}
	}
	if c.more == nil {
		c.more = map[*Key]any{}
	}
	c.more[key] = v
}

// Releaser is what a pack keeps in Memo and can reuse for another
// document once this one is checked.
type Releaser interface{ Release() }

// Close ends the check: what the packs kept in Memo that can be reused
// is released. The findings stay; nothing else of c may be used after.
func (c *Context) Close() {
	for _, e := range c.memo {
		if r, ok := e.val.(Releaser); ok {
			r.Release()
		}
	}
	for _, v := range c.more {
		if r, ok := v.(Releaser); ok {
			r.Release()
		}
	}
	c.memo, c.more, c.lastKey, c.lastVal = [4]memoEntry{}, nil, nil, nil
}

// Fail reports that rule r is broken at node n (the node the official
// rule's context would be). args fill the verbs in the messages.
func (c *Context) Fail(r *Rule, n xmltree.NodeID, args ...any) {
	en, nb := r.En, r.Nb
	if len(args) > 0 {
		en, nb = fmt.Sprintf(en, args...), fmt.Sprintf(nb, args...)
	}
	f := report.Finding{ID: r.ID, Flag: r.Flag, Message: en, Norsk: nb, RuleSet: c.RuleSet, Offset: -1}
	if n != xmltree.None && c.Doc != nil {
		f.Location = c.Doc.Path(n, invoice.Prefix)
		f.Line, f.Column = c.Doc.Pos(n)
		f.Offset = c.Doc.Offset(n)
	}
	c.out = append(c.out, f)
}

// Findings are what the checks reported, in the order reported.
func (c *Context) Findings() []report.Finding { return c.out }

// RuleInternal is the ID of the finding made when a rule's check fails
// inside ehf itself: the document gets a fatal finding naming the rule,
// and every other rule still runs.
const RuleInternal = "EHF-INTERNAL"

// Run checks every rule against the context.
func Run(c *Context, rules []Rule) {
	for i := 0; i < len(rules); {
		i = runFrom(c, rules, i)
	}
}

// runFrom checks rules[i:] in turn until one panics, and returns the index
// of the next rule to check. One deferred recover covers them all: a
// document meets a thousand rules, and a panic is the rare case.
func runFrom(c *Context, rules []Rule, i int) (next int) {
	defer func() {
		if p := recover(); p != nil {
			r := &rules[next]
			msg := fmt.Sprintf("ehf could not check rule %s on this document (%v); please report this with the document", r.ID, p)
			c.out = append(c.out, report.Finding{ID: RuleInternal, Flag: report.Fatal, Message: msg,
				Norsk:   fmt.Sprintf("ehf klarte ikke å kontrollere regel %s for dette dokumentet (%v); meld gjerne fra og legg ved dokumentet", r.ID, p),
				RuleSet: c.RuleSet, Offset: -1})
			next++
		}
	}()
	for next = i; next < len(rules); next++ {
		if ch := rules[next].Check; ch != nil {
			ch(c, &rules[next])
		}
	}
	return next
}
