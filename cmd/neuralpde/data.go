package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/neuralpde/neuralpde/data"
	"github.com/spf13/cobra"
)

func newDataCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Inspect and merge dataset files",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("data needs a subcommand: merge or info")
		},
	}
	cmd.AddCommand(newDataMergeCmd(), newDataInfoCmd())
	return cmd
}

func newDataMergeCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge --out F.npz SHARD...",
		Short: "Join the shard files of a sharded generate run into one dataset",
		Long: `Join every shard file of one sharded generate run into one dataset, identical
byte for byte to an unsharded run. Shards of different runs, duplicated or
missing shards are refused.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, shards []string) error {
			if out == "" {
				return usagef("data merge needs --out FILE.npz")
			}
			if err := data.Merge(out, shards...); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "merged %d shards into %s\n", len(shards), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "merged .npz file")
	return cmd
}

func newDataInfoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "info F.npz",
		Short: "Print the arrays (shapes, value ranges) and metadata of a .npz file",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printInfo(cmd.OutOrStdout(), args[0])
		},
	}
}

// printInfo describes any .npz file of float64 arrays: a dataset, a solve
// output or a checkpoint. A dataset is also validated.
func printInfo(w io.Writer, path string) error {
	arrays, meta, err := data.ReadNPZ(path)
	if err != nil {
		return err
	}
	_, hasIn := arrays[data.InputsKey]
	_, hasOut := arrays[data.OutputsKey]
	kind := "arrays"
	if hasIn && hasOut {
		if _, err := data.Load(path); err != nil {
			return err
		}
		kind = "dataset"
	}
	fmt.Fprintf(w, "%s: %s, %d arrays\n", path, kind, len(arrays))
	names := make([]string, 0, len(arrays))
	for k := range arrays {
		names = append(names, k)
	}
	sort.Strings(names)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ARRAY\tSHAPE\tMIN\tMAX\tMEAN\tSTD")
	for _, k := range names {
		a := arrays[k]
		if len(a.Data) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\n", k, shapeString(a.Shape))
			continue
		}
		lo, hi, mean, std := stats(a.Data)
		fmt.Fprintf(tw, "%s\t%s\t%.4g\t%.4g\t%.4g\t%.4g\n", k, shapeString(a.Shape), lo, hi, mean, std)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if meta != nil {
		var b bytes.Buffer
		if err := json.Indent(&b, meta, "", "  "); err != nil {
			return err
		}
		fmt.Fprintf(w, "meta: %s\n", b.String())
	}
	return nil
}

// stats returns the range, mean and (population) standard deviation of a
// non-empty x.
func stats(x []float64) (lo, hi, mean, std float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return lo, hi, mean, math.Sqrt(std / float64(len(x)))
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
