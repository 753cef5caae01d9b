package train

import "math"

// wolfeSearch is the line search of Nocedal & Wright (2006), Numerical
// Optimization, 2nd ed., Algorithm 3.5 (bracketing) and Algorithm 3.6
// (zoom), with trial points from the cubic interpolation of eq. (3.59),
// safeguarded away from the ends of the bracket. It finds α with
//
//	φ(α) ≤ φ(0) + c₁ α φ'(0)   and   |φ'(α)| ≤ c₂ |φ'(0)|   (strong Wolfe).
type wolfeSearch struct {
	c1, c2   float64
	maxEvals int
	evals    int
	phi      func(alpha float64) (f, d float64, err error)
}

// search returns the accepted step and the loss there. ok is false when no
// point of sufficient decrease was found (alpha is then 0). When the
// evaluation budget runs out first, the best point of sufficient decrease
// seen is accepted without the curvature condition.
func (ls *wolfeSearch) search(f0, d0, alpha1 float64) (alpha, f float64, ok bool, err error) {
	ls.evals = 0
	aPrev, fPrev, dPrev := 0.0, f0, d0
	a := alpha1
	for i := 0; ls.evals < ls.maxEvals; i++ {
		fa, da, err := ls.eval(a)
		if err != nil {
			return 0, f0, false, err
		}
		if fa > f0+ls.c1*a*d0 || (i > 0 && fa >= fPrev) {
			return ls.zoom(f0, d0, aPrev, fPrev, dPrev, a, fa, da)
		}
		if math.Abs(da) <= -ls.c2*d0 {
			return a, fa, true, nil
		}
		if da >= 0 {
			return ls.zoom(f0, d0, a, fa, da, aPrev, fPrev, dPrev)
		}
		// Extrapolate: the cubic's minimiser, kept within
		// [a + 1.1(a−aPrev), a + 4(a−aPrev)] as Moré & Thuente do.
		lo, hi := a+1.1*(a-aPrev), a+4*(a-aPrev)
		next := cubicMin(aPrev, fPrev, dPrev, a, fa, da)
		if math.IsNaN(next) || next < lo || next > hi {
			next = hi
		}
		aPrev, fPrev, dPrev = a, fa, da
		a = next
	}
	if aPrev > 0 {
		return aPrev, fPrev, true, nil
	}
	return 0, f0, false, nil
}

// zoom is Algorithm 3.6: lo satisfies sufficient decrease with the lowest
// loss seen, and the bracket [lo, hi] contains a strong-Wolfe point.
func (ls *wolfeSearch) zoom(f0, d0, lo, flo, dlo, hi, fhi, dhi float64) (float64, float64, bool, error) {
	for ls.evals < ls.maxEvals {
		w := hi - lo
		if math.Abs(w) <= 1e-14*math.Max(math.Abs(lo), math.Abs(hi)) {
			break
		}
		a := cubicMin(lo, flo, dlo, hi, fhi, dhi)
		left, right := math.Min(lo, hi), math.Max(lo, hi)
		margin := 0.1 * math.Abs(w)
		if math.IsNaN(a) || a < left+margin || a > right-margin {
			a = lo + 0.5*w
		}
		fa, da, err := ls.eval(a)
		if err != nil {
			return 0, f0, false, err
		}
		if fa > f0+ls.c1*a*d0 || fa >= flo {
			hi, fhi, dhi = a, fa, da
			continue
		}
		if math.Abs(da) <= -ls.c2*d0 {
			return a, fa, true, nil
		}
		if da*(hi-lo) >= 0 {
			hi, fhi, dhi = lo, flo, dlo
		}
		lo, flo, dlo = a, fa, da
	}
	if lo > 0 {
		return lo, flo, true, nil
	}
	return 0, f0, false, nil
}

func (ls *wolfeSearch) eval(a float64) (float64, float64, error) {
	ls.evals++
	f, d, err := ls.phi(a)
	if math.IsNaN(f) || math.IsInf(f, 0) || math.IsNaN(d) || math.IsInf(d, 0) {
		// A step into an overflowing region counts as no decrease.
		return math.Inf(1), math.Inf(1), err
	}
	return f, d, err
}

// cubicMin returns the minimiser of the cubic interpolating φ and φ' at a
// and b, Nocedal & Wright eq. (3.59), or NaN when it does not exist.
func cubicMin(a, fa, da, b, fb, db float64) float64 {
	if math.IsInf(fa, 0) || math.IsInf(fb, 0) {
		return math.NaN()
	}
	d1 := da + db - 3*(fa-fb)/(a-b)
	disc := d1*d1 - da*db
	if disc < 0 {
		return math.NaN()
	}
	d2 := math.Copysign(math.Sqrt(disc), b-a)
	den := db - da + 2*d2
	if den == 0 {
		return math.NaN()
	}
	return b - (b-a)*(db+d2-d1)/den
}
