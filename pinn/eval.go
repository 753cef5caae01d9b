package pinn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

// CheckpointKind is the model kind PINN checkpoints carry.
const CheckpointKind = "pinn"

// CheckpointName is the checkpoint's file name inside a training
// directory.
const CheckpointName = train.CheckpointFile

// Grid is a preset's standard grid with a reference solution on it. For
// an evolution problem the axes are X and T and fields are stored time
// first (U[j·len(X) + i] = u(t_j, x_i)), as `neuralpde solve` writes them;
// for a steady planar problem they are X and Y, y first.
type Grid struct {
	X, T, Y []float64
	// Reference is the reference solution on the grid, nil when none is
	// known.
	Reference []float64
	// Mask is 1 at grid points inside the domain and 0 outside (the
	// L-shape's missing quarter); nil when every point is inside.
	Mask []float64
}

// Points returns the grid's points as rows of network inputs, in field
// order.
func (g *Grid) Points() []float64 {
	slow := g.T
	if slow == nil {
		slow = g.Y
	}
	pts := make([]float64, 0, 2*len(g.X)*len(slow))
	for _, s := range slow {
		for _, x := range g.X {
			pts = append(pts, x, s)
		}
	}
	return pts
}

// RelL2 returns ‖u − ref‖₂/‖ref‖₂ over the grid points inside the domain.
func (g *Grid) RelL2(u []float64) float64 {
	num, den := 0.0, 0.0
	for i, r := range g.Reference {
		if g.Mask != nil && g.Mask[i] == 0 {
			continue
		}
		num += (u[i] - r) * (u[i] - r)
		den += r * r
	}
	return math.Sqrt(num / den)
}

// StandardGrid returns the preset's standard grid and its reference
// solution: the exact solution where the preset has one, else the
// solution in the .npz file reference (x, t, u as `neuralpde solve`
// writes), else, for poisson-lshape, the finite-difference solve of
// classical.SolvePoissonLShape on the grid refined twice per side (about
// 8e-4 from the exact solution). Without any, Reference is nil.
func StandardGrid(preset, reference string) (*Grid, error) {
	if pr, err := pde.Lookup(preset); err == nil {
		g := &Grid{X: pr.SpaceGrid(0).Points(nil), T: pr.TimeGrid(0)}
		switch {
		case reference != "":
			if err := g.readReference(reference); err != nil {
				return nil, err
			}
		case pr.Exact != nil:
			g.Reference, err = cachedReference(preset, func() ([]float64, error) {
				u := make([]float64, 0, len(g.X)*len(g.T))
				for _, t := range g.T {
					for _, x := range g.X {
						u = append(u, pr.Exact(t, x))
					}
				}
				return u, nil
			})
		}
		return g, err
	}
	pr, err := pde.LookupSteady(preset)
	if err != nil {
		return nil, fmt.Errorf("%w %q (known presets: %v)", pde.ErrUnknownPreset, preset, append(pde.PresetNames(), pde.SteadyPresetNames()...))
	}
	g := &Grid{}
	g.X, g.Y = pr.Grid()
	inside := true
	mask := make([]float64, 0, len(g.X)*len(g.Y))
	for _, y := range g.Y {
		for _, x := range g.X {
			if pr.Region.Contains(x, y) {
				mask = append(mask, 1)
			} else {
				mask = append(mask, 0)
				inside = false
			}
		}
	}
	if !inside {
		g.Mask = mask
	}
	switch {
	case pr.Exact != nil:
		g.Reference, err = cachedReference(preset, func() ([]float64, error) {
			u := make([]float64, 0, len(mask))
			for _, y := range g.Y {
				for _, x := range g.X {
					u = append(u, pr.Exact(x, y))
				}
			}
			return u, nil
		})
	case preset == "poisson-lshape":
		g.Reference, err = cachedReference(preset, func() ([]float64, error) {
			u, err := classical.SolvePoissonLShape(len(g.X), 2)
			if err != nil {
				return nil, fmt.Errorf("pinn: poisson-lshape reference: %w", err)
			}
			return u, nil
		})
	}
	return g, err
}

// readReference loads x, t, u from a .npz file and checks its grid.
func (g *Grid) readReference(path string) error {
	arrays, _, err := data.ReadNPZ(path)
	if err != nil {
		return fmt.Errorf("pinn: reference: %w", err)
	}
	x, t, u := arrays["x"], arrays["t"], arrays["u"]
	if len(x.Data) != len(g.X) || len(t.Data) != len(g.T) || len(u.Data) != len(g.X)*len(g.T) {
		return fmt.Errorf("pinn: reference %s has a %d×%d grid (t×x), the preset's standard grid is %d×%d; solve on the standard grid", path, len(t.Data), len(x.Data), len(g.T), len(g.X))
	}
	for i := range g.X {
		if math.Abs(x.Data[i]-g.X[i]) > 1e-9 {
			return fmt.Errorf("pinn: reference %s has x[%d] = %g, the standard grid %g", path, i, x.Data[i], g.X[i])
		}
	}
	for j := range g.T {
		if math.Abs(t.Data[j]-g.T[j]) > 1e-9 {
			return fmt.Errorf("pinn: reference %s has t[%d] = %g, the standard grid %g", path, j, t.Data[j], g.T[j])
		}
	}
	g.Reference = u.Data
	return nil
}

// Evaluation is a trained PINN evaluated on its preset's standard grid.
type Evaluation struct {
	Config *Config
	Grid   *Grid
	// U is the prediction on the grid, in the grid's field order.
	U []float64
	// RelL2 is the relative L2 error against Grid.Reference, NaN when
	// there is none.
	RelL2 float64
	// Coefficients are the identified equation parameters of an inverse
	// problem.
	Coefficients map[string]float64
}

// Evaluate loads the checkpoint in the training directory dir and
// evaluates it on its preset's standard grid. reference overrides the
// config's reference file when not empty.
func Evaluate(dir, reference string) (*Evaluation, error) {
	path := dir
	if filepath.Ext(dir) != ".npz" {
		path = filepath.Join(dir, CheckpointName)
	}
	ck, err := train.ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	if ck.Kind != CheckpointKind {
		return nil, fmt.Errorf("pinn: %s holds a %q model, not a PINN", path, ck.Kind)
	}
	cfg := &Config{}
	if err := json.Unmarshal(ck.ModelConfig, cfg); err != nil {
		return nil, fmt.Errorf("pinn: %s: model configuration: %v", path, err)
	}
	if reference != "" {
		cfg.Reference = reference
	}
	_, m, err := cfg.build()
	if err != nil {
		return nil, err
	}
	params := append([]*nn.Param(nil), m.Net.Params()...)
	coefs := make([]*nn.Param, len(cfg.Unknowns))
	for i, u := range cfg.Unknowns {
		coefs[i] = nn.NewParam("coef."+u.Name, 1)
		params = append(params, coefs[i])
	}
	if err := ck.Restore(CheckpointKind, params); err != nil {
		return nil, err
	}
	return evaluate(cfg, m, coefs)
}

func evaluate(cfg *Config, m *Model, coefs []*nn.Param) (*Evaluation, error) {
	g, err := StandardGrid(cfg.Preset, cfg.Reference)
	if err != nil {
		return nil, err
	}
	e := &Evaluation{Config: cfg, Grid: g, RelL2: math.NaN()}
	e.U = m.Eval(nil, g.Points())
	if g.Mask != nil {
		for i, v := range g.Mask {
			if v == 0 {
				e.U[i] = 0
			}
		}
	}
	if g.Reference != nil {
		e.RelL2 = g.RelL2(e.U)
	}
	if len(coefs) > 0 {
		e.Coefficients = make(map[string]float64)
		for i, u := range cfg.Unknowns {
			e.Coefficients[u.Name] = coefs[i].Value[0]
		}
	}
	return e, nil
}

// WriteNPZ writes the prediction to path: x, t and u (nt×nx, time first)
// for an evolution problem, as `neuralpde solve` writes, or x, y and u
// (ny×nx) with a mask for a steady one; the reference as "reference" when
// known; and metadata (preset, rel_l2, coefficients).
func (e *Evaluation) WriteNPZ(path string) error {
	g := e.Grid
	if g == nil || e.U == nil {
		return errors.New("pinn: empty evaluation; run Evaluate first")
	}
	nx := len(g.X)
	arrays := map[string]data.Array{"x": data.NewArray(g.X, nx)}
	slow := len(g.T)
	if g.T != nil {
		arrays["t"] = data.NewArray(g.T, slow)
	} else {
		slow = len(g.Y)
		arrays["y"] = data.NewArray(g.Y, slow)
	}
	arrays["u"] = data.NewArray(e.U, slow, nx)
	if g.Reference != nil {
		arrays["reference"] = data.NewArray(g.Reference, slow, nx)
	}
	if g.Mask != nil {
		arrays["mask"] = data.NewArray(g.Mask, slow, nx)
	}
	meta := map[string]any{"preset": e.Config.Preset, "model": CheckpointKind}
	if !math.IsNaN(e.RelL2) {
		meta["rel_l2"] = e.RelL2
	}
	if e.Coefficients != nil {
		meta["coefficients"] = e.Coefficients
	}
	return data.WriteNPZ(path, arrays, meta)
}

// Fields returns the evaluation as plain slices for a picture: the fast
// and slow axes (x, and t or y), the reference and the prediction in
// field order with NaN outside the domain, and the axis names.
func (e *Evaluation) Fields() (x, slow, reference, prediction []float64, xlabel, ylabel string) {
	g := e.Grid
	x, slow, ylabel = g.X, g.T, "t"
	if slow == nil {
		slow, ylabel = g.Y, "y"
	}
	prediction = append([]float64(nil), e.U...)
	if g.Reference != nil {
		reference = append([]float64(nil), g.Reference...)
	}
	for i, m := range g.Mask {
		if m == 0 {
			prediction[i] = math.NaN()
			if reference != nil {
				reference[i] = math.NaN()
			}
		}
	}
	return x, slow, reference, prediction, "x", ylabel
}

// cachedReference returns a copy of the built-in reference of a preset
// on its standard grid, computed by solve once per process: Train,
// Evaluate and the tests ask for it repeatedly, and the Cole–Hopf
// quadrature of burgers-shock or the L-shape solve take seconds.
func cachedReference(preset string, solve func() ([]float64, error)) ([]float64, error) {
	referenceCache.Lock()
	defer referenceCache.Unlock()
	u, ok := referenceCache.m[preset]
	if !ok {
		var err error
		if u, err = solve(); err != nil {
			return nil, err
		}
		if referenceCache.m == nil {
			referenceCache.m = make(map[string][]float64)
		}
		referenceCache.m[preset] = u
	}
	return append([]float64(nil), u...), nil
}

var referenceCache struct {
	sync.Mutex
	m map[string][]float64
}
