package pde

import (
	"math"
	"testing"
)

func TestGridPoints(t *testing.T) {
	cases := []struct {
		g    Grid
		want []float64
	}{
		{NewPeriodicGrid(-1, 1, 4), []float64{-1, -0.5, 0, 0.5}},
		{NewUniformGrid(-1, 1, 5), []float64{-1, -0.5, 0, 0.5, 1}},
		{NewUniformGrid(0, 1, 2), []float64{0, 1}},
		{NewChebyshevGrid(-1, 1, 5), []float64{-1, -math.Sqrt2 / 2, 0, math.Sqrt2 / 2, 1}},
		{NewChebyshevGrid(0, 2, 3), []float64{0, 1, 2}},
	}
	for _, c := range cases {
		got := c.g.Points(nil)
		if len(got) != len(c.want) {
			t.Fatalf("%v grid: %d points, want %d", c.g.Kind, len(got), len(c.want))
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-15 {
				t.Errorf("%v grid point %d = %v, want %v", c.g.Kind, i, got[i], c.want[i])
			}
		}
	}
}

func TestGridEnds(t *testing.T) {
	for _, n := range []int{2, 3, 100, 255, 256, 1024} {
		p := NewPeriodicGrid(-1, 1, n).Points(nil)
		if p[0] != -1 || !(p[n-1] < 1) || math.Abs(p[n-1]-(1-2/float64(n))) > 1e-15 {
			t.Errorf("periodic n=%d: ends %v, %v; want −1 and 1 − 2/n (right end excluded)", n, p[0], p[n-1])
		}
		u := NewUniformGrid(-1, 1, n).Points(nil)
		if u[0] != -1 || u[n-1] != 1 {
			t.Errorf("uniform n=%d: ends %v, %v; want exactly −1 and 1", n, u[0], u[n-1])
		}
		c := NewChebyshevGrid(-1, 1, n).Points(nil)
		if c[0] != -1 || c[n-1] != 1 {
			t.Errorf("chebyshev n=%d: ends %v, %v; want exactly −1 and 1", n, c[0], c[n-1])
		}
		for i := 1; i < n; i++ {
			if !(c[i] > c[i-1]) {
				t.Errorf("chebyshev n=%d: points not increasing at %d: %v, %v", n, i, c[i-1], c[i])
				break
			}
			// Symmetric about the centre.
			if math.Abs(c[i]+c[n-1-i]) > 1e-15 {
				t.Errorf("chebyshev n=%d: x[%d] = %v and x[%d] = %v are not symmetric", n, i, c[i], n-1-i, c[n-1-i])
				break
			}
		}
	}
}

func TestGridSpacing(t *testing.T) {
	if h := NewPeriodicGrid(0, 1, 1024).Spacing(); h != 1.0/1024 {
		t.Errorf("periodic spacing %v, want %v", h, 1.0/1024)
	}
	if h := NewUniformGrid(-1, 1, 256).Spacing(); math.Abs(h-2.0/255) > 1e-17 {
		t.Errorf("uniform spacing %v, want %v", h, 2.0/255)
	}
}

func TestGridPanics(t *testing.T) {
	cases := []struct {
		name string
		f    func()
	}{
		{"periodic with no points", func() { NewPeriodicGrid(0, 1, 0) }},
		{"uniform with one point", func() { NewUniformGrid(0, 1, 1) }},
		{"empty interval", func() { NewUniformGrid(1, 1, 5) }},
		{"Chebyshev spacing", func() { NewChebyshevGrid(0, 1, 5).Spacing() }},
		{"wrong destination", func() { NewPeriodicGrid(0, 1, 4).Points(make([]float64, 3)) }},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			c.f()
		}()
	}
}

func TestNewField(t *testing.T) {
	f := NewField(NewPeriodicGrid(0, 1, 8), func(x float64) float64 { return 2 * x })
	for j, v := range f.U {
		if v != 2*f.Grid.At(j) {
			t.Errorf("field value %d = %v, want %v", j, v, 2*f.Grid.At(j))
		}
	}
}
