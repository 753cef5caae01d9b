// Command loadgen sends a bounded number of identical POST requests from
// several concurrent clients to a server on this machine (a loopback
// address only) and prints the throughput and latency percentiles, for
// measuring neuralpde serve:
//
//	go run ./examples/loadgen -url http://127.0.0.1:8080/predict -body in.npy -c 4 -n 2000
//
// It stops after -n requests or -d, whichever comes first.
package main
