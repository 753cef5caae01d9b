package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/serve"
)

func main() {
	dir := flag.String("checkpoint", "neuralpde-demo/fno", "run directory of a trained FNO or DeepONet")
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	flag.Parse()

	model, err := serve.Load(*dir)
	if err != nil {
		log.Fatal(err)
	}
	card := model.Card()
	log.Printf("loaded %s for %s (trained on %v points)", card.Kind, card.Preset, card.Grid)

	var mu sync.Mutex
	http.HandleFunc("POST /solve", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			U0 []float64 `json:"u0"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || len(req.U0) == 0 {
			http.Error(w, `send {"u0": [numbers]}`, http.StatusBadRequest)
			return
		}
		mu.Lock()
		u1, err := model.Predict(data.NewArray(req.U0, len(req.U0)))
		mu.Unlock()
		if serve.IsInputError(err) {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string][]float64{"u1": u1.Data})
	})
	srv := &http.Server{Addr: *addr, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	log.Printf("listening on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
