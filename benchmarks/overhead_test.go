package benchmarks

import (
	"testing"
)

// BenchmarkOverhead serves the same action through every variant, in
// process, with a reusable request and an allocation-free writer. Its
// sub-benchmarks are named variant/payload, for benchstat.
func BenchmarkOverhead(b *testing.B) {
	cases := Cases()
	for i, name := range VariantNames {
		b.Run(name, func(b *testing.B) {
			for _, c := range cases {
				v := c.Variants[i]
				if v.Name != name {
					b.Fatalf("variant %d is %s, not %s", i, v.Name, name)
				}
				b.Run(c.Payload, func(b *testing.B) {
					req, w := NewRequest(c.Request), NewWriter()
					b.SetBytes(int64(len(c.Limit)))
					b.ReportAllocs()
					for b.Loop() {
						req.Reset()
						w.Reset()
						v.Handler.ServeHTTP(w, req.R)
					}
					if w.Code != 200 || w.N < len(c.Data) {
						b.Fatalf("%s/%s answered %d with %d bytes", name, c.Payload, w.Code, w.N)
					}
				})
			}
		})
	}
}
