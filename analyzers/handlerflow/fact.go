package handlerflow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Slots is a set of a function's value slots: for a method, slot 0 is the
// receiver and slot i+1 its parameter i; for a function, slot i is parameter
// i. Slots past 63 are not tracked.
type Slots uint64

// Has reports whether slot i is in s.
func (s Slots) Has(i int) bool { return i >= 0 && i < 64 && s&(1<<uint(i)) != 0 }

// Fact says what a function does to the writers it is given. It is attached
// to functions and methods that set a status on, write a body to, return,
// or store in their receiver at least one of their slots.
type Fact struct {
	Status Slots    // slots whose writer gets a status
	Body   Slots    // slots whose writer gets a body
	Result Slots    // slots that the results carry (json.NewEncoder's w)
	Stores Slots    // slots a method stores in its receiver (gzip.Writer's init)
	Names  []string // slot names, for String
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String lists the slots by name, for example "status:w body:w".
func (f *Fact) String() string {
	var parts []string
	for _, k := range []struct {
		label string
		slots Slots
	}{{"status", f.Status}, {"body", f.Body}, {"returns", f.Result}, {"stores", f.Stores}} {
		for i := range f.Names {
			if k.slots.Has(i) {
				parts = append(parts, k.label+":"+f.Names[i])
			}
		}
	}
	return strings.Join(parts, " ")
}

func (f *Fact) empty() bool { return f.Status == 0 && f.Body == 0 && f.Result == 0 && f.Stores == 0 }

func (f *Fact) equal(g *Fact) bool {
	return f.Status == g.Status && f.Body == g.Body && f.Result == g.Result && f.Stores == g.Stores
}

func slotName(name string, i int) string {
	if name == "" || name == "_" {
		return fmt.Sprintf("#%d", i)
	}
	return name
}

// GobEncode encodes f compactly: facts are encoded for every function of
// every dependency that writes, so their size is the tool's cost.
func (f *Fact) GobEncode() ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(f.Status))
	b = binary.AppendUvarint(b, uint64(f.Body))
	b = binary.AppendUvarint(b, uint64(f.Result))
	b = binary.AppendUvarint(b, uint64(f.Stores))
	return append(b, strings.Join(f.Names, ",")...), nil
}

// GobDecode decodes what GobEncode encoded.
func (f *Fact) GobDecode(b []byte) error {
	var fields [4]uint64
	for i := range fields {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("handlerflow: malformed fact")
		}
		fields[i], b = v, b[n:]
	}
	f.Status, f.Body, f.Result, f.Stores = Slots(fields[0]), Slots(fields[1]), Slots(fields[2]), Slots(fields[3])
	f.Names = nil
	if len(b) > 0 {
		f.Names = strings.Split(string(b), ",")
	}
	return nil
}
