package nn

import "runtime"

type runtimeStats struct{ heap uint64 }

// read records the live heap after a full collection.
func (s *runtimeStats) read() {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.heap = m.HeapAlloc
}
