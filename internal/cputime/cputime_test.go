package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Busy work on this goroutine advances the process's CPU time, however
// loaded the machine is (the test waits up to 10 s for 20 ms of it).
func TestProcess(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no CPU time here")
	}
	c0, w0 := Process(), time.Now()
	x := 1.0
	for Process()-c0 < 20*time.Millisecond {
		if time.Since(w0) > 10*time.Second {
			t.Fatalf("CPU time advanced %v in 10 s of busy work (x = %g)", Process()-c0, x)
		}
		for range 10000 {
			x = x*1.0000001 + 1e-9
		}
	}
	if c1 := Process(); c1 < c0 {
		t.Errorf("CPU time went back from %v to %v", c0, c1)
	}
}
