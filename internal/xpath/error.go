package xpath

import "fmt"

// Error is a static error (Pos is the byte offset in the expression where
// it was found) or a dynamic one (Pos is -1), with the XPath error code
// where the specification gives one.
type Error struct {
	Pos  int
	Code string
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos >= 0 {
		return fmt.Sprintf("at offset %d: %s", e.Pos, e.Msg)
	}
	if e.Code != "" {
		return e.Msg + " [" + e.Code + "]"
	}
	return e.Msg
}

// errorf makes a static error at pos.
func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Code: "XPST0003", Msg: fmt.Sprintf(format, args...)}
}

// dynErr makes a dynamic error.
func dynErr(code, format string, args ...any) *Error {
	return &Error{Pos: -1, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// quote shortens a value for an error message.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}
