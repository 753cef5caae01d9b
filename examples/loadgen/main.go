package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/predict", "URL to POST to (loopback only)")
	bodyPath := flag.String("body", "", "request body file (.npy or .json)")
	ctype := flag.String("type", "", "Content-Type (default: from the body file's extension)")
	clients := flag.Int("c", 4, "concurrent clients")
	total := flag.Int("n", 1000, "requests in all")
	limit := flag.Duration("d", time.Minute, "longest the run may take")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil {
		log.Fatal(err)
	}
	if !loopback(u.Hostname()) {
		log.Fatalf("loadgen: %s is not a loopback address; it only loads servers on this machine", u.Hostname())
	}
	if *clients < 1 || *total < 1 || *limit <= 0 {
		log.Fatal("loadgen: -c, -n and -d must be positive")
	}
	body, err := os.ReadFile(*bodyPath)
	if err != nil {
		log.Fatal(err)
	}
	if *ctype == "" {
		*ctype = map[string]string{".npy": "application/x-npy", ".json": "application/json"}[filepath.Ext(*bodyPath)]
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	var (
		next     atomic.Int64
		failures atomic.Int64
		mu       sync.Mutex
		lat      []time.Duration
		wg       sync.WaitGroup
		firstErr atomic.Value
	)
	deadline := time.Now().Add(*limit)
	start := time.Now()
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for next.Add(1) <= int64(*total) && time.Now().Before(deadline) {
				t0 := time.Now()
				resp, err := client.Post(*target, *ctype, bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %s", resp.Status)
					}
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("%d requests OK, %d errors, %d clients, %s: %.1f requests/s; latency p50 %s, p90 %s, p99 %s, max %s\n",
		len(lat), failures.Load(), *clients, elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
		pct(0.5).Round(time.Microsecond), pct(0.9).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	if e := firstErr.Load(); e != nil {
		fmt.Printf("first error: %s\n", e)
		os.Exit(1)
	}
}

// loopback reports whether host names this machine's loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
