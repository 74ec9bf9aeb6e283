package benchmarks

import (
	"runtime"
	"testing"
)

// BenchmarkOverhead serves the same action through every variant, in
// process, with a reusable request and an allocation-free writer. Its
// sub-benchmarks are named variant/payload, for benchstat. Besides ns/op it
// reports cpu-ns/op, the process's CPU time per request.
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
					// Collect the garbage the previous benchmark left, so
					// that none of its GC work is charged to this one.
					runtime.GC()
					cpu := cpuNow()
					for b.Loop() {
						req.Reset()
						w.Reset()
						v.Handler.ServeHTTP(w, req.R)
					}
					// The process's CPU time per request, GC included: with
					// -cpu 1 it is the work of this loop alone.
					b.ReportMetric(float64(cpuNow()-cpu)/float64(b.N), "cpu-ns/op")
					if w.Code != 200 || w.N < len(c.Data) {
						b.Fatalf("%s/%s answered %d with %d bytes", name, c.Payload, w.Code, w.N)
					}
				})
			}
		})
	}
}
