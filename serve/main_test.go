package serve

import (
	"os"
	"testing"
)

var testRoot string

func tempRoot() (string, error) { return testRoot, nil }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "serve-test-")
	if err != nil {
		panic(err)
	}
	testRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
