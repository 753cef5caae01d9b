package fno

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The recorded configurations (testdata/*.yaml, JSON-style YAML that the
// CLI's --config and BenchmarkTrain's FNO_CONFIG read) stay valid: they
// decode into a Config, with no unknown field, and pass its checks.
func TestRecordedConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded configs: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		cfg := &Config{}
		if err := dec.Decode(cfg); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, err := cfg.withDefaults(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
