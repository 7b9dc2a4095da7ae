package xpath

// Intrinsics are Go versions of the check-digit helpers that the Peppol
// and EHF rule files define as xsl:functions (u:gln, u:mod11). Interpreted,
// their for loops over string-to-codepoints cost tens of microseconds a
// call; u:slack, on every invoice line, costs a frame and a dozen
// evaluation steps. The caller attaches one only to a definition it has recognised as
// the one the Go version was written and tested against (see
// schematron's fingerprints); any other definition runs as written.

// intrinsic is a Go implementation of a function. ok is false when it
// does not handle the arguments (a number, several items), which then go
// to the function's body.
type intrinsic struct {
	arity int
	fn    func(x *Context, args []Seq) (s Seq, ok bool)
}

var intrinsics = map[string]intrinsic{
	"gln":   {1, glnIntrinsic},
	"mod11": {1, mod11Intrinsic},
	"slack": {3, slackIntrinsic},
}

// UseIntrinsic makes calls of f run the Go implementation called name
// instead of f's body. It reports false, and changes nothing, when there
// is no such implementation for f's number of parameters. Call it while
// compiling, before f is used.
func (f *Function) UseIntrinsic(name string) bool {
	in, ok := intrinsics[name]
	if !ok || in.arity != len(f.params) {
		return false
	}
	f.native = in.fn
	f.intrinsic = name
	return true
}

// Intrinsic is the name given to UseIntrinsic, or "".
func (f *Function) Intrinsic() string { return f.intrinsic }

// oneString is the string value of a one-item argument that functions
// without a declared parameter type take as a string: a string, an
// untyped value or a node.
func (x *Context) oneString(s Seq) (string, bool) {
	if s.n != 1 {
		return "", false
	}
	switch it := s.one; it.k {
	case KString, KUntyped:
		return it.s, true
	case KNode, KAttr:
		return x.str(it), true
	}
	return "", false
}

// checkDigits computes what u:gln and u:mod11 compute from $val: every
// character but the last, as its code point minus 48, weighted from the
// right by weight(i) (i = 0 for the character before the last), summed;
// and the last character as number() reads it. For an empty value there
// is no last character (NaN).
func checkDigits(v string, weight func(i int64) int64) (sum int64, last float64) {
	r := []rune(v)
	n := len(r) - 1
	if n < 0 {
		return 0, number(strItem(""))
	}
	for i := range int64(n) {
		sum += (int64(r[int64(n)-1-i]) - 48) * weight(i)
	}
	return sum, number(strItem(string(r[n])))
}

// glnIntrinsic is u:gln($val): the GS1 check digit (weights 3, 1, 3, …
// from the right) of all but the last character equals the last.
func glnIntrinsic(x *Context, args []Seq) (Seq, bool) {
	v, ok := x.oneString(args[0])
	if !ok {
		return Empty, false
	}
	sum, last := checkDigits(v, func(i int64) int64 { return 1 + ((i+1)%2)*2 })
	want := (10 - sum%10) % 10
	return Single(boolItem(float64(want) == last)), true
}

// mod11Intrinsic is u:mod11($val): number($val) is positive and the
// modulus 11 check digit (weights 2 to 7 from the right) of all but the
// last character equals the last.
func mod11Intrinsic(x *Context, args []Seq) (Seq, bool) {
	v, ok := x.oneString(args[0])
	if !ok {
		return Empty, false
	}
	if !(number(strItem(v)) > 0) {
		return Single(boolItem(false)), true
	}
	sum, last := checkDigits(v, func(i int64) int64 { return i%6 + 2 })
	want := (11 - sum%11) % 11
	return Single(boolItem(float64(want) == last)), true
}

// slackIntrinsic is u:slack($exp, $val, $slack) with its decimal
// parameters already converted: xs:decimal($exp + $slack) >= $val and
// xs:decimal($exp - $slack) <= $val, by the operations the interpreter
// uses. Anything unusual, an error included, is left to the body.
func slackIntrinsic(_ *Context, args []Seq) (Seq, bool) {
	for _, a := range args {
		if a.n != 1 || a.one.k != KDecimal && a.one.k != KInteger {
			return Empty, false
		}
	}
	exp, val, slack := args[0].one, args[1].one, args[2].one
	if exp.k == KDecimal || slack.k == KDecimal {
		// What arith, cast and the comparison below come to for decimals
		// held without math/big.
		hi, ok1 := smallDecArith(exp, slack, opAdd)
		lo, ok2 := smallDecArith(exp, slack, opSub)
		if ok1 && ok2 {
			c1, ok1 := smallCmp(hi, val)
			c2, ok2 := smallCmp(lo, val)
			if ok1 && ok2 {
				return Single(boolItem(c1 >= 0 && c2 <= 0)), true
			}
		}
	}
	bound := func(o op, cmp op) (bool, bool) {
		b, err := arith(exp, slack, o)
		if err != nil {
			return false, false
		}
		if b, err = cast(b, KDecimal); err != nil {
			return false, false
		}
		ok, err := generalPair(b, val, cmp)
		return ok, err == nil
	}
	hi, ok := bound(opAdd, opGGe)
	if !ok {
		return Empty, false
	}
	if !hi {
		return Single(boolItem(false)), true
	}
	lo, ok := bound(opSub, opGLe)
	if !ok {
		return Empty, false
	}
	return Single(boolItem(lo)), true
}
