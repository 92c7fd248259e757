//go:build unix

package bench

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used (user and system, all
// threads). On a shared machine CPU per row measures our code, where
// wall-clock time also measures the neighbours; on SQLite it includes the
// database engine (in-process), on PostgreSQL only the client side.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
