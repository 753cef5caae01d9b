package classical

// Butcher tableau of Dormand & Prince (1980), the method DOPRI5 of Hairer,
// Nørsett & Wanner, Solving ODEs I, §II.5, Table 5.2.
const (
	dpC2, dpC3, dpC4, dpC5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA21 = 1.0 / 5

	dpA31, dpA32 = 3.0 / 40, 9.0 / 40

	dpA41, dpA42, dpA43 = 44.0 / 45, -56.0 / 15, 32.0 / 9

	dpA51, dpA52, dpA53, dpA54 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729

	dpA61, dpA62, dpA63, dpA64, dpA65 = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656

	// The fifth-order weights, also the last row of A (first same as last).
	dpB1, dpB3, dpB4, dpB5, dpB6 = 35.0 / 384, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84

	// The error weights b − b̂, b̂ the embedded fourth-order weights.
	dpE1, dpE3, dpE4, dpE5, dpE6, dpE7 = 71.0 / 57600, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40
)

// DormandPrince is the explicit Runge–Kutta 5(4) pair of Dormand & Prince
// (1980): a fifth-order step with an embedded fourth-order error estimate.
// It uses the first-same-as-last property: when a step starts where the
// previous one ended (same t, same u), its first stage is reused, so an
// accepted step costs six evaluations of f.
type DormandPrince struct {
	sys                        System
	k1, k2, k3, k4, k5, k6, k7 []float64
	us                         []float64

	// The end point of the last step and f there, for FSAL.
	lastU    []float64
	lastT    float64
	lastGood bool
}

var _ Embedded = (*DormandPrince)(nil)

// NewDormandPrince returns a Dormand–Prince 5(4) stepper with workspaces for
// sys.
func NewDormandPrince(sys System) *DormandPrince {
	n := sys.Dim()
	mk := func() []float64 { return make([]float64, n) }
	return &DormandPrince{
		sys: sys,
		k1:  mk(), k2: mk(), k3: mk(), k4: mk(), k5: mk(), k6: mk(), k7: mk(),
		us: mk(), lastU: mk(),
	}
}

// Order returns 5.
func (*DormandPrince) Order() int { return 5 }

// ErrorOrder returns 4.
func (*DormandPrince) ErrorOrder() int { return 4 }

// Step advances u from t to t+dt into dst.
func (s *DormandPrince) Step(dst []float64, t, dt float64, u []float64) error {
	return s.StepError(dst, nil, t, dt, u)
}

// StepError advances u from t to t+dt into dst and, if errEst is not nil,
// writes the difference between the fifth- and fourth-order solutions into
// it.
func (s *DormandPrince) StepError(dst, errEst []float64, t, dt float64, u []float64) error {
	n := s.sys.Dim()
	checkLen("DormandPrince dst", len(dst), n)
	checkLen("DormandPrince u", len(u), n)
	if errEst != nil {
		checkLen("DormandPrince errEst", len(errEst), n)
	}
	f := s.sys.Func
	if s.lastGood && t == s.lastT && equalSlices(u, s.lastU) {
		copy(s.k1, s.k7)
	} else {
		f(s.k1, t, u)
	}
	k1, k2, k3, k4, k5, k6, k7, us := s.k1, s.k2, s.k3, s.k4, s.k5, s.k6, s.k7, s.us
	for i := range us {
		us[i] = u[i] + dt*dpA21*k1[i]
	}
	f(k2, t+dpC2*dt, us)
	for i := range us {
		us[i] = u[i] + dt*(dpA31*k1[i]+dpA32*k2[i])
	}
	f(k3, t+dpC3*dt, us)
	for i := range us {
		us[i] = u[i] + dt*(dpA41*k1[i]+dpA42*k2[i]+dpA43*k3[i])
	}
	f(k4, t+dpC4*dt, us)
	for i := range us {
		us[i] = u[i] + dt*(dpA51*k1[i]+dpA52*k2[i]+dpA53*k3[i]+dpA54*k4[i])
	}
	f(k5, t+dpC5*dt, us)
	for i := range us {
		us[i] = u[i] + dt*(dpA61*k1[i]+dpA62*k2[i]+dpA63*k3[i]+dpA64*k4[i]+dpA65*k5[i])
	}
	f(k6, t+dt, us)
	for i := range us {
		us[i] = u[i] + dt*(dpB1*k1[i]+dpB3*k3[i]+dpB4*k4[i]+dpB5*k5[i]+dpB6*k6[i])
	}
	f(k7, t+dt, us)
	if errEst != nil {
		for i := range errEst {
			errEst[i] = dt * (dpE1*k1[i] + dpE3*k3[i] + dpE4*k4[i] + dpE5*k5[i] + dpE6*k6[i] + dpE7*k7[i])
		}
	}
	copy(s.lastU, us)
	s.lastT = t + dt
	s.lastGood = true
	copy(dst, us)
	return nil
}

func equalSlices(a, b []float64) bool {
	for i, v := range a {
		if b[i] != v {
			return false
		}
	}
	return true
}
