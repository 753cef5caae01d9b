package classical

// RK4 is the classical fourth-order Runge–Kutta method (Hairer, Nørsett &
// Wanner, Solving ODEs I, §II.1, Table 1.2).
type RK4 struct {
	sys                System
	k1, k2, k3, k4, us []float64
}

var _ Stepper = (*RK4)(nil)

// NewRK4 returns an RK4 stepper with workspaces for sys.
func NewRK4(sys System) *RK4 {
	n := sys.Dim()
	return &RK4{
		sys: sys,
		k1:  make([]float64, n), k2: make([]float64, n),
		k3: make([]float64, n), k4: make([]float64, n),
		us: make([]float64, n),
	}
}

// Order returns 4.
func (*RK4) Order() int { return 4 }

// Step advances u from t to t+dt into dst.
func (s *RK4) Step(dst []float64, t, dt float64, u []float64) error {
	n := s.sys.Dim()
	checkLen("RK4 dst", len(dst), n)
	checkLen("RK4 u", len(u), n)
	f := s.sys.Func
	f(s.k1, t, u)
	for i := range s.us {
		s.us[i] = u[i] + 0.5*dt*s.k1[i]
	}
	f(s.k2, t+0.5*dt, s.us)
	for i := range s.us {
		s.us[i] = u[i] + 0.5*dt*s.k2[i]
	}
	f(s.k3, t+0.5*dt, s.us)
	for i := range s.us {
		s.us[i] = u[i] + dt*s.k3[i]
	}
	f(s.k4, t+dt, s.us)
	for i := range dst {
		dst[i] = u[i] + dt/6*(s.k1[i]+2*(s.k2[i]+s.k3[i])+s.k4[i])
	}
	return nil
}
