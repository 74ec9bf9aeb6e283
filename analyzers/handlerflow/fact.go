package handlerflow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// An Access names part of a function's value slot: for a method, slot 0 is
// the receiver and slot i+1 its parameter i; for a function, slot i is
// parameter i. Path is "" for the whole value, or the fields followed from
// it, such as ".out" or ".log.core".
type Access struct {
	Slot int
	Path string
}

// A Store says where part of one of a function's slots goes: Access is
// the part, Field the path where it goes in the receiver (Stores) or in
// the result (Result); "" is the receiver or the result as a whole.
type Store struct {
	Access
	Field string
}

// Fact says what a function does to the writers it is given. It is attached
// to functions and methods that set a status on, write a body to, return,
// or store in their receiver part of at least one of their slots.
type Fact struct {
	Status []Access // parts whose writer gets a status
	Body   []Access // parts whose writer gets a body
	Result []Store  // parts that the results carry, and where (json.NewEncoder's w, in its field w)
	// LaterStatus and LaterBody are the parts whose writer gets a status
	// or a body from a function literal that the function returns or
	// stores, when that is called (expfmt.NewEncoder's w).
	LaterStatus, LaterBody []Access
	Stores                 []Store  // parts a method stores in its receiver (gzip.Writer's Reset)
	Names                  []string // slot names, for String
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String lists the parts by name, for example "status:w body:b.w
// returns.w:w stores.conns:w".
func (f *Fact) String() string {
	var out []string
	for _, k := range []struct {
		label string
		list  []Access
	}{{"status", f.Status}, {"body", f.Body}, {"later-status", f.LaterStatus}, {"later-body", f.LaterBody}} {
		for _, a := range k.list {
			out = append(out, k.label+":"+f.name(a))
		}
	}
	for _, r := range f.Result {
		out = append(out, "returns"+r.Field+":"+f.name(r.Access))
	}
	for _, s := range f.Stores {
		out = append(out, "stores"+s.Field+":"+f.name(s.Access))
	}
	return strings.Join(out, " ")
}

func (f *Fact) name(a Access) string {
	if a.Slot < len(f.Names) {
		return f.Names[a.Slot] + a.Path
	}
	return fmt.Sprintf("#%d%s", a.Slot, a.Path)
}

func (f *Fact) empty() bool {
	return len(f.Status) == 0 && len(f.Body) == 0 && len(f.LaterStatus) == 0 && len(f.LaterBody) == 0 &&
		len(f.Result) == 0 && len(f.Stores) == 0
}

func (f *Fact) equal(g *Fact) bool {
	return slices.Equal(f.Status, g.Status) && slices.Equal(f.Body, g.Body) &&
		slices.Equal(f.LaterStatus, g.LaterStatus) && slices.Equal(f.LaterBody, g.LaterBody) &&
		slices.Equal(f.Result, g.Result) && slices.Equal(f.Stores, g.Stores)
}

func slotName(name string, i int) string {
	if name == "" || name == "_" {
		return fmt.Sprintf("#%d", i)
	}
	return name
}

// paths returns the paths of slot in list.
func paths(list []Access, slot int) []string {
	var out []string
	for _, a := range list {
		if a.Slot == slot {
			out = append(out, a.Path)
		}
	}
	return out
}

// minimal sorts list and drops every access within another one: writing
// to w covers writing to w.buf.
func minimal(list []Access) []Access {
	slices.SortFunc(list, func(a, b Access) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return strings.Compare(a.Path, b.Path)
	})
	out := list[:0]
	for _, a := range list {
		if n := len(out); n > 0 && out[n-1].Slot == a.Slot && within(a.Path, out[n-1].Path) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// GobEncode encodes f compactly: facts are encoded for every function of
// every dependency that writes, so their size is part of the tool's cost.
func (f *Fact) GobEncode() ([]byte, error) {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, list := range [][]Access{f.Status, f.Body, f.LaterStatus, f.LaterBody} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, a := range list {
			b = binary.AppendUvarint(b, uint64(a.Slot))
			str(a.Path)
		}
	}
	for _, list := range [][]Store{f.Result, f.Stores} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			b = binary.AppendUvarint(b, uint64(s.Slot))
			str(s.Path)
			str(s.Field)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(f.Names)))
	for _, n := range f.Names {
		str(n)
	}
	return b, nil
}

// GobDecode decodes what GobEncode encoded.
func (f *Fact) GobDecode(b []byte) error {
	bad := false
	num := func() int {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > uint64(len(b)) && v > 1<<20 {
			bad = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	str := func() string {
		n := num()
		if bad || n > len(b) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	*f = Fact{}
	for _, list := range []*[]Access{&f.Status, &f.Body, &f.LaterStatus, &f.LaterBody} {
		for n := num(); n > 0 && !bad; n-- {
			*list = append(*list, Access{num(), str()})
		}
	}
	for _, list := range []*[]Store{&f.Result, &f.Stores} {
		for n := num(); n > 0 && !bad; n-- {
			slot, path := num(), str()
			*list = append(*list, Store{Access{slot, path}, str()})
		}
	}
	for n := num(); n > 0 && !bad; n-- {
		f.Names = append(f.Names, str())
	}
	if bad || len(b) != 0 {
		return errors.New("handlerflow: malformed fact")
	}
	return nil
}

// minimalStores sorts list and drops duplicates.
func minimalStores(list []Store) []Store {
	slices.SortFunc(list, func(a, b Store) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Field, b.Field)
	})
	return slices.Compact(list)
}
