package pinn

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// readConfig decodes the recorded config file path over base (nil means
// an empty config) as the CLI's --config does, refusing unknown keys. The
// files are JSON-style YAML after their comment lines, since pinn does
// not import a YAML package.
func readConfig(t *testing.T, path string, base *Config) *Config {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if base == nil {
		base = &Config{}
	}
	if err := decodeConfig(b, base); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return base
}

// decodeConfig decodes a recorded config into c.
func decodeConfig(b []byte, c *Config) error {
	var body bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			body.Write(line)
		}
	}
	dec := json.NewDecoder(&body)
	dec.DisallowUnknownFields()
	return dec.Decode(c)
}

// TestBurgersConfigFiles keeps the recorded burgers-shock recipes in
// step with the code: the best one is DefaultConfig's, and the classic one
// is Raissi et al.'s set-up whether read alone or over the defaults.
func TestBurgersConfigFiles(t *testing.T) {
	def, err := DefaultConfig("burgers-shock")
	if err != nil {
		t.Fatal(err)
	}
	best := readConfig(t, "testdata/burgers-shock-best.yaml", nil)
	if !reflect.DeepEqual(best, def) {
		t.Errorf("testdata/burgers-shock-best.yaml is\n%+v\nDefaultConfig(burgers-shock) is\n%+v", best, def)
	}
	classic := readConfig(t, "testdata/burgers-shock-classic.yaml", nil)
	over, _ := DefaultConfig("burgers-shock")
	over = readConfig(t, "testdata/burgers-shock-classic.yaml", over)
	if !reflect.DeepEqual(classic, over) {
		t.Errorf("the classic config read over the defaults differs from the file alone:\n%+v\n%+v", over, classic)
	}
	p, m, err := classic.build()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(classic.Network.Hidden); got != 8 || classic.Network.Hidden[0] != 20 || m.Constraint != nil {
		t.Errorf("classic network %v, constraint %v; want 8 layers of 20 and none", classic.Network.Hidden, m.Constraint)
	}
	pts := classic.Points
	if pts.Collocation != 10000 || pts.Initial+pts.Boundary != 100 || p.Dim() != 2 {
		t.Errorf("classic points %+v; want 10,000 collocation and 100 initial and boundary points", pts)
	}
	if len(classic.Stages) != 2 || classic.Stages[0].Optimizer != "adam" || classic.Stages[1].Optimizer != "lbfgs" {
		t.Errorf("classic stages %+v; want Adam, then L-BFGS", classic.Stages)
	}
}
