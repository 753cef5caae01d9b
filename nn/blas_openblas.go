//go:build openblas

package nn

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// With -tags openblas (cgo and Debian's libopenblas-dev), every float64
// BLAS call of the program, the dense layers' products included, goes to
// OpenBLAS through gonum's netlib wrapper:
//
//	go test -tags openblas ./nn -run '^$' -bench LaplacianStep
//
// OpenBLAS runs one thread unless OPENBLAS_NUM_THREADS says otherwise: its
// waiting threads spin, and on a shared 2-core machine more threads made
// the Laplacian step 2–3× slower whenever other processes ran.
func init() {
	if os.Getenv("OPENBLAS_NUM_THREADS") == "" {
		C.openblas_set_num_threads(1)
	}
	blas64.Use(netlib.Implementation{})
	splitKParts = 1 // OpenBLAS parallelises every product itself
}
