package xmltree

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// plainWord says yes exactly when all eight bytes are of class clsPlain.
func TestPlainWord(t *testing.T) {
	check := func(b [8]byte) {
		want := true
		for _, c := range b {
			if charClass[c] != clsPlain {
				want = false
			}
		}
		if got := plainWord(binary.LittleEndian.Uint64(b[:])); got != want {
			t.Fatalf("plainWord(%q) = %v, want %v", b[:], got, want)
		}
	}
	base := [8]byte{'Q', 'U', 'J', 'D', 'R', 'E', 'V', 'G'}
	check(base)
	for pos := range 8 {
		for c := range 256 {
			b := base
			b[pos] = byte(c)
			check(b)
		}
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(0x1C + rng.IntN(0x68)) // around the edges: controls, space, '!' to DEL, 0x80s
		}
		check(b)
	}
}
