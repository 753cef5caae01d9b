package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/neuralpde/neuralpde/"

const (
	gonum      = "gonum.org/v1/gonum"
	plot       = "gonum.org/v1/plot"
	dsp        = "github.com/mjibson/go-dsp"
	gorgonia   = "gorgonia.org/gorgonia"
	tensor     = "gorgonia.org/tensor"
	npyio      = "codeberg.org/sbinet/npyio"
	progress   = "github.com/schollz/progressbar"
	assumeNoGC = "go4.org/unsafe/assume-no-moving-gc"
	netlib     = "gonum.org/v1/netlib"
)

// allowed is DESIGN.md's layout table: for each top-level folder, the
// folders of this module and the outside modules its packages may import.
// The standard library is always allowed; a folder's sub-packages count as
// the folder.
var allowed = map[string][]string{
	"pde":       {gonum},
	"operators": {"pde", "operators", gonum, dsp},
	"classical": {"pde", "operators", "classical", gonum},
	"data":      {"pde", "operators", npyio, gonum, progress},
	"nn":        {"operators", "train", gorgonia, tensor, gonum, assumeNoGC, netlib},
	"train":     {"nn", "data", gonum, progress},
	"pinn":      {"pde", "operators", "classical", "data", "nn", "train", gorgonia, tensor, gonum},
	"deeponet":  {"pde", "operators", "classical", "data", "nn", "train", gorgonia, tensor, gonum},
	"fno":       {"pde", "operators", "classical", "data", "nn", "train", gorgonia, tensor, gonum},
	"nsm":       {"pde", "operators", "classical", "data", "nn", "train", gorgonia, tensor, gonum},
	"plots":     {gonum, plot},
	"serve":     {"pde", "operators", "classical", "data", "nn", "train", "pinn", "deeponet", "fno", "nsm", gonum},
	"cmd":       nil, // the CLI may import everything
	"examples":  nil,
	"internal":  nil,
}

func TestImportDirection(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if top == rel { // files at the module root
			return nil
		}
		rules, known := allowed[top]
		if !known {
			t.Errorf("%s: folder %q is not in DESIGN.md's layout table; add it there and here", rel, top)
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		if rules == nil {
			return nil
		}
		for _, is := range f.Imports {
			imp, _ := strconv.Unquote(is.Path.Value)
			if !permitted(top, imp, rules) {
				t.Errorf("%s imports %s, which DESIGN.md's layout table does not allow for %s/", rel, imp, top)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no Go files were checked")
	}
}

func permitted(top, imp string, rules []string) bool {
	if imp == module+"internal/cputime" {
		return true // a standard-library-only leaf every package's benchmarks use
	}
	if own, ok := strings.CutPrefix(imp, module); ok {
		folder := strings.Split(own, "/")[0]
		if folder == top {
			return true
		}
		for _, r := range rules {
			if r == folder {
				return true
			}
		}
		return false
	}
	first := strings.Split(imp, "/")[0]
	if !strings.Contains(first, ".") { // standard library
		return true
	}
	for _, r := range rules {
		if strings.Contains(r, ".") && (imp == r || strings.HasPrefix(imp, r+"/")) {
			return true
		}
	}
	return false
}

func TestPermitted(t *testing.T) {
	cases := []struct {
		top, imp string
		want     bool
	}{
		{"classical", module + "pde", true},
		{"classical", module + "nn", false},
		{"data", module + "classical", false},
		{"pinn", module + "fno", false},
		{"pde", gonum + "/mat", true},
		{"pde", gorgonia, false},
		{"nn", "math", true},
		{"operators", module + "operators/sparse", true},
	}
	for _, c := range cases {
		if got := permitted(c.top, c.imp, allowed[c.top]); got != c.want {
			t.Errorf("permitted(%q, %q) = %v, want %v", c.top, c.imp, got, c.want)
		}
	}
}
