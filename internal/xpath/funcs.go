package xpath

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// builtin is a function of the fn namespace.
type builtin struct {
	min, max int // max < 0: any number
	fn       func(x *Context, f focus, c *callE) (Seq, error)
	// prepare runs at compile time with the call's arguments (for
	// precompiling literal regular expressions).
	prepare func(c *callE) error
	// result says what the function returns, for the static analysis of
	// predicates: 'b' boolean, 's' string, 'n' number, 'N' nodes, 0 any.
	result byte
	// usesFocus: called with no arguments it reads the context item, or it
	// is position() or last().
	usesFocus bool
}

// callE is a call of a builtin function.
type callE struct {
	name string
	fn   *builtin
	args []evaluator
	re   *regexp.Regexp // precompiled pattern
	key  *Key           // key() with a literal name
	mod  int            // the module, for key() with a computed name
	// str computes the result string of a function that always gives
	// one (strFns).
	str func(x *Context, f focus, c *callE) (string, error)
}

func (c *callE) eval(x *Context, f focus) (Seq, error) { return c.fn.fn(x, f, c) }

// ebv lets boolean functions skip building a sequence.
func (c *callE) ebv(x *Context, f focus) (bool, error) {
	switch c.name {
	case "not":
		b, err := x.ebvOf(c.args[0], f)
		return !b, err
	case "exists", "empty":
		ok, err := x.nonEmpty(c.args[0], f)
		return ok == (c.name == "exists"), err
	case "boolean":
		return x.ebvOf(c.args[0], f)
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "normalize-space":
		// Its boolean value only asks whether there is any non-space
		// character: no need to build the normalized string of a 3 MB
		// attachment.
		s, err := c.arg0String(x, f)
		if err != nil {
			return false, err
		}
		for i := 0; i < len(s); i++ {
			if !isXMLSpace(s[i]) {
				return true, nil
			}
		}
		return false, nil
	}
	s, err := c.eval(x, f)
	if err != nil {
		return false, err
	}
	return x.ebv(s)
}

// nonEmpty reports whether e gives at least one item.
func (x *Context) nonEmpty(e evaluator, f focus) (bool, error) {
	if p, ok := e.(*pathE); ok {
		nonEmpty, _, ok, err := p.first(x, f)
		if ok || err != nil {
			return nonEmpty, err
		}
	}
	s, err := e.eval(x, f)
	return s.n > 0, err
}

// arg0String is the string of the first argument, or of the context item
// when there is none.
func (c *callE) arg0String(x *Context, f focus) (string, error) {
	if len(c.args) == 0 {
		if f.pos == 0 {
			return "", dynErr("XPDY0002", "%s() needs a context item", c.name)
		}
		return x.str(f.it), nil
	}
	return x.evalString(c.args[0], f, desc{format: "the argument of %s()", name: c.name})
}

func (c *callE) argString(x *Context, f focus, i int) (string, error) {
	return x.evalString(c.args[i], f, desc{format: "argument %d of %s()", name: c.name, arg: i + 1})
}

// argNumber reads a numeric argument as xs:double (substring, round's
// precision and the like); ok is false for the empty sequence.
func (c *callE) argDouble(x *Context, f focus, i int) (float64, bool, error) {
	it, ok, err := x.evalAtom(c.args[i], f, desc{format: "argument %d of %s()", name: c.name, arg: i + 1})
	if err != nil || !ok {
		return 0, ok, err
	}
	it, err = numericOperand(it, opAdd)
	if err != nil {
		return 0, false, err
	}
	return toDouble(it), true, nil
}

func str1(s string) (Seq, error) { return Single(strItem(s)), nil }
func bool1(b bool) (Seq, error)  { return Single(boolItem(b)), nil }
func int1(i int) (Seq, error)    { return Single(intItem(int64(i))), nil }
func ebvFn(x *Context, f focus, c *callE) (Seq, error) {
	b, err := c.ebv(x, f)
	return Single(boolItem(b)), err
}

var builtins map[string]*builtin

func init() {
	builtins = map[string]*builtin{
		"not":     {min: 1, max: 1, fn: ebvFn, result: 'b'},
		"true":    {min: 0, max: 0, fn: ebvFn, result: 'b'},
		"false":   {min: 0, max: 0, fn: ebvFn, result: 'b'},
		"boolean": {min: 1, max: 1, fn: ebvFn, result: 'b'},
		"exists":  {min: 1, max: 1, fn: ebvFn, result: 'b'},
		"empty":   {min: 1, max: 1, fn: ebvFn, result: 'b'},
		"count": {min: 1, max: 1, result: 'n', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			s, err := c.args[0].eval(x, f)
			if err != nil {
				return Empty, err
			}
			return int1(s.n)
		}},
		"sum":      {min: 1, max: 2, result: 'n', fn: fnSum},
		"avg":      {min: 1, max: 1, result: 'n', fn: fnAvg},
		"min":      {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnMinMax(x, f, c, opVLt) }},
		"max":      {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnMinMax(x, f, c, opVGt) }},
		"abs":      {min: 1, max: 1, result: 'n', fn: fnAbs},
		"round":    {min: 1, max: 2, result: 'n', fn: fnRound},
		"floor":    {min: 1, max: 1, result: 'n', fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnFloorCeil(x, f, c, false) }},
		"ceiling":  {min: 1, max: 1, result: 'n', fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnFloorCeil(x, f, c, true) }},
		"number":   {min: 0, max: 1, result: 'n', usesFocus: true, fn: fnNumber},
		"string":   {min: 0, max: 1, result: 's', usesFocus: true, fn: fnString},
		"data":     {min: 1, max: 1, fn: fnData},
		"concat":   {min: 2, max: -1, result: 's', fn: fnConcat},
		"contains": {min: 2, max: 2, result: 'b', fn: func(x *Context, f focus, c *callE) (Seq, error) { return strPair(x, f, c, strings.Contains) }},
		"starts-with": {min: 2, max: 2, result: 'b', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			return strPair(x, f, c, strings.HasPrefix)
		}},
		"ends-with": {min: 2, max: 2, result: 'b', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			return strPair(x, f, c, strings.HasSuffix)
		}},
		"substring-before": {min: 2, max: 2, result: 's', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			a, b, err := twoStrings(x, f, c)
			if err != nil {
				return Empty, err
			}
			before, _, ok := strings.Cut(a, b)
			if !ok {
				return str1("")
			}
			return str1(before)
		}},
		"substring-after": {min: 2, max: 2, result: 's', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			a, b, err := twoStrings(x, f, c)
			if err != nil {
				return Empty, err
			}
			_, after, ok := strings.Cut(a, b)
			if !ok {
				return str1("")
			}
			return str1(after)
		}},
		"substring":       {min: 2, max: 3, result: 's', fn: fnSubstring},
		"string-length":   {min: 0, max: 1, result: 'n', usesFocus: true, fn: fnStringLength},
		"normalize-space": {min: 0, max: 1, result: 's', usesFocus: true, fn: fnNormalizeSpace},
		"upper-case": {min: 1, max: 1, result: 's', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			s, err := c.arg0String(x, f)
			if err != nil {
				return Empty, err
			}
			return str1(strings.ToUpper(s))
		}},
		"lower-case": {min: 1, max: 1, result: 's', fn: func(x *Context, f focus, c *callE) (Seq, error) {
			s, err := c.arg0String(x, f)
			if err != nil {
				return Empty, err
			}
			return str1(strings.ToLower(s))
		}},
		"translate":            {min: 3, max: 3, result: 's', fn: fnTranslate},
		"matches":              {min: 2, max: 3, result: 'b', fn: fnMatches, prepare: prepareRegex},
		"replace":              {min: 3, max: 4, result: 's', fn: fnReplace, prepare: prepareRegex},
		"tokenize":             {min: 1, max: 3, fn: fnTokenize, prepare: prepareRegex},
		"string-join":          {min: 1, max: 2, result: 's', fn: fnStringJoin},
		"string-to-codepoints": {min: 1, max: 1, fn: fnStringToCodepoints},
		"codepoints-to-string": {min: 1, max: 1, result: 's', fn: fnCodepointsToString},
		"reverse": {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) {
			s, err := c.args[0].eval(x, f)
			if err != nil || s.n < 2 {
				return s, err
			}
			items := make([]Item, s.n)
			for i := range items {
				items[i] = s.At(s.n - 1 - i)
			}
			return SeqOf(items), nil
		}},
		"distinct-values": {min: 1, max: 1, fn: fnDistinctValues},
		"last": {min: 0, max: 0, result: 'n', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) {
			if f.pos == 0 {
				return Empty, dynErr("XPDY0002", "last() needs a context")
			}
			return int1(f.size)
		}},
		"position": {min: 0, max: 0, result: 'n', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) {
			if f.pos == 0 {
				return Empty, dynErr("XPDY0002", "position() needs a context")
			}
			return int1(f.pos)
		}},
		"local-name":    {min: 0, max: 1, result: 's', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnNodeName(x, f, c, 'l') }},
		"name":          {min: 0, max: 1, result: 's', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnNodeName(x, f, c, 'n') }},
		"namespace-uri": {min: 0, max: 1, result: 's', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) { return fnNodeName(x, f, c, 'u') }},
		"root": {min: 0, max: 1, result: 'N', usesFocus: true, fn: func(x *Context, f focus, c *callE) (Seq, error) {
			return Single(nodeItem(0)), nil
		}},
		"key":         {min: 2, max: 2, result: 'N', fn: fnKey},
		"exactly-one": {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) { return cardinality(x, f, c, 1, 1) }},
		"zero-or-one": {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) { return cardinality(x, f, c, 0, 1) }},
		"one-or-more": {min: 1, max: 1, fn: func(x *Context, f focus, c *callE) (Seq, error) { return cardinality(x, f, c, 1, -1) }},
	}
}

func cardinality(x *Context, f focus, c *callE, lo, hi int) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	if s.n < lo || (hi >= 0 && s.n > hi) {
		return Empty, dynErr("FORG0005", "%s() was given %d items", c.name, s.n)
	}
	return s, nil
}

func twoStrings(x *Context, f focus, c *callE) (string, string, error) {
	a, err := c.argString(x, f, 0)
	if err != nil {
		return "", "", err
	}
	b, err := c.argString(x, f, 1)
	return a, b, err
}

func strPair(x *Context, f focus, c *callE, fn func(a, b string) bool) (Seq, error) {
	a, b, err := twoStrings(x, f, c)
	if err != nil {
		return Empty, err
	}
	return bool1(fn(a, b))
}

// numbersOf atomizes a sequence for sum, avg, min and max: untyped values
// become xs:double.
func (x *Context) numbersOf(items []Item, s Seq, what string) ([]Item, error) {
	for i := 0; i < s.n; i++ {
		it := x.atomize(s.At(i))
		if !it.isNumeric() {
			var err error
			if it, err = numericOperand(it, opAdd); err != nil {
				return nil, dynErr("FORG0006", "%s: %s", what, err.(*Error).Msg)
			}
		}
		items = append(items, it)
	}
	return items, nil
}

func fnSum(x *Context, f focus, c *callE) (Seq, error) {
	s, owned, err := x.evalScratch(c.args[0], f)
	if owned {
		defer x.giveBack(s)
	}
	if err != nil {
		return Empty, err
	}
	if s.n == 0 {
		if len(c.args) == 2 {
			return c.args[1].eval(x, f)
		}
		return Single(intItem(0)), nil
	}
	if s.n > 1 {
		if r, ok := sumSmall(s); ok {
			return Single(r), nil
		}
	}
	// A sum over a few amounts (a line's charges) needs no slice.
	var buf [8]Item
	dst := buf[:0]
	if s.n > len(buf) {
		dst = make([]Item, 0, s.n)
	}
	items, err := x.numbersOf(dst, s, "sum()")
	if err != nil {
		return Empty, err
	}
	acc := items[0]
	for _, it := range items[1:] {
		if acc, err = arith(acc, it, opAdd); err != nil {
			return Empty, err
		}
	}
	return Single(acc), nil
}

// evalScratch evaluates an operand whose items are not kept (sum's): a
// streamed path collects them into the context's scratch memory, which
// giveBack returns, instead of allocating the list of every line's amount
// each time. owned says the list is that memory.
func (x *Context) evalScratch(a evaluator, f focus) (s Seq, owned bool, err error) {
	p, ok := a.(*pathE)
	if !ok || !p.simple || p.kids != nil {
		s, err = a.eval(x, f)
		return s, false, err
	}
	if len(p.needs) > 0 && p.absent(x) {
		return Empty, false, nil
	}
	c := collector{buf: x.scratch}
	x.scratch = nil
	err = x.stream(p, f, &c)
	if err == nil && c.nodes == 0 && (!p.rev || c.n <= 1) {
		if c.n <= 1 {
			x.scratch = c.buf
			return c.seq(), false, nil
		}
		return c.seq(), true, nil
	}
	x.scratch = c.buf
	if c.n > 1 {
		clear(c.many)
	}
	if err != nil && err != errNested {
		return Empty, false, err
	}
	s, err = a.eval(x, f)
	return s, false, err
}

// giveBack returns the list of a sequence that evalScratch collected
// (owned) to the context's scratch memory when it is larger, cleared so
// that it keeps nothing alive.
func (x *Context) giveBack(s Seq) {
	if cap(s.many) > cap(x.scratch) {
		clear(s.many)
		x.scratch = s.many[:0]
	}
}

// sumSmall is the sum of integers and decimals held without math/big
// (the amounts of every invoice line), as adding them one by one with
// arith gives it: exact, an xs:integer when all are, else a decimal
// without trailing zeros. ok is false for any other item, or when the sum
// might not fit.
func sumSmall(s Seq) (Item, bool) {
	var acc int64
	var e int32
	dec := false
	for i := 0; i < s.n; i++ {
		it := s.At(i)
		c, ce, ok := it.small()
		if !ok {
			return Item{}, false
		}
		if it.k == KDecimal {
			dec = true
		}
		if i == 0 {
			acc, e = c, ce
			continue
		}
		a, b, ne, ok := align(acc, e, c, ce)
		if !ok {
			return Item{}, false
		}
		r := a + b
		if (r > a) != (b > 0) && b != 0 {
			return Item{}, false
		}
		acc, e = r, ne
	}
	if !dec {
		return intItem(acc), true
	}
	return stripSmall(acc, e), true
}

func fnAvg(x *Context, f focus, c *callE) (Seq, error) {
	s, err := fnSum(x, f, c)
	if err != nil || s.n == 0 {
		return s, err
	}
	n, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	if n.n == 0 {
		return Empty, nil
	}
	r, err := arith(s.one, intItem(int64(n.n)), opDiv)
	if err != nil {
		return Empty, err
	}
	return Single(r), nil
}

func fnMinMax(x *Context, f focus, c *callE, o op) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil || s.n == 0 {
		return Empty, err
	}
	best := x.atomize(s.At(0))
	if best.k == KUntyped {
		best, err = numericOperand(best, opAdd)
		if err != nil {
			return Empty, err
		}
	}
	for i := 1; i < s.n; i++ {
		it := x.atomize(s.At(i))
		if it.k == KUntyped {
			if it, err = numericOperand(it, opAdd); err != nil {
				return Empty, err
			}
		}
		better, err := compareAtoms(it, best, o)
		if err != nil {
			return Empty, err
		}
		if better {
			best = it
		}
	}
	return Single(best), nil
}

// numArg reads the numeric argument of abs, round, floor and ceiling:
// untyped values become xs:double.
func (c *callE) numArg(x *Context, f focus) (Item, bool, error) {
	it, ok, err := x.evalAtom(c.args[0], f, desc{format: "the argument of %s()", name: c.name})
	if err != nil || !ok {
		return it, ok, err
	}
	it, err = numericOperand(it, opAdd)
	return it, err == nil, err
}

func fnAbs(x *Context, f focus, c *callE) (Seq, error) {
	it, ok, err := c.numArg(x, f)
	if err != nil || !ok {
		return Empty, err
	}
	switch it.k {
	case KDouble:
		return Single(dblItem(math.Abs(it.dbl()))), nil
	case KInteger:
		if it.n != bigInt && it.i != math.MinInt64 {
			if it.i < 0 {
				return Single(intItem(-it.i)), nil
			}
			return Single(it), nil
		}
		return Single(bigIntItem(it.dec().Abs())), nil
	}
	if it.n == smallDec && it.i > -maxSmallCoef && it.i < maxSmallCoef {
		// Coefficient and exponent as decItem would keep them.
		if it.i < 0 {
			it.i = -it.i
		}
		return Single(it), nil
	}
	return Single(decItem(it.dec().Abs())), nil
}

// maxSmallCoef bounds the coefficients (up to 18 digits) that decItem
// keeps without math/big.
const maxSmallCoef = 1_000_000_000_000_000_000

// roundSmall is roundDecimal for c × 10^e without math/big; ok is false
// when it might not fit.
func roundSmall(c int64, e, p int32) (Item, bool) {
	if c <= -maxSmallCoef || c >= maxSmallCoef {
		return Item{}, false
	}
	k := -(e + p) // the digits rounded away
	if k <= 0 {
		return stripSmall(c, e), true
	}
	if k > 18 {
		return Item{}, false
	}
	m := pow10[k]
	q := c + m/2
	r := q / m
	if q%m != 0 && q < 0 {
		r-- // floor, not truncation
	}
	return stripSmall(r, -p), true
}

var half = decimal.New(5, -1)

// roundDecimal rounds half toward positive infinity to p fraction digits.
func roundDecimal(d decimal.Decimal, p int32) decimal.Decimal {
	return strip(d.Shift(p).Add(half).Floor().Shift(-p))
}

func fnRound(x *Context, f focus, c *callE) (Seq, error) {
	it, ok, err := c.numArg(x, f)
	if err != nil || !ok {
		return Empty, err
	}
	p := int32(0)
	if len(c.args) == 2 {
		pi, ok, err := x.evalAtom(c.args[1], f, desc{format: "the precision of round()"})
		if err != nil {
			return Empty, err
		}
		if ok {
			if pi.k == KUntyped {
				if pi, err = cast(pi, KInteger); err != nil {
					return Empty, err
				}
			}
			if pi.k != KInteger || pi.n == bigInt || pi.i > 1000 || pi.i < -1000 {
				return Empty, dynErr("XPTY0004", "the precision of round() must be a small integer")
			}
			p = int32(pi.i)
		}
	}
	switch it.k {
	case KDouble:
		v := it.dbl()
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			return Single(it), nil
		}
		if p == 0 {
			if v >= -0.5 && v < 0 {
				return Single(dblItem(math.Copysign(0, -1))), nil
			}
			if math.Abs(v) >= 1<<52 {
				return Single(it), nil
			}
			return Single(dblItem(math.Floor(v + 0.5))), nil
		}
		r := decToDouble(roundDecimal(decFromDouble(v), p))
		if r == 0 && v < 0 {
			r = math.Copysign(0, -1)
		}
		return Single(dblItem(r)), nil
	case KInteger:
		if p >= 0 {
			return Single(it), nil
		}
		return Single(bigIntItem(roundDecimal(it.dec(), p))), nil
	}
	if it.n == smallDec {
		if r, ok := roundSmall(it.i, int32(it.e), p); ok {
			return Single(r), nil
		}
	}
	return Single(decItem(roundDecimal(it.dec(), p))), nil
}

func fnFloorCeil(x *Context, f focus, c *callE, ceil bool) (Seq, error) {
	it, ok, err := c.numArg(x, f)
	if err != nil || !ok {
		return Empty, err
	}
	switch it.k {
	case KDouble:
		if ceil {
			return Single(dblItem(math.Ceil(it.dbl()))), nil
		}
		return Single(dblItem(math.Floor(it.dbl()))), nil
	case KInteger:
		return Single(it), nil
	}
	if ceil {
		return Single(decItem(strip(it.dec().Ceil()))), nil
	}
	return Single(decItem(strip(it.dec().Floor()))), nil
}

func fnNumber(x *Context, f focus, c *callE) (Seq, error) {
	if len(c.args) == 0 {
		if f.pos == 0 {
			return Empty, dynErr("XPDY0002", "number() needs a context item")
		}
		return Single(dblItem(number(x.atomize(f.it)))), nil
	}
	it, ok, err := x.evalAtom(c.args[0], f, desc{format: "the argument of number()"})
	if err != nil {
		return Empty, err
	}
	if !ok {
		return Single(dblItem(math.NaN())), nil
	}
	return Single(dblItem(number(it))), nil
}

func fnString(x *Context, f focus, c *callE) (Seq, error) {
	if len(c.args) == 0 {
		if f.pos == 0 {
			return Empty, dynErr("XPDY0002", "string() needs a context item")
		}
		return str1(x.str(f.it))
	}
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	switch s.n {
	case 0:
		return str1("")
	case 1:
		return str1(x.str(s.one))
	}
	return Empty, dynErr("XPTY0004", "string() was given %d items", s.n)
}

func fnData(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	if s.n == 1 {
		return Single(x.atomize(s.one)), nil
	}
	items := make([]Item, s.n)
	for i := range items {
		items[i] = x.atomize(s.At(i))
	}
	return SeqOf(items), nil
}

func fnConcat(x *Context, f focus, c *callE) (Seq, error) {
	var b strings.Builder
	for i := range c.args {
		s, err := c.argString(x, f, i)
		if err != nil {
			return Empty, err
		}
		b.WriteString(s)
	}
	return str1(b.String())
}

// isASCII reports whether s has only single-byte characters, so that
// character positions are byte positions.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// xround is XPath's round() on a double: half toward positive infinity.
func xround(v float64) float64 { return math.Floor(v + 0.5) }

func fnSubstring(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.argString(x, f, 0)
	if err != nil {
		return Empty, err
	}
	start, ok, err := c.argDouble(x, f, 1)
	if err != nil {
		return Empty, err
	}
	if !ok {
		return Empty, dynErr("XPTY0004", "the start of substring() must not be empty")
	}
	from := xround(start)
	to := math.Inf(1)
	if len(c.args) == 3 {
		l, ok, err := c.argDouble(x, f, 2)
		if err != nil {
			return Empty, err
		}
		if !ok {
			return Empty, dynErr("XPTY0004", "the length of substring() must not be empty")
		}
		to = from + xround(l)
	}
	if math.IsNaN(from) || math.IsNaN(to) {
		return str1("")
	}
	if isASCII(s) {
		lo, hi := 0, len(s)
		if from > 1 {
			lo = int(math.Min(from-1, float64(len(s))))
		}
		if to < float64(len(s)+1) {
			hi = int(math.Max(to-1, 0))
		}
		if lo >= hi {
			return str1("")
		}
		return str1(s[lo:hi])
	}
	var b strings.Builder
	p := 1
	for _, r := range s {
		fp := float64(p)
		if fp >= from && fp < to {
			b.WriteRune(r)
		}
		p++
	}
	return str1(b.String())
}

func fnStringLength(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.arg0String(x, f)
	if err != nil {
		return Empty, err
	}
	return int1(utf8.RuneCountInString(s))
}

// normalizeSpace collapses runs of XML whitespace to one space and trims
// the ends. An already normalized string is returned as it is.
func normalizeSpace(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isXMLSpace(c) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func fnNormalizeSpace(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.arg0String(x, f)
	if err != nil {
		return Empty, err
	}
	return str1(normalizeSpace(s))
}

func fnTranslate(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.argString(x, f, 0)
	if err != nil {
		return Empty, err
	}
	from, err := c.argString(x, f, 1)
	if err != nil {
		return Empty, err
	}
	to, err := c.argString(x, f, 2)
	if err != nil {
		return Empty, err
	}
	fr, tr := []rune(from), []rune(to)
	var b strings.Builder
	for _, r := range s {
		idx := -1
		for i, q := range fr {
			if q == r {
				idx = i
				break
			}
		}
		switch {
		case idx < 0:
			b.WriteRune(r)
		case idx < len(tr):
			b.WriteRune(tr[idx])
		}
	}
	return str1(b.String())
}

// prepareRegex compiles a literal pattern (and literal flags) once.
func prepareRegex(c *callE) error {
	pi := 1
	fi := 2
	if c.name == "replace" {
		fi = 3
	}
	if pi >= len(c.args) {
		return nil
	}
	pl, ok := c.args[pi].(*litE)
	if !ok || pl.v.n != 1 || pl.v.one.k != KString {
		return nil
	}
	flags := ""
	if fi < len(c.args) {
		fl, ok := c.args[fi].(*litE)
		if !ok || fl.v.n != 1 || fl.v.one.k != KString {
			return nil
		}
		flags = fl.v.one.s
	}
	re, err := compileRegex(pl.v.one.s, flags)
	if err != nil {
		return err
	}
	c.re = re
	return nil
}

// regexArgs reads the input, pattern and flags of matches, replace and
// tokenize.
func (c *callE) regexArgs(x *Context, f focus, flagsAt int) (string, *regexp.Regexp, error) {
	s, err := c.argString(x, f, 0)
	if err != nil {
		return "", nil, err
	}
	if c.re != nil {
		return s, c.re, nil
	}
	pat, err := c.argString(x, f, 1)
	if err != nil {
		return "", nil, err
	}
	flags := ""
	if flagsAt < len(c.args) {
		if flags, err = c.argString(x, f, flagsAt); err != nil {
			return "", nil, err
		}
	}
	re, err := x.regexFor(nil, pat, flags)
	return s, re, err
}

func fnMatches(x *Context, f focus, c *callE) (Seq, error) {
	s, re, err := c.regexArgs(x, f, 2)
	if err != nil {
		return Empty, err
	}
	return bool1(re.MatchString(s))
}

func fnReplace(x *Context, f focus, c *callE) (Seq, error) {
	s, re, err := c.regexArgs(x, f, 3)
	if err != nil {
		return Empty, err
	}
	if re.MatchString("") {
		return Empty, dynErr("FORX0003", "the pattern of replace() matches an empty string")
	}
	rep, err := c.argString(x, f, 2)
	if err != nil {
		return Empty, err
	}
	tmpl, err := replacement(rep, re.NumSubexp())
	if err != nil {
		return Empty, err
	}
	return str1(re.ReplaceAllString(s, tmpl))
}

func fnTokenize(x *Context, f focus, c *callE) (Seq, error) {
	if len(c.args) == 1 {
		s, err := c.argString(x, f, 0)
		if err != nil {
			return Empty, err
		}
		words := strings.FieldsFunc(s, func(r rune) bool { return r < utf8.RuneSelf && isXMLSpace(byte(r)) })
		items := make([]Item, len(words))
		for i, w := range words {
			items[i] = strItem(w)
		}
		return SeqOf(items), nil
	}
	s, re, err := c.regexArgs(x, f, 2)
	if err != nil {
		return Empty, err
	}
	if re.MatchString("") {
		return Empty, dynErr("FORX0003", "the pattern of tokenize() matches an empty string")
	}
	if s == "" {
		return Empty, nil
	}
	var items []Item
	prev := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		items = append(items, strItem(s[prev:m[0]]))
		prev = m[1]
	}
	items = append(items, strItem(s[prev:]))
	return SeqOf(items), nil
}

func fnStringJoin(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	sep := ""
	if len(c.args) == 2 {
		if sep, err = c.argString(x, f, 1); err != nil {
			return Empty, err
		}
	}
	return str1(x.joinStrings(s, sep))
}

func fnStringToCodepoints(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.arg0String(x, f)
	if err != nil || s == "" {
		return Empty, err
	}
	items := make([]Item, 0, len(s))
	for _, r := range s {
		items = append(items, intItem(int64(r)))
	}
	return SeqOf(items), nil
}

func fnCodepointsToString(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	var b strings.Builder
	for i := 0; i < s.n; i++ {
		it := x.atomize(s.At(i))
		if it.k == KUntyped {
			if it, err = cast(it, KInteger); err != nil {
				return Empty, err
			}
		}
		if it.k != KInteger || it.n == bigInt || it.i < 1 || it.i > utf8.MaxRune || !utf8.ValidRune(rune(it.i)) {
			return Empty, dynErr("FOCH0001", "%s is not a valid character code", quote(atomString(it)))
		}
		b.WriteRune(rune(it.i))
	}
	return str1(b.String())
}

func fnDistinctValues(x *Context, f focus, c *callE) (Seq, error) {
	s, err := c.args[0].eval(x, f)
	if err != nil {
		return Empty, err
	}
	var out []Item
	for i := 0; i < s.n; i++ {
		it := x.atomize(s.At(i))
		if it.k == KUntyped {
			it.k = KString
		}
		dup := false
		for _, o := range out {
			if eq, err := compareAtoms(it, o, opVEq); err == nil && eq {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	return SeqOf(out), nil
}

func fnNodeName(x *Context, f focus, c *callE, what byte) (Seq, error) {
	var it Item
	if len(c.args) == 0 {
		if f.pos == 0 {
			return Empty, dynErr("XPDY0002", "%s() needs a context item", c.name)
		}
		it = f.it
	} else {
		s, err := c.args[0].eval(x, f)
		if err != nil {
			return Empty, err
		}
		switch {
		case s.n == 0:
			return str1("")
		case s.n > 1 || !s.one.IsNode():
			return Empty, dynErr("XPTY0004", "the argument of %s() must be one node", c.name)
		}
		it = s.one
	}
	if !it.IsNode() {
		return Empty, dynErr("XPTY0004", "the context item of %s() is not a node", c.name)
	}
	var id xmltree.NameID = -1
	n := xmltree.NodeID(it.n)
	if it.k == KAttr {
		id = x.d.Attrs(n)[it.i].Name
	} else if x.d.Kind(n) == xmltree.ElementNode {
		id = x.d.NameID(n)
	}
	if id < 0 {
		return str1("")
	}
	name := x.d.NameOf(id)
	switch what {
	case 'l':
		return str1(name.Local)
	case 'u':
		return str1(name.Space)
	}
	return str1(x.qname(id))
}

// qname is the prefixed name of a name in this document, made once.
func (x *Context) qname(id xmltree.NameID) string {
	for int(id) >= len(x.qnames) {
		x.qnames = append(x.qnames, "")
	}
	if q := x.qnames[id]; q != "" {
		return q
	}
	q := x.d.NameOf(id).Local
	if p := x.d.Prefix(id); p != "" {
		q = p + ":" + q
	}
	x.qnames[id] = q
	return q
}
