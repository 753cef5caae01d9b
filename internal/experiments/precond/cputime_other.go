//go:build !unix

package precond

import "time"

// cpuTime is unknown off unix; it reports zero.
func cpuTime() time.Duration { return 0 }
