//go:build unix

package implicit

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user + system CPU time: on a shared,
// loaded machine it measures a solver's cost where wall time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
