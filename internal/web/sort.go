package web

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"iel/internal/store"
)

// sortFrench sorts accounts by name then first name, as a French reader
// expects (accents and case are secondary, "É" sorts with "E").
func sortFrench(ops []store.Operator) {
	c := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(ops, func(a, b store.Operator) int {
		if n := c.CompareString(a.LastName, b.LastName); n != 0 {
			return n
		}
		return c.CompareString(a.FirstName, b.FirstName)
	})
}

// sortFrenchBy sorts xs by nom then prénom as sortFrench does; name gives
// the two of an element. Equal names keep their order.
func sortFrenchBy[T any](xs []T, name func(T) (last, first string)) {
	c := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(xs, func(a, b T) int {
		al, af := name(a)
		bl, bf := name(b)
		if n := c.CompareString(al, bl); n != 0 {
			return n
		}
		return c.CompareString(af, bf)
	})
}
