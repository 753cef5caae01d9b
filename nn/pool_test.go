package nn

import "testing"

func TestBufferPool(t *testing.T) {
	p := newBufferPool()
	a := p.get(4, 3)
	b := p.get(2, 2)
	if &a.Data().([]float64)[0] == &b.Data().([]float64)[0] {
		t.Fatal("one array lent twice within a run")
	}
	p.releaseAll()
	// A smaller request reuses the best-fitting array, a larger one does
	// not get a short one.
	c := p.get(1, 4)
	if &c.Data().([]float64)[0] != &b.Data().([]float64)[0] {
		t.Error("best fit not chosen for a 1×4 request")
	}
	d := p.get(5, 3)
	if len(d.Data().([]float64)) != 15 || &d.Data().([]float64)[0] == &a.Data().([]float64)[0] {
		t.Error("a 5×3 request got a 12-element array")
	}
	if s := c.Shape(); s[0] != 1 || s[1] != 4 {
		t.Errorf("shape %v, want (1, 4)", s)
	}
}
