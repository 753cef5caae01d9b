package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/neuralpde/neuralpde/serve"
	"github.com/spf13/cobra"
)

type serveFlags struct {
	checkpoint, addr string
	workers          int
	maxBody          int64
	maxSamples       int
	timeout          time.Duration
}

func newServeCmd() *cobra.Command {
	f := new(serveFlags)
	cmd := &cobra.Command{
		Use:   "serve --checkpoint DIR [--addr 127.0.0.1:8080]",
		Short: "Answer predictions of a trained FNO or DeepONet over HTTP",
		Long: `Serve the model trained into DIR over HTTP until interrupted:

  POST /predict  body {"inputs": [[...], ...]} (Content-Type application/json)
                 or numpy.save output (application/x-npy or
                 application/octet-stream); answers {"shape": [...],
                 "outputs": [...]}, or .npy with Accept: application/x-npy
  GET  /model    the model card: kind, PDE, training grid, errors, limits
  GET  /healthz  {"status": "ok"}

Wrong content type (415), oversized body or too many samples (413), malformed
body (400), wrong shape or NaN (422) are answered with {"error": message}.
One model is loaded per worker; a request waits for a free one at most
--timeout (then 503).

  curl -s localhost:8080/predict -H 'Content-Type: application/json' \
       -d '{"inputs": [[0.1, 0.2, ...]]}'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.checkpoint, "checkpoint", "", "directory written by neuralpde train")
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.IntVar(&f.workers, "workers", 0, "models loaded, one per concurrent prediction (0: GOMAXPROCS)")
	fl.Int64Var(&f.maxBody, "max-body", 8<<20, "largest request body in bytes")
	fl.IntVar(&f.maxSamples, "max-samples", 256, "most input fields in one request")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "longest a prediction request may wait and run")
	return cmd
}

func runServe(cmd *cobra.Command, f *serveFlags) error {
	if f.checkpoint == "" {
		return usagef("serve needs --checkpoint DIR")
	}
	if f.workers < 0 || f.maxBody < 1 || f.maxSamples < 1 || f.timeout <= 0 {
		return usagef("--workers must not be negative and --max-body, --max-samples, --timeout must be positive")
	}
	workers := f.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pool, err := serve.NewPool(f.checkpoint, workers)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usagef("--addr %s: %v", f.addr, err)
	}
	h := serve.NewHandler(pool, &serve.Options{MaxBodyBytes: f.maxBody, MaxSamples: f.maxSamples, Timeout: f.timeout})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       f.timeout,
		WriteTimeout:      2*f.timeout + 5*time.Second,
		IdleTimeout:       time.Minute,
	}
	card := pool.Card()
	fmt.Fprintf(cmd.OutOrStdout(), "serving %s (%s, trained on %v) at http://%s with %d workers; Ctrl-C stops\n",
		card.Kind, card.Preset, card.Grid, ln.Addr(), workers)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-cmd.Context().Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), "stopped")
	return nil
}
