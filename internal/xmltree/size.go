package xmltree

import (
	"bytes"
	"io"
	"os"
	"strings"
)

// sizeOf tells how many bytes r holds, where that is cheap to know, so the
// buffer can be allocated once at the right size.
func sizeOf(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case *os.File:
		fi, err := v.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return 0, false
		}
		off, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return fi.Size() - off, true
	case *bytes.Reader:
		return int64(v.Len()), true
	case *bytes.Buffer:
		return int64(v.Len()), true
	case *strings.Reader:
		return int64(v.Len()), true
	}
	return 0, false
}
