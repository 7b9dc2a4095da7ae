package xmltree

import (
	"bytes"
	"encoding/binary"
)

// longText is how many plain bytes text reads eight at a time before it
// hands the rest of the run to textLong. Below it, a few calls of
// bytes.IndexByte cost more than the word loop.
const longText = 128

// handOver is how much text, not all whitespace, text must have read when
// it meets a character that needs a closer look (CR, '&', ']', a control
// or non-ASCII) to hand the rest to textLong rather than to textSlow.
const handOver = 32

// Chunks textLong looks at: the first is small, so that text with a
// character that needs a closer look every few dozen bytes does not search
// far ahead for nothing; each chunk found clean doubles the next, up to a
// size whose passes stay in the first-level cache.
const minChunk, maxChunk = 64, 8 << 10

// textLong reads the rest of a long run of text from src[i], src[start:i]
// being characters already read that are not all whitespace. An embedded
// attachment is megabytes of base64 in one text node: it is read a chunk
// at a time, where bytes.IndexByte (vector
// instructions) finds the first '<', '&' and ']' and asciiRun checks the
// bytes before it 32 at a time. Whatever stops them is read exactly as
// textSlow reads it. In the longest text of a large document, where the
// next '<' is has been found by estimateSizes already.
func (p *parser) textLong(start, i int) error {
	src := p.src
	decode := false
	size := minChunk
	noLT := 0 // no '<' in src[i:noLT]
	if p.gapFrom < i && i < p.gapTo {
		noLT = p.gapTo
	}
	for i < len(src) {
		chunk := src[i:min(len(src), i+size)]
		stop := len(chunk)
		if i+len(chunk) > noLT {
			if k := bytes.IndexByte(chunk, '<'); k >= 0 {
				stop = k
			}
		}
		if k := bytes.IndexByte(chunk[:stop], '&'); k >= 0 {
			stop = k
		}
		if k := bytes.IndexByte(chunk[:stop], ']'); k >= 0 {
			stop = k
		}
		n, cr := asciiRun(chunk[:stop])
		decode = decode || cr
		i += n
		if n == len(chunk) {
			size = min(2*size, maxChunk)
			continue
		}
		if src[i] == '<' {
			break
		}
		size = minChunk
		n, err := p.textSpecial(i)
		if err != nil {
			return err
		}
		if src[i] == '&' || src[i] == '\r' {
			decode = true
		}
		i += n
	}
	return p.endText(start, i, false, decode)
}

// asciiRun returns the length of the longest prefix of b made of ASCII
// characters from ' ' to DEL, tabs, line feeds and carriage returns, and
// whether that prefix has a carriage return. It looks at 32 bytes at a
// time: a byte below ' ' or from 0x80 sets the high bit of (w - 0x20...)|w
// in its byte (a borrow can set it in a byte above one that is flagged,
// never alone), so a block with neither is accepted with one test, and
// only a flagged word is read again byte by byte.
func asciiRun(b []byte) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	const low = ones * ' '
	cr := false
	i := 0
	for i+32 <= len(b) {
		blk := b[i : i+32 : i+32]
		w0 := binary.LittleEndian.Uint64(blk[0:])
		w1 := binary.LittleEndian.Uint64(blk[8:])
		w2 := binary.LittleEndian.Uint64(blk[16:])
		w3 := binary.LittleEndian.Uint64(blk[24:])
		// Combined as a tree, not a chain: the four words are tested
		// side by side.
		t0, t1 := (w0-low)|w0, (w1-low)|w1
		t2, t3 := (w2-low)|w2, (w3-low)|w3
		if ((t0|t1)|(t2|t3))&highs == 0 {
			i += 32
			continue
		}
		// Then word by word, and byte by byte only in a flagged word
		// (a line end in base64 flags one word of four).
		for k, t := range [4]uint64{t0, t1, t2, t3} {
			if t&highs == 0 {
				i += 8
				continue
			}
			for _, c := range blk[8*k : 8*k+8] {
				switch asciiClass[c] {
				case asciiOK:
					i++
					continue
				case asciiCR:
					cr = true
					i++
					continue
				}
				return i, cr
			}
		}
	}
	for ; i < len(b); i++ {
		switch asciiClass[b[i]] {
		case asciiOK:
			continue
		case asciiCR:
			cr = true
			continue
		}
		return i, cr
	}
	return i, cr
}

// Classes of asciiRun's bytes.
const (
	asciiStop = iota // a control character or a byte from 0x80
	asciiOK
	asciiCR
)

var asciiClass = func() (t [256]uint8) {
	for c := ' '; c < 0x80; c++ {
		t[c] = asciiOK
	}
	t['\t'], t['\n'], t['\r'] = asciiOK, asciiOK, asciiCR
	return t
}()
