package xmltree

import (
	"bytes"
	"sync"
)

// endIndex holds where each element's end tag ends, by the element's place
// among the elements in document order. Nodes do not keep it (it would make
// every node four bytes larger for what only Source and At, both off the
// hot paths, need): it is found again from the input the first time At is
// called.
type endIndex struct {
	once sync.Once
	end  []uint32
}

// elementEnds returns the end of every element of d, indexed by its place
// among d's elements in document order.
func (d *Document) elementEnds() []uint32 {
	x := d.ends
	x.once.Do(func() {
		first, count := None, 0
		for i := range d.nodes {
			if d.nodes[i].kind() == ElementNode {
				if first == None {
					first = NodeID(i)
				}
				count++
			}
		}
		if first == None {
			return
		}
		x.end = make([]uint32, count)
		elementEnd(d.src, int(d.nodes[first].a), x.end)
	})
	return x.end
}

// elementEnd returns the offset just after the end of the element whose
// start tag is at src[at], in a document that has been read without error.
// When ends is not nil, it also stores there the end of each element
// inside, the k-th start tag (the element at src[at] being the 0th) at
// ends[k]. It reads only markup: comments, CDATA sections and processing
// instructions are skipped whole, quoted attribute values too (they may
// hold '>'), and text up to the next '<'.
func elementEnd(src []byte, at int, ends []uint32) int {
	var stack []int // open elements by their place
	k := 0
	skip := func(i int, close string) int {
		j := bytes.Index(src[i:], []byte(close))
		if j < 0 {
			return len(src)
		}
		return i + j + len(close)
	}
	for i := at; i < len(src); {
		if src[i] != '<' {
			j := bytes.IndexByte(src[i:], '<')
			if j < 0 {
				break
			}
			i += j
		}
		rest := src[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skip(i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skip(i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skip(i+2, "?>")
		case bytes.HasPrefix(rest, []byte("</")):
			i = skip(i+2, ">")
			if len(stack) == 0 {
				return i // not well-formed: cannot happen after Parse
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top < len(ends) {
				ends[top] = uint32(i)
			}
			if len(stack) == 0 {
				return i
			}
		default: // a start tag
			j := i + 1
			for j < len(src) && src[j] != '>' {
				if q := src[j]; q == '"' || q == '\'' {
					if m := bytes.IndexByte(src[j+1:], q); m >= 0 {
						j += m + 1
					} else {
						j = len(src)
						break
					}
				}
				j++
			}
			if j >= len(src) {
				return len(src)
			}
			i = j + 1
			if src[j-1] == '/' {
				if k < len(ends) {
					ends[k] = uint32(i)
				}
				if len(stack) == 0 {
					return i
				}
			} else {
				stack = append(stack, k)
			}
			k++
		}
	}
	return len(src)
}
