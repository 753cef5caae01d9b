package classical

import "math"

// Controller chooses step sizes for adaptive integration from the local
// error estimates of an Embedded stepper. It is separate from the stepper, as
// in diffrax, so that any embedded pair can be driven by any controller.
type Controller interface {
	// Reset prepares the controller for a new integration.
	Reset()
	// Adapt judges a step of size dt that took u0 to u1 with local error
	// estimate errEst, made by a stepper whose embedded solution has order
	// q. It reports whether to accept the step and the size of the next
	// step (the retry, when rejected). ok is false when no acceptable step
	// size is left (the step would have to fall below the minimum).
	Adapt(dt float64, u0, u1, errEst []float64, q int) (accept bool, next float64, ok bool)
}

// PIController is the proportional–integral step-size controller of
// Gustafsson (1991) as used in DOPRI5 (Hairer & Wanner, Solving ODEs II,
// §IV.2, eq. 2.43c; Hairer, Nørsett & Wanner, Solving ODEs I, §II.4):
//
//	dt_next = dt · Safety · err_n^(−β₁) · err_{n−1}^(β₂),
//
// clipped to a factor in [FacMin, FacMax], with
//
//	err = √(mean_i (e_i / (ATol + RTol·max(|u0_i|, |u1_i|)))²)
//
// and a step accepted when err ≤ 1. Zero fields take the defaults given on
// each. After a rejection the step never grows.
type PIController struct {
	// RTol and ATol are the relative and absolute tolerances; zero means
	// 1e-6 and 1e-9.
	RTol, ATol float64
	// DtMin and DtMax bound the step size; zero DtMin means no bound other
	// than a step too small to change t, zero DtMax means no upper bound.
	DtMin, DtMax float64
	// Safety is the safety factor; zero means 0.9.
	Safety float64
	// FacMin and FacMax bound the factor by which one step may change the
	// step size; zero means 0.2 and 10.
	FacMin, FacMax float64
	// Beta1 and Beta2 are the PI exponents, for a method whose error
	// estimate has order q = 4; they are rescaled by 5/(q+1) for other q.
	// Zero means DOPRI5's 0.17 and 0.04 (β₂ = 0.04, β₁ = 0.2 − 0.75·β₂).
	Beta1, Beta2 float64

	prevErr  float64
	rejected bool
}

var _ Controller = (*PIController)(nil)

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Reset forgets the error history.
func (c *PIController) Reset() {
	c.prevErr = 1e-4
	c.rejected = false
}

// ErrorNorm returns the scaled RMS norm of errEst used to judge a step.
func (c *PIController) ErrorNorm(u0, u1, errEst []float64) float64 {
	rtol, atol := orDefault(c.RTol, 1e-6), orDefault(c.ATol, 1e-9)
	var sum float64
	for i, e := range errEst {
		sc := atol + rtol*math.Max(math.Abs(u0[i]), math.Abs(u1[i]))
		r := e / sc
		sum += r * r
	}
	return math.Sqrt(sum / float64(len(errEst)))
}

// Adapt implements Controller.
func (c *PIController) Adapt(dt float64, u0, u1, errEst []float64, q int) (accept bool, next float64, ok bool) {
	if c.prevErr == 0 {
		c.Reset()
	}
	safety := orDefault(c.Safety, 0.9)
	facMin, facMax := orDefault(c.FacMin, 0.2), orDefault(c.FacMax, 10)
	scale := 5 / float64(q+1)
	beta1, beta2 := scale*orDefault(c.Beta1, 0.17), scale*orDefault(c.Beta2, 0.04)

	err := c.ErrorNorm(u0, u1, errEst)
	var fac float64
	switch {
	case math.IsNaN(err) || math.IsInf(err, 0):
		accept, fac = false, facMin
	case err <= 1:
		accept = true
		fac = safety * math.Pow(math.Max(err, 1e-10), -beta1) * math.Pow(c.prevErr, beta2)
		if c.rejected {
			fac = math.Min(fac, 1)
		}
		c.prevErr = math.Max(err, 1e-4)
	default:
		accept = false
		fac = safety * math.Pow(err, -beta1)
	}
	c.rejected = !accept
	fac = math.Max(facMin, math.Min(facMax, fac))
	next = dt * fac
	if c.DtMax > 0 && next > c.DtMax {
		next = c.DtMax
	}
	if c.DtMin > 0 && next < c.DtMin {
		if !accept && dt <= c.DtMin {
			return false, dt, false
		}
		next = c.DtMin
	}
	return accept, next, true
}
