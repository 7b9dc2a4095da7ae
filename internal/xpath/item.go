package xpath

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Kind is the dynamic type of an Item.
type Kind uint8

// Item kinds. Document, element and text nodes share KNode (the tree knows
// which); attributes are not tree nodes, so they carry their owner and
// index.
const (
	KNode    Kind = iota // n: NodeID
	KAttr                // n: owner element, i: index in Attrs(owner)
	KUntyped             // s: xs:untypedAtomic
	KString              // s
	KBool                // i: 0 or 1
	KInteger             // i, or d when n == bigInt
	KDecimal             // i × 10^e when n == smallDec, else d
	KDouble              // i: IEEE bits
	KDate                // i: days since 1970-01-01, n: timezone minutes or noTZ
)

const (
	bigInt   = 1             // n of a KInteger whose value is in d
	smallDec = 2             // n of a KDecimal whose value is i × 10^e
	noTZ     = math.MinInt32 // n of a KDate without timezone
)

var kindNames = [...]string{
	KNode: "node()", KAttr: "attribute()", KUntyped: "xs:untypedAtomic", KString: "xs:string",
	KBool: "xs:boolean", KInteger: "xs:integer", KDecimal: "xs:decimal", KDouble: "xs:double", KDate: "xs:date",
}

func (k Kind) String() string { return kindNames[k] }

// Item is one XPath value: a node or an atomic value.
type Item struct {
	k Kind
	e int8 // exponent of a small xs:decimal (n == smallDec)
	n int32
	i int64
	s string
	d decimal.Decimal
}

// Kind says what the item is.
func (it Item) Kind() Kind { return it.k }

// Node returns the NodeID of a node item (for an attribute, its owner
// element).
func (it Item) Node() xmltree.NodeID { return xmltree.NodeID(it.n) }

// IsNode reports whether the item is a node (attributes included).
func (it Item) IsNode() bool { return it.k <= KAttr }

func (it Item) isNumeric() bool { return it.k >= KInteger && it.k <= KDouble }

func nodeItem(n xmltree.NodeID) Item { return Item{k: KNode, n: int32(n)} }
func attrItem(owner xmltree.NodeID, idx int) Item {
	return Item{k: KAttr, n: int32(owner), i: int64(idx)}
}
func strItem(s string) Item  { return Item{k: KString, s: s} }
func untyped(s string) Item  { return Item{k: KUntyped, s: s} }
func intItem(v int64) Item   { return Item{k: KInteger, i: v} }
func dblItem(v float64) Item { return Item{k: KDouble, i: int64(math.Float64bits(v))} }

// decItem makes a decimal item, small when the coefficient and exponent
// fit (the value and its scale are kept exactly as given).
func decItem(v decimal.Decimal) Item {
	if v.NumDigits() <= 18 {
		if e := v.Exponent(); e >= math.MinInt8 && e <= math.MaxInt8 {
			return Item{k: KDecimal, n: smallDec, i: v.CoefficientInt64(), e: int8(e)}
		}
	}
	return Item{k: KDecimal, d: v}
}

// smallDecItem makes the decimal c × 10^e without math/big when the
// exponent fits.
func smallDecItem(c int64, e int32) Item {
	if e >= math.MinInt8 && e <= math.MaxInt8 && c != math.MinInt64 {
		return Item{k: KDecimal, n: smallDec, i: c, e: int8(e)}
	}
	return Item{k: KDecimal, d: decimal.New(c, e)}
}

// small returns an xs:integer or xs:decimal item as c × 10^e when it is
// held without math/big.
func (it Item) small() (c int64, e int32, ok bool) {
	switch {
	case it.k == KInteger && it.n != bigInt:
		return it.i, 0, true
	case it.k == KDecimal && it.n == smallDec:
		return it.i, int32(it.e), true
	}
	return 0, 0, false
}

func boolItem(b bool) Item {
	if b {
		return Item{k: KBool, i: 1}
	}
	return Item{k: KBool}
}

// bigIntItem makes an integer item from a decimal, dropping any fraction
// and keeping it in int64 when it fits.
func bigIntItem(v decimal.Decimal) Item {
	bi := v.Truncate(0).BigInt()
	if bi.IsInt64() {
		return intItem(bi.Int64())
	}
	return Item{k: KInteger, n: bigInt, d: decimal.NewFromBigInt(bi, 0)}
}

func (it Item) dbl() float64  { return math.Float64frombits(uint64(it.i)) }
func (it Item) boolean() bool { return it.i != 0 }

// dec returns an integer or decimal item as a decimal.
func (it Item) dec() decimal.Decimal {
	if it.k == KInteger && it.n != bigInt {
		return decimal.NewFromInt(it.i)
	}
	if it.k == KDecimal && it.n == smallDec {
		return decimal.New(it.i, int32(it.e))
	}
	return it.d
}

// Seq is a sequence of items. A sequence of zero or one item needs no
// allocation, which is what most of a rule's subexpressions produce.
type Seq struct {
	n    int
	one  Item
	many []Item
}

// Empty is the empty sequence.
var Empty Seq

// Single is a one-item sequence.
func Single(it Item) Seq { return Seq{n: 1, one: it} }

// SeqOf makes a sequence of items; it keeps the slice.
func SeqOf(items []Item) Seq {
	switch len(items) {
	case 0:
		return Seq{}
	case 1:
		return Seq{n: 1, one: items[0]}
	}
	return Seq{n: len(items), many: items}
}

// Len is the number of items.
func (s Seq) Len() int { return s.n }

// At returns item i.
func (s Seq) At(i int) Item {
	if s.many != nil {
		return s.many[i]
	}
	return s.one
}

// Items returns the items as a slice (allocating for a single item).
func (s Seq) Items() []Item {
	if s.many != nil {
		return s.many
	}
	if s.n == 1 {
		return []Item{s.one}
	}
	return nil
}

// appendTo adds the items to a slice.
func (s Seq) appendTo(out []Item) []Item {
	if s.many != nil {
		return append(out, s.many...)
	}
	if s.n == 1 {
		return append(out, s.one)
	}
	return out
}
