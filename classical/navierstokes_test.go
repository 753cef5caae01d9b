package classical

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/pde"
)

// nsPreset returns a copy of the named 2-D preset.
func nsPreset(t testing.TB, name string) *pde.Preset2D {
	t.Helper()
	p, err := pde.Lookup2D(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// nsRandomField returns a smooth periodic n×n field: random modes with
// |k_x|, |k_y| ≤ kmax and amplitude amp, plus the constant mean.
func nsRandomField(n, kmax int, amp, mean float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	u := make([]float64, n*n)
	for kx := -kmax; kx <= kmax; kx++ {
		for ky := 0; ky <= kmax; ky++ {
			a, b := amp*r.NormFloat64(), amp*r.NormFloat64()
			for i := range n {
				for j := range n {
					th := 2 * math.Pi * float64(kx*i*n+ky*j*n) / float64(n*n)
					u[i*n+j] += a*math.Cos(th) + b*math.Sin(th)
				}
			}
		}
	}
	for i := range u {
		u[i] += mean
	}
	return u
}

func nsGrid(p *pde.Preset2D, n int, f func(x, y float64) float64) []float64 {
	xs, ys := p.Grids(n)
	u := make([]float64, n*n)
	for i := range n {
		for j := range n {
			u[i*n+j] = f(xs.At(i), ys.At(j))
		}
	}
	return u
}

func TestNavierStokesTaylorGreen(t *testing.T) {
	cases := []struct {
		method string
		n      int
		k      int
		nu, dt float64
		tol    float64
	}{
		// The requirement: 1e-8 at t = 1 with ν = 1e-3. The
		// advection term vanishes, so the error is Crank–Nicolson's on
		// w_t = −λw, λ = 8π²k²ν: about λ³dt²t/12·|w|, 5e-10 for k = 1 at
		// the default step, 5e-9 for k = 3 at dt = 1e-4.
		{CNHeun, 32, 1, 1e-3, 0, 1e-8},
		{CNEuler, 32, 1, 1e-3, 0, 1e-8},
		// A size that is not a power of two goes through operators.Fourier2D.
		{CNHeun, 24, 1, 1e-3, 0, 1e-8},
		{CNHeun, 32, 3, 1e-3, 1e-4, 1e-8},
		// Faster decay, where that error shows at the default step.
		{CNHeun, 32, 2, 1e-2, 0, 5e-6},
	}
	for _, c := range cases {
		p := nsPreset(t, "taylor-green")
		p.PDE = pde.NavierStokes{Nu: c.nu}
		exact := pde.TaylorGreen(c.k, c.nu)
		s, err := NewNavierStokes2D(p, c.n, &Config2D{Method: c.method, Dt: c.dt})
		if err != nil {
			t.Fatal(err)
		}
		in := nsGrid(p, c.n, func(x, y float64) float64 { return exact(0, x, y) })
		want := nsGrid(p, c.n, func(x, y float64) float64 { return exact(1, x, y) })
		out := make([]float64, c.n*c.n)
		if err := s.Solve(out, in); err != nil {
			t.Fatal(err)
		}
		var e float64
		for i := range out {
			e = math.Max(e, math.Abs(out[i]-want[i]))
		}
		t.Logf("%s n=%d k=%d ν=%g: max error at t=1 %.3g", c.method, c.n, c.k, c.nu, e)
		if e > c.tol {
			t.Errorf("%s n=%d k=%d ν=%g: Taylor–Green max error %g at t = 1, want below %g", c.method, c.n, c.k, c.nu, e, c.tol)
		}
	}
}

func TestNavierStokesMeanVorticity(t *testing.T) {
	const n = 32
	p := nsPreset(t, "navier-stokes")
	for _, method := range []string{CNHeun, CNEuler} {
		s, err := NewNavierStokes2D(p, n, &Config2D{Method: method, StepsSaved: 2, Dt: 2e-3})
		if err != nil {
			t.Fatal(err)
		}
		in := nsRandomField(n, 5, 0.5, 0.3, 1)
		out := make([]float64, 2*n*n)
		if err := s.Solve(out, in); err != nil {
			t.Fatal(err)
		}
		mean := func(u []float64) float64 {
			var m float64
			for _, v := range u {
				m += v
			}
			return m / float64(len(u))
		}
		m0 := mean(in)
		for k := range 2 {
			w := out[k*n*n : (k+1)*n*n]
			var change float64
			for i := range w {
				change = math.Max(change, math.Abs(w[i]-in[i]))
			}
			if change < 0.01 {
				t.Errorf("%s: the flow did not evolve (max change %g)", method, change)
			}
			if d := math.Abs(mean(w) - m0); d > 1e-13 {
				t.Errorf("%s: mean vorticity %v at t = %d, started %v (change %g, want round-off)", method, mean(w), k+1, m0, d)
			}
		}
	}
}

// TestNavierStokesOrder checks the temporal order of both schemes by self
// convergence on a nonlinear forced flow: the differences between
// solutions at dt and dt/2 must fall as dt^order.
func TestNavierStokesOrder(t *testing.T) {
	const n = 32
	p := nsPreset(t, "navier-stokes")
	p.PDE = pde.NavierStokes{Nu: 5e-3}
	p.SaveEvery = 0.5
	in := nsRandomField(n, 4, 1, 0, 2)
	for _, c := range []struct {
		method     string
		dts        []float64
		order, tol float64
	}{
		{CNHeun, []float64{0.02, 0.01, 0.005, 0.0025}, 2, 0.1},
		{CNEuler, []float64{0.004, 0.002, 0.001, 0.0005}, 1, 0.1},
	} {
		dts := c.dts
		sols := make([][]float64, len(dts))
		for i, dt := range dts {
			s, err := NewNavierStokes2D(p, n, &Config2D{Method: c.method, Dt: dt, StepsSaved: 1})
			if err != nil {
				t.Fatal(err)
			}
			sols[i] = make([]float64, n*n)
			if err := s.Solve(sols[i], in); err != nil {
				t.Fatal(err)
			}
		}
		var x, y []float64
		for i := 0; i+1 < len(dts); i++ {
			var e float64
			for j := range sols[i] {
				e = math.Max(e, math.Abs(sols[i][j]-sols[i+1][j]))
			}
			x, y = append(x, math.Log(dts[i])), append(y, math.Log(e))
		}
		sl := (y[len(y)-1] - y[0]) / (x[len(x)-1] - x[0])
		t.Logf("%s: self-convergence differences %v, slope %.3f", c.method, y, sl)
		if math.Abs(sl-c.order) > c.tol {
			t.Errorf("%s: temporal order %.3f, want %g ± %g", c.method, sl, c.order, c.tol)
		}
	}
}

func TestNavierStokesErrors(t *testing.T) {
	ns := nsPreset(t, "navier-stokes")
	darcy := nsPreset(t, "darcy")
	cases := []struct {
		name string
		p    *pde.Preset2D
		n    int
		cfg  *Config2D
		want string
	}{
		{"not NS", darcy, 32, nil, "not Navier–Stokes"},
		{"small", ns, 4, nil, "too small"},
		{"method", ns, 32, &Config2D{Method: "rk4"}, "unknown"},
		{"dt", ns, 32, &Config2D{Dt: -1}, "must be positive"},
		{"steps", ns, 32, &Config2D{StepsSaved: -2}, "at least one"},
	}
	for _, c := range cases {
		_, err := NewNavierStokes2D(c.p, c.n, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	s, err := NewNavierStokes2D(ns, 16, &Config2D{StepsSaved: 1, Dt: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Solve(make([]float64, 16*16), make([]float64, 15)); err == nil {
		t.Error("Solve accepted a wrong input length")
	}
	in := make([]float64, 16*16)
	in[3] = math.NaN()
	if err := s.Solve(make([]float64, 16*16), in); err == nil {
		t.Error("Solve accepted NaN input")
	}
	// A huge field with a huge step blows up, and says so.
	big := nsRandomField(16, 3, 1e4, 0, 3)
	if err := s.Solve(make([]float64, 16*16), big); !errors.Is(err, ErrNonFinite) {
		t.Errorf("blow-up error %v, want ErrNonFinite", err)
	}
}

func TestNavierStokesNoAllocs(t *testing.T) {
	p := nsPreset(t, "navier-stokes")
	s, err := NewNavierStokes2D(p, 32, &Config2D{StepsSaved: 1, Dt: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	in := nsRandomField(32, 3, 0.5, 0, 4)
	out := make([]float64, 32*32)
	if a := testing.AllocsPerRun(3, func() { _ = s.Solve(out, in) }); a != 0 {
		t.Errorf("Solve allocates %v times per call, want 0", a)
	}
}

func BenchmarkNavierStokesStep(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p, _ := pde.Lookup2D("navier-stokes")
			s, err := NewNavierStokes2D(p, n, &Config2D{StepsSaved: 1})
			if err != nil {
				b.Fatal(err)
			}
			in := nsRandomField(n, 4, 0.5, 0, 5)
			s.fft.ForwardColumns(s.w, in, s.qn)
			s.maskCopy(s.w, s.w)
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				s.step()
			}
			b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		})
	}
}

// TestNavierStokesMatchesNumpy pins the solution of a deterministic forced
// flow to the values printed by
//
//	/usr/bin/python3 scripts/reference/classical_navier_stokes.py --check
//
// the same scheme written in numpy.
func TestNavierStokesMatchesNumpy(t *testing.T) {
	const n = 32
	p := nsPreset(t, "navier-stokes")
	p.PDE = pde.NavierStokes{Nu: 5e-3}
	p.SaveEvery = 0.5
	in := nsGrid(p, n, func(x, y float64) float64 {
		const tp = 2 * math.Pi
		return math.Sin(tp*x)*math.Cos(2*tp*y) + 0.5*math.Cos(tp*(3*x+y)) + 0.3*math.Sin(tp*(x-2*y)) + 0.1
	})
	idx := [][2]int{{0, 0}, {3, 17}, {20, 5}, {31, 31}}
	for _, c := range []struct {
		method string
		want   []float64
		sumAbs float64
	}{
		{CNHeun, []float64{0.240688992490663, 0.225760148745572, 0.321636864311711, 0.1404508445546}, 241.55327929157},
		{CNEuler, []float64{0.240694945602429, 0.225823629458307, 0.321705421580169, 0.140590999735732}, 241.552176764814},
	} {
		s, err := NewNavierStokes2D(p, n, &Config2D{Method: c.method, Dt: 0.01, StepsSaved: 2})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, 2*n*n)
		if err := s.Solve(out, in); err != nil {
			t.Fatal(err)
		}
		w := out[n*n:]
		var sum float64
		for _, v := range w {
			sum += math.Abs(v)
		}
		for k, ij := range idx {
			if got := w[ij[0]*n+ij[1]]; math.Abs(got-c.want[k]) > 1e-12 {
				t.Errorf("%s: w(1) at %v = %.15g, numpy %.15g", c.method, ij, got, c.want[k])
			}
		}
		if math.Abs(sum-c.sumAbs) > 1e-9 {
			t.Errorf("%s: Σ|w(1)| = %.15g, numpy %.15g", c.method, sum, c.sumAbs)
		}
	}
}

// BenchmarkNavierStokesSample times one navier-stokes sample from t = 0
// to t = 1 (NEURALPDE_NS_T overrides the end time) with the defaults
// (CN–Heun, dt = 1e-3), as scripts/reference/classical_navier_stokes.py
// does in numpy; it reports the process CPU time per sample as well.
func BenchmarkNavierStokesSample(b *testing.B) {
	tEnd := 1.0
	if v := os.Getenv("NEURALPDE_NS_T"); v != "" {
		var err error
		if tEnd, err = strconv.ParseFloat(v, 64); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{64, 128, 256} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := nsPreset(b, "navier-stokes")
			p.SaveEvery = tEnd
			s, err := NewNavierStokes2D(p, n, &Config2D{StepsSaved: 1})
			if err != nil {
				b.Fatal(err)
			}
			in, out := nsRandomField(n, 4, 0.5, 0, 5), make([]float64, n*n)
			b.ReportAllocs()
			b.ResetTimer()
			var ru0, ru1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for range b.N {
				if err := s.Solve(out, in); err != nil {
					b.Fatal(err)
				}
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
			cpu := (ru1.Utime.Nano() + ru1.Stime.Nano()) - (ru0.Utime.Nano() + ru0.Stime.Nano())
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
