package nsm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/train"
)

// rdProjection is the best approximation, on the n×n output grid, of
// reaction–diffusion solutions in one basis: least squares over the grid
// values, so its error is the smallest held-out error any set of
// coefficients of that basis can reach (the metric is the grid's relative
// L2). Because the grid is a tensor product, the fit separates: for
// values S U Tᵀ the least-squares coefficients are U = S⁺ R (Tᵀ)⁺.
type rdProjection struct {
	q *ReactionDiffusion
	n int
	// s is the n×Mx Fourier synthesis matrix, tq the n×Mt Chebyshev
	// polynomials at the uniform times, b = tq·MulT the n×(Mt−1) values
	// of t·T_j(t), the columns the lifting u = u₀ + t·v spans.
	s, tq, b *mat.Dense
}

func newRDProjection(q *ReactionDiffusion, n int) *rdProjection {
	_, ts := q.Grid(n)
	tq := mat.NewDense(n, q.mt, nil)
	e, col := make([]float64, q.mt), make([]float64, n)
	for j := range q.mt {
		clear(e)
		e[j] = 1
		q.ct.Eval(col, e, ts)
		tq.SetCol(j, col)
	}
	b := mat.NewDense(n, q.mt-1, nil)
	b.Mul(tq, q.mulT)
	return &rdProjection{q: q, n: n, s: q.fx.Synthesis(n), tq: tq, b: b}
}

// lsq returns A⁺ R (least squares, A of full column rank).
func lsq(t *testing.T, a, r mat.Matrix) *mat.Dense {
	var x mat.Dense
	if err := x.Solve(a, r); err != nil {
		t.Fatal(err)
	}
	return &x
}

// rdFloors are the relative L2 errors on the grid of the best
// approximations of one reference.
type rdFloors struct {
	x, t, free, lifted float64
}

// project returns the floors of the reference r (n×n, x slow) whose
// initial data has the Fourier coefficients c0 (any length: truncated or
// zero-padded to the basis), and the model output v (Mx×Mt, last column
// zero) of the best approximation u = u₀ + t·v with u₀ truncated to the
// basis, which is the NSM's solution space.
func (pr *rdProjection) project(t *testing.T, r *mat.Dense, c0 []float64) (rdFloors, []float64) {
	q, n := pr.q, pr.n
	var f rdFloors
	rel := func(m *mat.Dense) float64 {
		var d mat.Dense
		d.Sub(m, r)
		return mat.Norm(&d, 2) / mat.Norm(r, 2)
	}
	// Fourier only: S S⁺ R, exact in t.
	var fx mat.Dense
	fx.Mul(pr.s, lsq(t, pr.s, r))
	f.x = rel(&fx)
	// The free tensor basis: S S⁺ R (Tq Tq⁺)ᵀ.
	xt := lsq(t, pr.tq, fx.T()) // Mt×n
	var free, tmp mat.Dense
	tmp.Mul(pr.tq, xt)
	free.CloneFrom(tmp.T())
	f.free = rel(&free)
	// The lifted space: u₀ (truncated) plus t·v.
	c := make([]float64, q.mx)
	copy(c, c0[:min(len(c0), q.mx)])
	u0 := mat.NewVecDense(n, nil)
	u0.MulVec(pr.s, mat.NewVecDense(q.mx, c))
	var rr mat.Dense
	rr.CloneFrom(r)
	for i := range n {
		for j := range n {
			rr.Set(i, j, rr.At(i, j)-u0.AtVec(i))
		}
	}
	// Chebyshev only, with u(x, 0) = u₀: R′ B B⁺ + u₀.
	bt := lsq(t, pr.b, rr.T()) // (Mt−1)×n
	var ct mat.Dense
	ct.Mul(pr.b, bt)
	var tOnly mat.Dense
	tOnly.CloneFrom(ct.T())
	for i := range n {
		for j := range n {
			tOnly.Set(i, j, tOnly.At(i, j)+u0.AtVec(i))
		}
	}
	f.t = rel(&tOnly)
	// V′ = S⁺ R′ (Bᵀ)⁺.
	vx := lsq(t, pr.s, &rr)         // Mx×n
	vt := lsq(t, pr.b, vx.T())      // (Mt−1)×Mx
	v := make([]float64, q.mx*q.mt) // Mx×Mt
	for i := range q.mx {
		for j := range q.mt - 1 {
			v[i*q.mt+j] = vt.At(j, i)
		}
	}
	a := rdInput(q, c)
	u := make([]float64, q.mx*q.mt)
	q.Solution(u, v, a)
	lifted := mat.NewDense(n, n, nil)
	q.Values(lifted.RawMatrix().Data, u, n)
	f.lifted = rel(lifted)
	return f, v
}

// rdInput returns q's input coefficients (Mx·Mt×2) for the initial data
// with Fourier coefficients c (length q.mx).
func rdInput(q *ReactionDiffusion, c []float64) []float64 {
	a := make([]float64, q.mx*q.mt*2)
	for k, v := range c {
		a[(k*q.mt)*2] = v
	}
	a[1] = 0.5
	a[(0*q.mt+1)*2+1] = 0.5
	return a
}

// minimizeLoss minimises q's spectral loss for the input a over v
// (updated in place; its last Chebyshev column does not enter) by
// Gauss–Newton and returns the loss reached. The loss is ‖ρ‖² with the
// weighted residual ρ_i = √w_i Lᵀ r_i (G = LLᵀ the Chebyshev Gram
// matrix, r_i the residual coefficients of x-mode i); r is quadratic in
// v, so central differences give its Jacobian up to round-off.
func minimizeLoss(t *testing.T, q *ReactionDiffusion, v, a []float64) float64 {
	var chol mat.Cholesky
	if !chol.Factorize(mat.NewSymDense(q.mt, q.gt.RawMatrix().Data)) {
		t.Fatal("Chebyshev Gram matrix is not positive definite")
	}
	var l mat.TriDense
	chol.LTo(&l)
	g := make([]float64, len(v))
	nr := q.mx * q.mt
	resid := func(dst []float64, x []float64) float64 {
		loss := q.Loss(g, x, a, 1)
		r := q.r.RawMatrix().Data
		for i := range q.mx {
			for j := range q.mt {
				var s float64
				for k := j; k < q.mt; k++ {
					s += l.At(k, j) * r[i*q.mt+k]
				}
				dst[i*q.mt+j] = math.Sqrt(q.w[i]) * s
			}
		}
		return loss
	}
	var unknowns []int
	for i := range q.mx {
		for j := range q.mt - 1 {
			unknowns = append(unknowns, i*q.mt+j)
		}
	}
	rho, rp, rm := make([]float64, nr), make([]float64, nr), make([]float64, nr)
	jac := mat.NewDense(nr, len(unknowns), nil)
	trial := make([]float64, len(v))
	loss := resid(rho, v)
	if n2 := floats.Dot(rho, rho); math.Abs(n2-loss) > 1e-10*loss {
		t.Fatalf("‖ρ‖² = %g differs from the loss %g", n2, loss)
	}
	for range 30 {
		for c, k := range unknowns {
			h := 1e-4 * math.Max(1, math.Abs(v[k]))
			old := v[k]
			v[k] = old + h
			resid(rp, v)
			v[k] = old - h
			resid(rm, v)
			v[k] = old
			for i := range nr {
				jac.Set(i, c, (rp[i]-rm[i])/(2*h))
			}
		}
		var d mat.VecDense
		if err := d.SolveVec(jac, mat.NewVecDense(nr, rho)); err != nil {
			t.Fatal(err)
		}
		// Halve the step until the loss does not rise.
		step, improved := 1.0, false
		for range 20 {
			copy(trial, v)
			for c, k := range unknowns {
				trial[k] -= step * d.AtVec(c)
			}
			if lt := resid(rp, trial); lt <= loss {
				// Stop once a step gains less than 0.1%: the table
				// prints two digits.
				improved = lt < loss*(1-1e-3)
				copy(v, trial)
				copy(rho, rp)
				loss = lt
				break
			}
			step /= 2
		}
		if !improved {
			break
		}
	}
	return loss
}

// floorRD prints, for every ν of the table, the best held-out error each
// basis allows (the floor under the NSM's error), the spectral loss at
// that best approximation, and the loss's own minimiser in the basis and
// its error: -nsm.long=floor.
func floorRD(t *testing.T) {
	// The loss's minimiser (Gauss–Newton with a differenced Jacobian) is
	// the slow part: it is found for the first minSamples inputs only.
	const n, minSamples = 64, 4
	c0, w0 := cputime.Process(), time.Now()
	cfg := DefaultConfig(nil)
	sizes := [][2]int{{8, 12}, {12, 8}, {rdFrequencies, rdChebyshev}, {16, 12}, {12, 16}, {16, 16}}
	def, err := NewReactionDiffusion(0.01, rdRho, rdFrequencies, rdChebyshev)
	if err != nil {
		t.Fatal(err)
	}
	// The input: u₀ is drawn in the kept frequencies only. What truncating
	// the untruncated squared-exponential field would lose, relative to its
	// fluctuation, at K frequencies: √(Σ_{k≥K} e^{−(2πkℓ)²/2} / Σ_{k≥1}).
	fmt.Printf("\ninput GRF (ℓ = %g): spectral tail beyond K frequencies, relative L2 of the fluctuation:", def.Length)
	for _, K := range []int{6, 8, 12, 16} {
		var tail, all float64
		for k := 1; k < 200; k++ {
			om := 2 * math.Pi * float64(k)
			s := math.Exp(-om * om * def.Length * def.Length / 2)
			all += s
			if k >= K {
				tail += s
			}
		}
		fmt.Printf(" K=%d %.1e;", K, math.Sqrt(tail/all))
	}
	fmt.Println()
	fmt.Printf("| ν | Kx×Mt | Fourier only | Chebyshev only, u(0)=u₀ | free basis | u₀ + t·v (NSM space) | loss at that projection | min loss (Gauss–Newton, 4 inputs) | its rel L2 |\n")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, nu := range []float64{0.005, 0.01, 0.05, 0.1} {
		p, err := NewReactionDiffusion(nu, rdRho, rdFrequencies, rdChebyshev)
		if err != nil {
			t.Fatal(err)
		}
		a := make([]float64, p.mx*p.mt*2)
		refs := make([]*mat.Dense, cfg.Test)
		c0s := make([][]float64, cfg.Test)
		var u0err float64
		for s := range cfg.Test {
			p.Input(a, testSeed(cfg.Seed), s)
			r := mat.NewDense(n, n, nil)
			if err := p.Reference(r.RawMatrix().Data, a, n); err != nil {
				t.Fatal(err)
			}
			refs[s] = r
			c0s[s] = make([]float64, p.mx)
			for k := range p.mx {
				c0s[s][k] = a[(k*p.mt)*2]
			}
			// u₀ from its coefficients against the reference at t = 0.
			u0 := p.fx.Inverse(make([]float64, n), c0s[s])
			col := mat.Col(nil, 0, r)
			u0err += relL2(u0, col) / float64(cfg.Test)
		}
		if nu == 0.005 {
			fmt.Printf("(u₀ from its kept coefficients against the reference at t = 0: rel L2 %.1e)\n", u0err)
		}
		for _, sz := range sizes {
			q, err := NewReactionDiffusion(nu, rdRho, sz[0], sz[1])
			if err != nil {
				t.Fatal(err)
			}
			pr := newRDProjection(q, n)
			var f rdFloors
			var lossProj, lossMin, errMin float64
			u := make([]float64, q.mx*q.mt)
			vals := make([]float64, n*n)
			g := make([]float64, q.mx*q.mt)
			for s, r := range refs {
				fs, v := pr.project(t, r, c0s[s])
				f.x += fs.x / float64(len(refs))
				f.t += fs.t / float64(len(refs))
				f.free += fs.free / float64(len(refs))
				f.lifted += fs.lifted / float64(len(refs))
				c := make([]float64, q.mx)
				copy(c, c0s[s][:min(p.mx, q.mx)])
				aq := rdInput(q, c)
				lossProj += q.Loss(g, v, aq, 1) / float64(len(refs))
				if s >= minSamples {
					continue
				}
				lossMin += minimizeLoss(t, q, v, aq) / minSamples
				q.Solution(u, v, aq)
				q.Values(vals, u, n)
				errMin += relL2(vals, r.RawMatrix().Data) / minSamples
			}
			fmt.Printf("| %g | %d×%d | %.1e | %.1e | %.1e | %.1e | %.1e | %.1e | %.1e |\n", nu, q.mx, q.mt, f.x, f.t, f.free, f.lifted, lossProj, lossMin, errMin)
		}
	}
	fmt.Printf("(means over %d held-out inputs at resolution %d; wall %v, CPU %v)\n", cfg.Test, n, time.Since(w0).Round(time.Millisecond), (cputime.Process() - c0).Round(time.Millisecond))
	trainedGap(t)
}

// trainedGap prints, for the NSMs that table-rd<ν> trained into -nsm.dir
// (skipping those absent), the spectral loss and relative L2 on 16 of
// the training inputs against 16 held-out ones: a generalisation gap or
// an optimisation limit.
func trainedGap(t *testing.T) {
	fmt.Println("| ν | train loss | held-out loss | train rel L2 | held-out rel L2 |")
	fmt.Println("|---|---|---|---|---|")
	for _, nu := range []float64{0.005, 0.01, 0.05, 0.1} {
		dir := filepath.Join(*longDir, fmt.Sprintf("nsm-table-rd%g", nu), "nsm")
		if _, err := os.Stat(filepath.Join(dir, train.CheckpointFile)); err != nil {
			continue
		}
		m, p, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		seed := m.Config().Seed
		var loss, rel [2]float64
		for i, s := range []uint64{seed, testSeed(seed)} {
			obj, err := NewObjective(m, p, 16, s)
			if err != nil {
				t.Fatal(err)
			}
			if loss[i], err = obj.Loss(nil); err != nil {
				t.Fatal(err)
			}
			ev, err := evaluate(m, p, s, 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			rel[i] = ev.RelL2
		}
		fmt.Printf("| %g | %.2e | %.2e | %.2e | %.2e |\n", nu, loss[0], loss[1], rel[0], rel[1])
		errorSpectrum(t, m, p.(*ReactionDiffusion), testSeed(seed))
	}
}

// errorSpectrum prints where the trained model's error and residual lie:
// the share of ‖u − P u_ref‖² (P the best approximation in the basis)
// and of the spectral loss per Chebyshev index j and per frequency k,
// over 16 held-out inputs.
func errorSpectrum(t *testing.T, m *Model, p *ReactionDiffusion, seed uint64) {
	const n, samples = 64, 16
	M := p.mx * p.mt
	a := make([]float64, samples*M*2)
	for i := range samples {
		p.Input(a[i*M*2:(i+1)*M*2], seed, i)
	}
	v := m.Forward(nil, a, samples)
	pr := newRDProjection(p, n)
	errT, errX := make([]float64, p.mt), make([]float64, p.fx.Frequencies())
	resT, resX := make([]float64, p.mt), make([]float64, p.fx.Frequencies())
	u, up, g := make([]float64, M), make([]float64, M), make([]float64, M)
	r := mat.NewDense(n, n, nil)
	for i := range samples {
		ai := a[i*M*2 : (i+1)*M*2]
		if err := p.Reference(r.RawMatrix().Data, ai, n); err != nil {
			t.Fatal(err)
		}
		c0 := make([]float64, p.mx)
		for k := range c0 {
			c0[k] = ai[(k*p.mt)*2]
		}
		_, vp := pr.project(t, r, c0)
		p.Solution(up, vp, ai)
		vi := v[i*M : (i+1)*M]
		p.Solution(u, vi, ai)
		p.Loss(g, vi, ai, 1)
		res := p.r.RawMatrix().Data
		for k := range p.mx {
			for j := range p.mt {
				w := p.w[k] * p.gt.At(j, j)
				e := u[k*p.mt+j] - up[k*p.mt+j]
				errT[j] += w * e * e
				errX[(k+1)/2] += w * e * e
				rr := res[k*p.mt+j]
				resT[j] += w * rr * rr
				resX[(k+1)/2] += w * rr * rr
			}
		}
	}
	for _, row := range []struct {
		name string
		e    []float64
	}{{"error by Chebyshev j", errT}, {"loss by Chebyshev j", resT}, {"error by frequency k", errX}, {"loss by frequency k", resX}} {
		sum := floats.Sum(row.e)
		fmt.Printf("    %s:", row.name)
		for _, e := range row.e {
			fmt.Printf(" %.2f", e/sum)
		}
		fmt.Println()
	}
}

// TestRDProjectionExact checks the floor's machinery on a series that lies
// in the basis: its projection reproduces it, its loss is the loss of the
// output that generated it, and minimising the loss from there does not
// raise it.
func TestRDProjectionExact(t *testing.T) {
	q, err := NewReactionDiffusion(0.01, rdRho, 5, 6)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	c := make([]float64, q.mx)
	for k := range c {
		c[k] = rng.NormFloat64() / float64(1+k)
	}
	a := rdInput(q, c)
	v := make([]float64, q.mx*q.mt)
	for i := range q.mx {
		for j := range q.mt - 1 {
			v[i*q.mt+j] = rng.NormFloat64() / float64(1+i+j)
		}
	}
	u := make([]float64, q.mx*q.mt)
	q.Solution(u, v, a)
	const n = 32
	r := mat.NewDense(n, n, nil)
	q.Values(r.RawMatrix().Data, u, n)
	pr := newRDProjection(q, n)
	f, vp := pr.project(t, r, c)
	for name, e := range map[string]float64{"Fourier only": f.x, "Chebyshev only": f.t, "free": f.free, "lifted": f.lifted} {
		if e > 1e-12 {
			t.Errorf("%s floor of a series in the basis is %.1e, want round-off", name, e)
		}
	}
	for k := range v {
		if math.Abs(vp[k]-v[k]) > 1e-10 {
			t.Fatalf("projected v[%d] = %g, want %g", k, vp[k], v[k])
		}
	}
	g := make([]float64, len(v))
	want := q.Loss(g, v, a, 1)
	if got := q.Loss(g, vp, a, 1); math.Abs(got-want) > 1e-10*want {
		t.Errorf("loss at the projection %g, want %g", got, want)
	}
	if got := minimizeLoss(t, q, vp, a); got > want {
		t.Errorf("minimised loss %g above the starting loss %g", got, want)
	}
}
