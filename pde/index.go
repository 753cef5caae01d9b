package pde

import (
	"fmt"
	"sort"
)

// The catalogue holds four shapes of preset, each with its own type and
// lookup because each carries different data:
//
//	Preset          evolution in one space dimension (Lookup)
//	Preset2D        fields on a rectangle: Darcy, Navier–Stokes, Poisson (Lookup2D)
//	SteadyPreset    steady problems on planar regions such as the L-shape (LookupSteady)
//	OperatorPreset  operator-learning maps with sensor inputs (LookupOperator)
//
// Presets lists them all under one name space, so a CLI can list and
// dispatch every name.

// PresetKind names the shape of a preset.
type PresetKind string

// The preset kinds, one per preset type.
const (
	KindEvolution1D PresetKind = "evolution-1d"
	KindField2D     PresetKind = "field-2d"
	KindSteady      PresetKind = "steady-region"
	KindOperator    PresetKind = "operator"
)

// PresetInfo is one entry of the whole catalogue.
type PresetInfo struct {
	Name        string
	Kind        PresetKind
	Description string
}

// Presets returns every preset of every kind, sorted by name.
func Presets() []PresetInfo {
	var all []PresetInfo
	for _, p := range presets {
		all = append(all, PresetInfo{p.Name, KindEvolution1D, p.Description})
	}
	for _, p := range presets2D {
		all = append(all, PresetInfo{p.Name, KindField2D, p.Description})
	}
	for _, p := range steadyPresets {
		all = append(all, PresetInfo{p.Name, KindSteady, p.Description})
	}
	for _, p := range operatorPresets {
		all = append(all, PresetInfo{p.Name, KindOperator, p.Description})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

// AllPresetNames returns the names of Presets.
func AllPresetNames() []string {
	all := Presets()
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return names
}

// Kind returns the kind of the named preset, or an error wrapping
// ErrUnknownPreset that lists every known name.
func Kind(name string) (PresetKind, error) {
	for _, p := range Presets() {
		if p.Name == name {
			return p.Kind, nil
		}
	}
	return "", fmt.Errorf("%w %q (known presets: %v)", ErrUnknownPreset, name, AllPresetNames())
}
