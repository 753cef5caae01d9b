package fno

import (
	"time"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

// cpuTime returns the CPU time (user + system) the process has used.
func cpuTime() time.Duration { return cputime.Process() }
