//go:build !unix

package implicit

import "time"

// cpuTime is unavailable here; tables show zero CPU time.
func cpuTime() time.Duration { return 0 }
