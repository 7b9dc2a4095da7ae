package xmltree

import "bytes"

// estimate is what cheap counts over the input say about the tree to come,
// so that its arrays are allocated once, at close to their final size.
type estimate struct {
	nodes  int // about how many nodes, at least as many as most documents make
	equals int // how many '=' there are in markup: at least one per attribute

	// The longest text: no '<' lies between gapFrom and gapTo, found while
	// counting, so that reading an embedded attachment need not look for
	// its end again. Both are 0 when unknown.
	gapFrom, gapTo int
}

// bigGap is how long a run without '<' must be for its '=' to be left
// uncounted: an attribute is in a tag, and a tag is shorter than that.
const bigGap = 4 << 10

// detailedSize is the size from which estimateSizes counts in detail.
const detailedSize = 64 << 10

// estimateSizes counts src's '<' and '='; detailed, it looks at each '<'
// for a closer count of nodes and finds the longest text.
func estimateSizes(src []byte, detailed bool) estimate {
	// Each element costs one or two '<' and at most one text node, so
	// this bounds the nodes of a document without mixed content, and
	// nothing is cheaper to count.
	if !detailed {
		return estimate{
			nodes:  bytes.Count(src, []byte{'<'}) + 2,
			equals: bytes.Count(src, []byte{'='}),
		}
	}
	// In a large document the bound wastes about one node in five (an
	// element's end tag counts as a node), which is worth a closer count:
	// an element per '<' that does not start an end tag, and a text node
	// per '<' that follows text, which is a '<' that does not follow '>'
	// with at most whitespace between (whitespace between tags is not
	// kept). Text that ends in '>' and whitespace that is an element's
	// whole content are missed, hence the slack. '=' are counted in
	// stretches between long texts.
	e := estimate{nodes: 2}
	prev, counted := -1, 0 // the last '<'; '=' before counted are counted
	for i := 0; ; i++ {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			i = len(src)
		} else {
			i += j
		}
		if i-prev > bigGap && prev >= 0 {
			// Count up to the end of the tag that starts the long run.
			end := i
			if k := bytes.IndexByte(src[prev:i], '>'); k >= 0 {
				end = prev + k
			}
			e.equals += bytes.Count(src[counted:end], []byte{'='})
			counted = i
		}
		if i-prev > e.gapTo-e.gapFrom {
			e.gapFrom, e.gapTo = max(prev, 0), i
		}
		if j < 0 {
			break
		}
		prev = i
		if i+1 < len(src) && src[i+1] != '/' {
			e.nodes++
		}
		k := i - 1
		for k >= 0 && isSpace(src[k]) {
			k--
		}
		if k >= 0 && src[k] != '>' {
			e.nodes++
		}
	}
	e.equals += bytes.Count(src[counted:], []byte{'='})
	e.nodes += e.nodes/128 + 16
	return e
}
