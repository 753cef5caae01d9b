package serve

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// BenchmarkHandler sends .npy prediction requests of one 32-point field
// from parallel clients through the handler on loopback, with pools of one
// and two models (go test -bench Handler -cpu 2 ./serve).
func BenchmarkHandler(b *testing.B) {
	dirs := runDirs(b)
	for _, kind := range []string{"fno", "deeponet"} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", kind, workers), func(b *testing.B) {
				pool, err := NewPool(dirs[kind], workers)
				if err != nil {
					b.Fatal(err)
				}
				srv := httptest.NewServer(NewHandler(pool, nil))
				defer srv.Close()
				body := npyBody(b, data.NewArray(periodicSet(1, 32, 5).Inputs.Data, 1, 32))
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						resp, err := http.Post(srv.URL+"/predict", NPYType, strings.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
				})
			})
		}
	}
}
