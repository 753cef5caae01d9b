package pde

// The one-dimensional evolution equations of the catalogue. Each residual is
// written only with the Algebra operations, so the same definition is
// evaluated on float64 values (Float), on slices (Vec) and on graph nodes.

// Burgers is the viscous Burgers equation
//
//	u_t + u u_x − ν u_xx = 0.
//
// With ν = 0.01/π on [−1, 1] and u(0, x) = −sin(πx) it is the shock benchmark
// of Raissi, Perdikaris & Karniadakis (2019), whose exact solution is given
// by the Cole–Hopf transformation (see BurgersColeHopf).
type Burgers struct {
	// Nu is the viscosity ν.
	Nu float64
}

func (Burgers) Name() string                 { return "burgers" }
func (Burgers) Needs() Deriv                 { return DU | DT | DX | DXX }
func (e Burgers) Params() map[string]float64 { return map[string]float64{"nu": e.Nu} }

// Residual returns u_t + u u_x − ν u_xx.
func (e Burgers) Residual(a Algebra, j Jet) Term {
	return a.Sub(a.Add(j.Ut, a.Mul(j.U, j.Ux)), a.Scale(e.Nu, j.Uxx))
}

// Heat is the heat equation u_t − κ u_xx = 0.
type Heat struct {
	// Kappa is the diffusivity κ.
	Kappa float64
}

func (Heat) Name() string                 { return "heat" }
func (Heat) Needs() Deriv                 { return DT | DXX }
func (e Heat) Params() map[string]float64 { return map[string]float64{"kappa": e.Kappa} }

// Residual returns u_t − κ u_xx.
func (e Heat) Residual(a Algebra, j Jet) Term {
	return a.Sub(j.Ut, a.Scale(e.Kappa, j.Uxx))
}

// Advection is the linear advection equation u_t + c u_x = 0, whose solution
// is the initial data translated with speed c.
type Advection struct {
	// C is the advection speed c.
	C float64
}

func (Advection) Name() string                 { return "advection" }
func (Advection) Needs() Deriv                 { return DT | DX }
func (e Advection) Params() map[string]float64 { return map[string]float64{"c": e.C} }

// Residual returns u_t + c u_x.
func (e Advection) Residual(a Algebra, j Jet) Term {
	return a.Add(j.Ut, a.Scale(e.C, j.Ux))
}

// AllenCahn is the Allen–Cahn reaction–diffusion equation
//
//	u_t − ε u_xx + A u³ − A u = 0,
//
// in the form of the PINN benchmark of Raissi, Perdikaris & Karniadakis
// (2019, §4.1.2) with ε = 10⁻⁴ and A = 5.
type AllenCahn struct {
	// Eps is the diffusion coefficient ε.
	Eps float64
	// A is the strength of the reaction term A(u³ − u).
	A float64
}

func (AllenCahn) Name() string { return "allen-cahn" }
func (AllenCahn) Needs() Deriv { return DU | DT | DXX }
func (e AllenCahn) Params() map[string]float64 {
	return map[string]float64{"eps": e.Eps, "a": e.A}
}

// Residual returns u_t − ε u_xx + A(u³ − u).
func (e AllenCahn) Residual(a Algebra, j Jet) Term {
	u3 := a.Mul(j.U, a.Mul(j.U, j.U))
	return a.Add(a.Sub(j.Ut, a.Scale(e.Eps, j.Uxx)), a.Scale(e.A, a.Sub(u3, j.U)))
}

// KdV is the Korteweg–de Vries equation
//
//	u_t + A u u_x + δ u_xxx = 0.
//
// With A = 1 and δ = 0.0025 on the periodic interval [−1, 1) and
// u(0, x) = cos(πx) it is the problem of Zabusky & Kruskal (1965) in the form
// used as a PINN benchmark by Raissi, Perdikaris & Karniadakis (2019, §4.2.2).
// Delta is the coefficient of u_xxx itself (Zabusky & Kruskal's δ²).
type KdV struct {
	// A is the coefficient of the nonlinear term u u_x.
	A float64
	// Delta is the dispersion coefficient δ of u_xxx.
	Delta float64
}

func (KdV) Name() string { return "kdv" }
func (KdV) Needs() Deriv { return DU | DT | DX | DXXX }
func (e KdV) Params() map[string]float64 {
	return map[string]float64{"a": e.A, "delta": e.Delta}
}

// Residual returns u_t + A u u_x + δ u_xxx.
func (e KdV) Residual(a Algebra, j Jet) Term {
	return a.Add(a.Add(j.Ut, a.Scale(e.A, a.Mul(j.U, j.Ux))), a.Scale(e.Delta, j.Uxxx))
}

// KuramotoSivashinsky is the Kuramoto–Sivashinsky equation with general
// coefficients,
//
//	u_t + A u u_x + B u_xx + C u_xxxx = 0,
//
// the stiff chaotic test problem of Kassam & Trefethen (2005), there with
// A = B = C = 1 on [0, 32π].
type KuramotoSivashinsky struct {
	// A is the coefficient of the nonlinear term u u_x.
	A float64
	// B is the coefficient of the anti-diffusion term u_xx.
	B float64
	// C is the coefficient of the hyper-diffusion term u_xxxx.
	C float64
}

func (KuramotoSivashinsky) Name() string { return "kuramoto-sivashinsky" }
func (KuramotoSivashinsky) Needs() Deriv { return DU | DT | DX | DXX | DXXXX }
func (e KuramotoSivashinsky) Params() map[string]float64 {
	return map[string]float64{"a": e.A, "b": e.B, "c": e.C}
}

// Residual returns u_t + A u u_x + B u_xx + C u_xxxx.
func (e KuramotoSivashinsky) Residual(a Algebra, j Jet) Term {
	r := a.Add(j.Ut, a.Scale(e.A, a.Mul(j.U, j.Ux)))
	r = a.Add(r, a.Scale(e.B, j.Uxx))
	return a.Add(r, a.Scale(e.C, j.Uxxxx))
}

// Poisson is the two-dimensional Poisson equation −(u_xx + u_yy) = f, with
// the source f carried in the jet's F field.
type Poisson struct{}

func (Poisson) Name() string               { return "poisson" }
func (Poisson) Needs() Deriv               { return DXX | DYY }
func (Poisson) Params() map[string]float64 { return map[string]float64{} }

// Residual returns −(u_xx + u_yy) − f, f read from j.F.
func (Poisson) Residual(a Algebra, j Jet) Term {
	return a.Sub(a.Scale(-1, a.Add(j.Uxx, j.Uyy)), j.F)
}

// Params returns the named parameters of e, for metadata such as a dataset's
// record of the equation that generated it. Every catalogue equation has a
// Params method; for an equation without one Params returns an empty map.
// The returned map is the caller's to modify.
func Params(e Equation) map[string]float64 {
	if p, ok := e.(interface{ Params() map[string]float64 }); ok {
		return p.Params()
	}
	return map[string]float64{}
}

var (
	_ Equation = Burgers{}
	_ Equation = Heat{}
	_ Equation = Advection{}
	_ Equation = AllenCahn{}
	_ Equation = KdV{}
	_ Equation = KuramotoSivashinsky{}
	_ Equation = Poisson{}
)
