package pde

// timeGrid returns m output times. The Dirichlet benchmark problems sample
// t = 0, Δ, …, (m−1)Δ with Δ = T/m (the burgers-shock grid t = 0, 0.01, …,
// 0.99); the periodic ones include both ends, t = 0, …, T.
func (p *Preset) timeGrid(m int) []float64 {
	t := make([]float64, m)
	if m == 1 {
		t[0] = p.T.A
		return t
	}
	den := float64(m - 1)
	if p.BC.Kind != PeriodicBC {
		den = float64(m)
	}
	for i := range t {
		t[i] = p.T.A + float64(i)*p.T.Length()/den
	}
	return t
}
