package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args, writing to stdout and stderr, and
// returns the process exit code: 0 on success, 2 for a usage error (unknown
// name, bad flag), 1 for any other failure.
func run(args []string, stdout, stderr *os.File) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "neuralpde:", err)
		if isUsage(err) {
			return 2
		}
		return 1
	}
	return 0
}
