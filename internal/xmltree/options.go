package xmltree

// Default limits. They are far above what any real invoice needs (a UBL
// invoice nests about a dozen levels deep and has a handful of attributes per
// element) and low enough that hostile input is refused quickly.
const (
	DefaultMaxSize  = 64 << 20
	DefaultMaxDepth = 256
	DefaultMaxAttrs = 256
)

// maxSizeLimit is the largest document the tree can address: a text
// node keeps its offset in 30 bits (see node).
const maxSizeLimit = 1<<30 - 1

// Options control Parse. The zero value (or nil) means the defaults.
type Options struct {
	// File names the input in error messages.
	File string
	// MaxSize is the largest accepted document in bytes (DefaultMaxSize when
	// 0; at most 1 GiB, what the tree can address).
	MaxSize int64
	// MaxDepth is the deepest accepted element nesting (DefaultMaxDepth when 0).
	MaxDepth int
	// MaxAttrs is the most attributes accepted on one element, namespace
	// declarations included (DefaultMaxAttrs when 0).
	MaxAttrs int
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.MaxSize <= 0 {
		r.MaxSize = DefaultMaxSize
	}
	if r.MaxSize > maxSizeLimit {
		r.MaxSize = maxSizeLimit
	}
	if r.MaxDepth <= 0 {
		r.MaxDepth = DefaultMaxDepth
	}
	if r.MaxAttrs <= 0 {
		r.MaxAttrs = DefaultMaxAttrs
	}
	return r
}
