package nonlinear

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// bratu returns the discrete Bratu problem −Δu = λ eᵘ on the unit square
// with zero Dirichlet data on m×m interior points: F(u) = A u − λ eᵘ with
// A the 5-point −Δ, and its Jacobian J = A − λ diag(eᵘ).
func bratu(m int, lambda float64) (Problem, *sparse.CSR) {
	a := sparse.Laplacian5(m)
	n := m * m
	return Problem{
		Dim: n,
		F: func(dst, u []float64) {
			a.MulVec(dst, u)
			for i, ui := range u {
				dst[i] -= lambda * math.Exp(ui)
			}
		},
		Jacobian: func(dst *mat.Dense, u []float64) {
			dst.Zero()
			for i := 0; i < n; i++ {
				cols, vals := a.Row(i)
				for k, j := range cols {
					dst.Set(i, j, vals[k])
				}
				dst.Set(i, i, dst.At(i, i)-lambda*math.Exp(u[i]))
			}
		},
		JacVec: func(dst, u, v []float64) {
			a.MulVec(dst, v)
			for i, ui := range u {
				dst[i] -= lambda * math.Exp(ui) * v[i]
			}
		},
	}, a
}

func TestBratu(t *testing.T) {
	const (
		m      = 15
		lambda = 6 // below the fold at λ* ≈ 6.81
	)
	p, a := bratu(m, lambda)
	ref := make([]float64, p.Dim)
	res, err := Newton(ref, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Converged {
		t.Fatalf("Newton: status %v, residuals %v", res.Status, res.Residuals)
	}
	jac, err := sparse.NewJacobi(a)
	if err != nil {
		t.Fatal(err)
	}
	noJacVec := p
	noJacVec.JacVec = nil
	for _, tc := range []struct {
		name string
		p    Problem
		s    *Settings
	}{
		{"jacvec", p, nil},
		{"finite-difference", noJacVec, nil},
		{"finite-difference-jacobi", noJacVec, &Settings{Preconditioner: jac}},
		{"fixed-forcing", p, &Settings{ForcingTerm: 1e-3}},
	} {
		u := make([]float64, p.Dim)
		res, err := NewtonKrylov(u, tc.p, tc.s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged {
			t.Errorf("%s: status %v, residuals %v", tc.name, res.Status, res.Residuals)
			continue
		}
		if d := floats.Distance(u, ref, math.Inf(1)); d > 1e-9 {
			t.Errorf("%s: max difference from Newton's solution %g", tc.name, d)
		}
		t.Logf("%s: %d Newton steps, %d GMRES iterations, residuals %.2e", tc.name, res.Iterations, res.LinearIterations, res.Residuals)
	}
}

func TestBratuMultigridPreconditioned(t *testing.T) {
	const (
		m      = 63 // 2^6 − 1 interior points per side, as multigrid needs
		lambda = 6
	)
	p, a := bratu(m, lambda)
	// Multigrid for −Δ, the leading part of J = −Δ − λ diag(eᵘ), is a
	// spectrally equivalent preconditioner for J on the lower branch.
	mg, err := sparse.NewMultigrid(a, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	var (
		iters [2]int
		ref   []float64
	)
	for k, tc := range []struct {
		name string
		s    *Settings
	}{
		{"unpreconditioned", &Settings{MaxLinearIterations: 2000}},
		{"multigrid", &Settings{Preconditioner: mg}},
	} {
		u := make([]float64, p.Dim)
		res, err := NewtonKrylov(u, p, tc.s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged {
			t.Fatalf("%s: status %v, residuals %v", tc.name, res.Status, res.Residuals)
		}
		f := make([]float64, p.Dim)
		p.F(f, u)
		if r := floats.Norm(f, 2); r > 1e-10+1e-12*res.Residuals[0] {
			t.Errorf("%s: ‖F(u)‖ = %g", tc.name, r)
		}
		if k == 0 {
			ref = u
		} else if d := floats.Distance(u, ref, math.Inf(1)); d > 1e-9 {
			t.Errorf("%s: max difference from the unpreconditioned solution %g", tc.name, d)
		}
		iters[k] = res.LinearIterations
		t.Logf("%s: %d Newton steps, %d GMRES iterations, max u = %.6f", tc.name, res.Iterations, res.LinearIterations, floats.Max(u))
	}
	if iters[1]*5 > iters[0] {
		t.Errorf("multigrid preconditioning took %d GMRES iterations against %d without; expected at least 5× fewer", iters[1], iters[0])
	}
}
