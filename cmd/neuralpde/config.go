package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/nsm"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

func newConfigCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print default configurations as YAML",
		Args:  usageArgs(cobra.NoArgs),
	}
	var model, preset, command string
	print := &cobra.Command{
		Use:   "print (--model fno|deeponet|pinn|nsm [--preset P] | --command generate|compare)",
		Short: "Print a model's default configuration, or a command's settings, as YAML",
		Long: `Print the one source of defaults as YAML, ready to edit and pass back with
--config F.yaml:

  --model fno|deeponet     the model's DefaultConfig (for train --config)
  --model pinn --preset P  the PINN configuration of preset P (default
                           burgers-shock)
  --model nsm --preset P   the nsm configuration of problem P (default
                           poisson-periodic-grf)
  --command generate       the settings of generate (keys are its flag names)
  --command compare        the settings of compare

A file needs only the keys it changes; flags given on the command line
override the file, and an unknown key is an error naming it.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			w := c.OutOrStdout()
			switch {
			case model != "" && command != "":
				return usagef("give --model or --command, not both")
			case command != "":
				if preset != "" {
					return usagef("--preset is for --model pinn")
				}
				return printFlagDefaults(w, e, command)
			case model == "":
				return usagef("config print needs --model (fno, deeponet, pinn, nsm) or --command (generate, compare)")
			}
			var cfg any
			switch model {
			case "fno":
				cfg = fno.DefaultConfig()
			case "fno-implicit":
				cfg = fno.DefaultImplicitConfig()
			case "deeponet":
				cfg = deeponet.DefaultConfig()
			case "nsm":
				if preset == "" {
					preset = "poisson-periodic-grf"
				}
				p, err := nsm.NewProblem(preset)
				if err != nil {
					return usageError{err}
				}
				cfg = nsm.DefaultConfig(p)
			case "pinn":
				if preset == "" {
					preset = "burgers-shock"
				}
				c, err := pinn.DefaultConfig(preset)
				if err != nil {
					return usageError{err}
				}
				cfg = c
			default:
				return usagef("unknown model %q (known models: %v)", model, trainModels)
			}
			if model != "pinn" && model != "nsm" && preset != "" {
				return usagef("--preset is for --model pinn and nsm; the %s defaults do not depend on the preset", model)
			}
			if preset != "" {
				fmt.Fprintf(w, "# default %s configuration for %s (neuralpde train --model %s --preset %s --config F.yaml)\n", model, preset, model, preset)
			} else {
				fmt.Fprintf(w, "# default %s configuration (neuralpde train --model %s --config F.yaml)\n", model, model)
			}
			enc := yaml.NewEncoder(w)
			enc.SetIndent(2)
			if err := enc.Encode(cfg); err != nil {
				return err
			}
			return enc.Close()
		},
	}
	print.Flags().StringVar(&model, "model", "", "model family: fno, fno-implicit, deeponet, pinn or nsm")
	print.Flags().StringVar(&preset, "preset", "", "pinn, nsm: the preset or problem whose configuration to print")
	print.Flags().StringVar(&command, "command", "", "command whose settings to print: generate or compare")
	cmd.AddCommand(print)
	return cmd
}

// configurable are the commands whose flags a --config file may set.
func configurable(e *env, name string) (*cobra.Command, error) {
	switch name {
	case "generate":
		return newGenerateCmd(e), nil
	case "compare":
		return newCompareCmd(e), nil
	}
	return nil, usagef("unknown command %q for --command (generate or compare)", name)
}

// fileKeys are flags a config file may not set: where it is and where the
// output goes are for the command line.
var fileKeys = map[string]bool{"config": false, "help": false, "quiet": false}

func printFlagDefaults(w io.Writer, e *env, name string) error {
	cmd, err := configurable(e, name)
	if err != nil {
		return err
	}
	doc := &yaml.Node{Kind: yaml.MappingNode}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if allowed, listed := fileKeys[fl.Name]; listed && !allowed {
			return
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: strings.ReplaceAll(fl.Name, "-", "_"), HeadComment: fl.Usage}
		v := &yaml.Node{Kind: yaml.ScalarNode, Value: fl.DefValue}
		switch fl.Value.Type() {
		case "string":
			v.Tag = "!!str"
		case "stringSlice":
			v.Value = strings.Trim(fl.DefValue, "[]")
			v.Tag = "!!str"
		}
		doc.Content = append(doc.Content, k, v)
	})
	fmt.Fprintf(w, "# neuralpde %s settings (neuralpde %s --config F.yaml; flags override the file)\n", name, name)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

// applyConfigFile sets cmd's flags from the YAML file at path, keys being
// flag names (with - or _), except flags given on the command line, which
// override the file. An unknown key is an error naming it.
func applyConfigFile(cmd *cobra.Command, path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return usageError{err}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return usagef("--config %s: %v", path, err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return usagef("--config %s: want a mapping of settings (see neuralpde config print --command %s)", path, cmd.Name())
	}
	fl := cmd.Flags()
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i].Value, m.Content[i+1]
		name := strings.ReplaceAll(key, "_", "-")
		f := fl.Lookup(name)
		if allowed, listed := fileKeys[name]; f == nil || (listed && !allowed) {
			var known []string
			fl.VisitAll(func(f *pflag.Flag) {
				if allowed, listed := fileKeys[f.Name]; !listed || allowed {
					known = append(known, strings.ReplaceAll(f.Name, "-", "_"))
				}
			})
			sort.Strings(known)
			return usagef("--config %s: unknown key %q (line %d); known keys: %s", path, key, m.Content[i].Line, strings.Join(known, ", "))
		}
		if f.Changed {
			continue
		}
		var s string
		switch val.Kind {
		case yaml.ScalarNode:
			s = val.Value
		case yaml.SequenceNode:
			parts := make([]string, len(val.Content))
			for j, c := range val.Content {
				if c.Kind != yaml.ScalarNode {
					return usagef("--config %s: key %q holds a nested list", path, key)
				}
				parts[j] = c.Value
			}
			s = strings.Join(parts, ",")
		default:
			return usagef("--config %s: key %q holds a mapping; it takes a value", path, key)
		}
		if err := f.Value.Set(s); err != nil {
			return usagef("--config %s: key %q: %v", path, key, err)
		}
	}
	return nil
}
