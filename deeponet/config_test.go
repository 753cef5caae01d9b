package deeponet

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The recorded configurations (testdata/*.yaml, JSON-style YAML that the
// CLI's --config reads) stay valid: they decode into a Config on top of
// DefaultConfig and pass its checks.
func TestRecordedConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded configs: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		if err := json.Unmarshal(b, cfg); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, err := cfg.withDefaults(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
