//go:build amd64 && !openblas

package nn

//go:noescape
func gemm4x8(k int, a *float64, ars, acs int, b *float64, ldb int, c *float64, ldc int, add bool)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX2FMA reports whether the CPU and the operating system support
// AVX2 and FMA (CPUID leaf 1 ECX bits 12, 27, 28; XCR0 bits 1–2; leaf 7
// EBX bit 5).
func hasAVX2FMA() bool {
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return false
	}
	_, _, c, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if lo, _ := xgetbv(); lo&6 != 6 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<5) != 0
}

var haveGemmKernel = hasAVX2FMA()
