package fno

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// configure returns cfg with its defaults filled in and, when cfg.Init
// names a trained model, that model (initFrom).
func configure(cfg *Config) (*Config, *Trained, error) {
	if cfg == nil || cfg.Init == "" {
		c, err := cfg.withDefaults()
		return c, nil, err
	}
	return initFrom(cfg)
}

// initFrom loads the model that cfg.Init names (a directory written by
// Train, or the checkpoint file in one) and returns the configuration to
// train it with: cfg with the architecture fields it leaves zero taken
// from the checkpoint's, and the defaults. Architecture fields that cfg
// sets must equal the checkpoint's; the error names every one that does
// not. The model's configuration becomes the returned one.
func initFrom(cfg *Config) (*Config, *Trained, error) {
	dir, ckpt := cfg.Init, filepath.Join(cfg.Init, CheckpointFile)
	if fi, err := os.Stat(cfg.Init); err == nil && !fi.IsDir() {
		dir, ckpt = filepath.Dir(cfg.Init), cfg.Init
	}
	tm, err := load(dir, ckpt)
	if err != nil {
		return nil, nil, err
	}
	have := tm.Model.cfg
	d := *cfg
	var diff []string
	arch := func(name string, v *int, want int) {
		switch {
		case *v == 0:
			*v = want
		case max(*v, 0) != want:
			diff = append(diff, fmt.Sprintf("%s %d (the checkpoint's: %d)", name, *v, want))
		default:
			*v = want
		}
	}
	arch("width", &d.Width, have.Width)
	arch("modes", &d.Modes, have.Modes)
	arch("layers", &d.Layers, have.Layers)
	arch("proj_width", &d.ProjWidth, have.ProjWidth)
	arch("padding", &d.Padding, have.Padding)
	if tm.Recurrent {
		arch("history", &d.History, tm.Model.In)
	}
	if len(diff) > 0 {
		return nil, nil, fmt.Errorf("fno: init %s: the configuration's architecture differs from the checkpoint's: %s; leave these fields out of the configuration (they default to the checkpoint's) or train without init",
			cfg.Init, strings.Join(diff, ", "))
	}
	c, err := d.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	mc := *c
	tm.Model.cfg = &mc
	return c, tm, nil
}

// checkKind returns an error unless init (nil: none) is a recurrent
// model exactly when the data are a time series.
func checkKind(init *Trained, c *Config, series bool) error {
	switch {
	case init == nil || init.Recurrent == series:
		return nil
	case init.Recurrent:
		return fmt.Errorf("fno: init %s is a recurrent FNO-2D, and these data have no time axis; start it on a time series (n, T, s1, s2)", c.Init)
	}
	return fmt.Errorf("fno: init %s maps a field to a field, and these data are a time series (which trains a recurrent FNO-2D); start it on data of its kind", c.Init)
}

// startFrom returns the model to train on tr: init, when set, checked
// against the data's dim axes and in and out channels and with its
// padding scaled to tr's grid as Evaluate scales it; else a fresh model of
// c with normalisers fitted to tr. The normalisers of init are kept: its
// weights were fitted to their encoding, and per-channel statistics of
// the same fields hardly depend on the resolution.
func startFrom(init *Trained, c *Config, dim, in, out int, tr *Samples) (*Trained, error) {
	if init == nil {
		return newTrained(c, dim, in, out, tr)
	}
	if m := init.Model; m.Dim != dim || m.In != in || m.Out != out {
		return nil, fmt.Errorf("fno: init %s is a %d-D model from %d to %d channels; these data are %d-D with %d input and %d output channels", c.Init, m.Dim, m.In, m.Out, dim, in, out)
	}
	init.Model.cfg.Padding = init.padding(tr.Grid)
	return init, nil
}
