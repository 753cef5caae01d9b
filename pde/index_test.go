package pde

import (
	"errors"
	"testing"
)

// TestPresetNamesUnique checks that no name is registered under two kinds:
// the CLI dispatches on the name alone.
func TestPresetNamesUnique(t *testing.T) {
	seen := map[string]PresetKind{}
	for _, p := range Presets() {
		if k, dup := seen[p.Name]; dup {
			t.Errorf("preset %q is registered as both %s and %s", p.Name, k, p.Kind)
		}
		seen[p.Name] = p.Kind
		if p.Description == "" {
			t.Errorf("preset %q has no description", p.Name)
		}
	}
	for _, want := range []struct {
		name string
		kind PresetKind
	}{{"burgers-shock", KindEvolution1D}, {"darcy", KindField2D}, {"navier-stokes", KindField2D}} {
		if k, err := Kind(want.name); err != nil || k != want.kind {
			t.Errorf("Kind(%q) = %q, %v; want %q", want.name, k, err, want.kind)
		}
	}
	if _, err := Kind("no-such-preset"); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("Kind of an unknown name: %v, want ErrUnknownPreset", err)
	}
}
