//go:build !unix

package benchmarks

// cpuNow is not measured here: the cpu-ns/op metric reads 0.
func cpuNow() int64 { return 0 }
