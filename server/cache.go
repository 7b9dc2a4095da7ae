package server

import (
	"container/list"
	"sync"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// valKey names one compiled validator. Date is "" for "the day of each
// request".
type valKey struct {
	ruleSet string
	engine  ehf.Engine
	date    string
}

// validators keeps the most recently used compiled validators, so that a
// rule set is compiled once and not per request, while a client that asks
// for many dates cannot make the cache grow without end.
type validators struct {
	base ehf.Options // what every validator shares: rule files, home, XSD layer

	mu    sync.Mutex
	max   int
	order *list.List // of *valEntry, most recently used first
	byKey map[valKey]*list.Element
}

type valEntry struct {
	key valKey
	v   *ehf.Validator
}

func newValidators(max int, base ehf.Options) *validators {
	return &validators{base: base, max: max, order: list.New(), byKey: map[valKey]*list.Element{}}
}

// get returns the validator for k, compiling it on first use. Compile
// errors (an unknown rule set) are not cached: they are cheap to find.
func (c *validators) get(k valKey) (*ehf.Validator, error) {
	c.mu.Lock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		v := e.Value.(*valEntry).v
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()

	opts := c.base
	opts.RuleSet, opts.Engine = k.ruleSet, k.engine
	if k.date != "" {
		d, err := time.Parse(time.DateOnly, k.date)
		if err != nil {
			return nil, err
		}
		opts.Date = d
	}
	v, err := ehf.NewValidator(&opts)
	if err != nil {
		return nil, err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok { // compiled meanwhile by another request
		c.order.MoveToFront(e)
		return e.Value.(*valEntry).v, nil
	}
	c.byKey[k] = c.order.PushFront(&valEntry{k, v})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*valEntry).key)
	}
	return v, nil
}

// len is how many validators are cached.
func (c *validators) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
