package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// usageError marks an error caused by the command line itself (unknown
// preset or model name, bad flag value); it exits with code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

// usageArgs wraps a cobra positional-argument check so that its failure
// is a usage error.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// env is the process environment the commands read (job-array shard
// indices); tests supply their own.
type env struct {
	getenv func(string) string
}

func newRootCmd(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	root := &cobra.Command{
		Use:           "neuralpde",
		Short:         "Neural and classical PDE solvers: generate datasets, train surrogates, compare",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	e := &env{getenv: getenv}
	root.AddCommand(newListCmd(), newSolveCmd(), newGenerateCmd(e), newDataCmd(), newTrainCmd(), newEvalCmd(), newPredictCmd(), newCompareCmd(e), newServeCmd(), newConfigCmd(e), newDemoCmd(e))
	return root
}
