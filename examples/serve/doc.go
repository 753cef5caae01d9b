// Command serve is a small Go service that loads a trained surrogate with
// the neuralpde library and answers predictions in its own HTTP handler:
// the path for embedding a model in a service of your own, without the
// neuralpde serve command.
//
//	go run ./examples/serve -checkpoint neuralpde-demo/fno -addr 127.0.0.1:8081
//	curl -s 127.0.0.1:8081/solve -d '{"u0": [0.1, 0.3, ...]}'
//
// It answers POST /solve with {"u0": [...]}, one initial condition on a
// uniform grid, by {"u1": [...]} on the same grid. A Surrogate is not safe
// for concurrent use, so the handler holds a mutex around it (the serve
// package's Pool keeps one model per worker instead).
package main
