package nn

import (
	"math"
	"runtime"
	"sync"
)

// GELUDeriv sets y = x·Φ(x), the exact GELU of Hendrycks and Gimpel
// (2016), and d = Φ(x) + x·φ(x), its derivative, elementwise over x; y may
// be x, and a wrong length panics. Φ comes from W. J. Cody's rational
// Chebyshev approximations of erf and erfc ("Rational Chebyshev
// approximations for the error function", Math. Comp. 23, 1969; netlib
// specfun CALERF), written so that the one exponential exp(−x²/2) serves
// both erfc and the density φ: one exp per element instead of the two or
// three of math.Erf plus math.Exp, with the same double-precision accuracy.
// Large arrays are split across GOMAXPROCS goroutines.
func GELUDeriv(y, d, x []float64) {
	if len(y) != len(x) || len(d) != len(x) {
		panic("nn: GELUDeriv slices of different lengths")
	}
	geluSplit(y, d, x)
}

// GELUValues sets y = x·Φ(x) elementwise over x, as GELUDeriv does without the
// derivative (for forward passes that keep nothing for a backward pass);
// near zero it needs no exponential at all. y may be x, and a wrong length
// panics.
func GELUValues(y, x []float64) {
	if len(y) != len(x) {
		panic("nn: GELUValues slices of different lengths")
	}
	geluSplit(y, nil, x)
}

// geluSplit runs geluDeriv (d nil: values only) on GOMAXPROCS goroutines
// for large arrays.
func geluSplit(y, d, x []float64) {
	nw := runtime.GOMAXPROCS(0)
	if len(x) < 1<<14 {
		nw = 1
	}
	if nw == 1 {
		geluDeriv(y, d, x)
		return
	}
	var wg sync.WaitGroup
	for w := range nw {
		lo, hi := w*len(x)/nw, (w+1)*len(x)/nw
		var dw []float64
		if d != nil {
			dw = d[lo:hi]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			geluDeriv(y[lo:hi], dw, x[lo:hi])
		}()
	}
	wg.Wait()
}

// geluDeriv sets y and, unless d is nil, d (see GELUDeriv).
func geluDeriv(y, d, x []float64) {
	const (
		invSqrt2   = 1 / math.Sqrt2
		invSqrt2Pi = 0.3989422804014326779399460599343818684758586311649346576659258296
		sqrtPiInv  = 5.6418958354775628695e-1
	)
	y = y[:len(x)]
	for i, v := range x {
		z := math.Abs(v) * invSqrt2
		var e float64   // exp(−v²/2), for erfc and φ
		var cdf float64 // Φ(v)
		switch {
		case z <= 0.46875:
			if d != nil {
				e = math.Exp(-0.5 * v * v)
			}
			t := z * z
			num := ((((1.85777706184603153e-1*t+3.16112374387056560e0)*t+1.13864154151050156e2)*t+3.77485237685302021e2)*t + 3.20937758913846947e3)
			den := ((((t+2.36012909523441209e1)*t+2.44024637934444173e2)*t+1.28261652607737228e3)*t + 2.84423683343917062e3)
			cdf = 0.5 + 0.5*v*invSqrt2*num/den
		default:
			e = math.Exp(-0.5 * v * v)
			var erfc float64
			if z <= 4 {
				num := (((((((2.15311535474403846e-8*z+5.64188496988670089e-1)*z+8.88314979438837594e0)*z+6.61191906371416295e1)*z+2.98635138197400131e2)*z+8.81952221241769090e2)*z+1.71204761263407058e3)*z+2.05107837782607147e3)*z + 1.23033935479799725e3
				den := (((((((z+1.57449261107098347e1)*z+1.17693950891312499e2)*z+5.37181101862009858e2)*z+1.62138957456669019e3)*z+3.29079923573345963e3)*z+4.36261909014324716e3)*z+3.43936767414372164e3)*z + 1.23033935480374942e3
				erfc = e * num / den
			} else {
				t := 1 / (z * z)
				num := ((((1.63153871373020978e-2*t+3.05326634961232344e-1)*t+3.60344899949804439e-1)*t+1.25781726111229246e-1)*t+1.60837851487422766e-2)*t + 6.58749161529837803e-4
				den := ((((t+2.56852019228982242e0)*t+1.87295284992346725e0)*t+5.27905102951428412e-1)*t+6.05183413124413191e-2)*t + 2.33520497626869185e-3
				erfc = e * (sqrtPiInv - t*num/den) / z
			}
			if v < 0 {
				cdf = 0.5 * erfc
			} else {
				cdf = 1 - 0.5*erfc
			}
		}
		if d != nil {
			d[i] = cdf + v*e*invSqrt2Pi
		}
		y[i] = v * cdf
	}
}
