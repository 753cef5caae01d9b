package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/neuralpde/neuralpde/serve"
	"github.com/spf13/cobra"
)

type predictFlags struct {
	checkpoint, input, out string
}

func newPredictCmd() *cobra.Command {
	f := new(predictFlags)
	cmd := &cobra.Command{
		Use:   "predict --checkpoint DIR --input F.npz --out G.npz",
		Short: "Predict output fields for the input fields in a .npz file with a trained FNO or DeepONet",
		Long: `Read input fields from F.npz — a dataset from neuralpde generate (its inputs),
or any .npz holding an array named inputs or a, or a single array — shaped
(n, grid...) or one field (grid...), and write the model's predictions to
G.npz as the array u, with the output grid's coordinates (x, or x and y).

An FNO answers on the input's own grid, any size it accepts (finer than the
training grid is zero-shot super-resolution); a DeepONet reads its inputs at
its sensors and answers on its training grid. A PINN solves one instance and
takes no input: use neuralpde eval --out for its prediction.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runPredict(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.checkpoint, "checkpoint", "", "directory written by neuralpde train")
	fl.StringVar(&f.input, "input", "", ".npz file of input fields")
	fl.StringVarP(&f.out, "out", "o", "", "output .npz file")
	return cmd
}

// readInputs returns the input fields of the .npz at path: a dataset's
// inputs, else its array inputs or a, else its only array.
func readInputs(path string) (data.Array, error) {
	arrays, _, err := data.ReadNPZ(path)
	if err != nil {
		return data.Array{}, err
	}
	for _, name := range []string{data.InputsKey, "a"} {
		if a, ok := arrays[name]; ok {
			return a, nil
		}
	}
	if len(arrays) == 1 {
		for _, a := range arrays {
			return a, nil
		}
	}
	names := make([]string, 0, len(arrays))
	for name := range arrays {
		names = append(names, name)
	}
	sort.Strings(names)
	return data.Array{}, usagef("--input %s has arrays %v; name the input fields inputs or a", path, names)
}

func runPredict(cmd *cobra.Command, f *predictFlags) error {
	switch {
	case f.checkpoint == "":
		return usagef("predict needs --checkpoint DIR")
	case f.input == "":
		return usagef("predict needs --input F.npz")
	case f.out == "":
		return usagef("predict needs --out G.npz")
	}
	kind, err := checkpointKind(f.checkpoint)
	if err != nil {
		return err
	}
	if kind == pinn.CheckpointKind {
		return usagef("%s holds a PINN, which solves one instance and takes no input; use neuralpde eval --checkpoint %s --out G.npz", f.checkpoint, f.checkpoint)
	}
	s, err := serve.Load(f.checkpoint)
	if err != nil {
		return err
	}
	in, err := readInputs(f.input)
	if err != nil {
		return err
	}
	start := time.Now()
	out, err := s.Predict(in)
	if serve.IsInputError(err) {
		return usagef("--input %s: %v", f.input, err)
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	card := s.Card()
	arrays := map[string]data.Array{"u": out}
	grid := out.Shape[len(out.Shape)-s.Dims():]
	for k, n := range grid {
		name := fmt.Sprintf("axis%d", k)
		if k < len(card.Axes) {
			name = card.Axes[k]
		}
		arrays[name] = data.NewArray(card.Coords(k, n), n)
	}
	meta := map[string]any{"model": card.Kind, "checkpoint": f.checkpoint, "input": f.input, "preset": card.Preset}
	if err := data.WriteNPZ(f.out, arrays, meta); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: predicted u %v from inputs %v in %s; wrote %s\n", card.Kind, out.Shape, in.Shape, elapsed.Round(time.Microsecond), f.out)
	return nil
}
