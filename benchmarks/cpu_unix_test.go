//go:build unix

package benchmarks

import "syscall"

// cpuNow is the process's user and system CPU time, in nanoseconds. On a
// shared machine it is a steadier measure than the wall clock: time spent
// waiting for the core while other processes run is not counted.
func cpuNow() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
