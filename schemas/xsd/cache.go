package xsd

import (
	"path/filepath"
	"sync"
)

// cache holds every schema compiled through Cached, by absolute path.
var cache sync.Map // string -> *cacheEntry

type cacheEntry struct {
	once   sync.Once
	schema *Schema
	err    error
}

// Cached compiles the schema at path the first time it is asked for and
// returns the same compiled Schema on every later call, from any goroutine;
// callers that arrive while it compiles wait for that one compilation.
// A failure is not kept: a schema that was missing is found once
// "ehf schemas install" has put it there, without restarting a server.
// Schemas in the cache live as long as the process.
func Cached(path string) (*Schema, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	v, _ := cache.LoadOrStore(abs, &cacheEntry{})
	e := v.(*cacheEntry)
	e.once.Do(func() { e.schema, e.err = Compile(abs) })
	if e.err != nil {
		cache.CompareAndDelete(abs, e)
	}
	return e.schema, e.err
}
