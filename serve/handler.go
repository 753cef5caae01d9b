package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/neuralpde/neuralpde/data"
)

// Media types of prediction bodies.
const (
	JSONType = "application/json"
	NPYType  = "application/x-npy"
)

// Options bound what the handler accepts. A zero field means the default
// its comment names.
type Options struct {
	// MaxBodyBytes is the largest request body; zero means 8 MiB. A larger
	// body gets 413.
	MaxBodyBytes int64
	// MaxSamples is the most input fields in one request; zero means 256.
	MaxSamples int
	// Timeout bounds a prediction request from the end of reading its body:
	// waiting for a free model and predicting. Zero means 30 s. A request
	// that runs out gets 503; its prediction finishes in the background
	// and returns its model to the pool.
	Timeout time.Duration
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxBodyBytes <= 0 {
		v.MaxBodyBytes = 8 << 20
	}
	if v.MaxSamples <= 0 {
		v.MaxSamples = 256
	}
	if v.Timeout <= 0 {
		v.Timeout = 30 * time.Second
	}
	return v
}

// Pool lends surrogates to one goroutine at a time.
type Pool struct {
	free chan *Surrogate
	card Card
	dims int
}

// NewPool loads size copies of the model in dir (size < 1 means 1).
func NewPool(dir string, size int) (*Pool, error) {
	size = max(size, 1)
	p := &Pool{free: make(chan *Surrogate, size)}
	for i := range size {
		s, err := Load(dir)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.card, p.dims = s.Card(), s.Dims()
		}
		p.free <- s
	}
	return p, nil
}

// Size returns the number of surrogates in the pool.
func (p *Pool) Size() int { return cap(p.free) }

// Card returns the pooled model's card.
func (p *Pool) Card() Card { return p.card }

// Predict runs in through a free surrogate, waiting for one until ctx is
// done. A prediction already started when ctx ends completes in the
// background.
func (p *Pool) Predict(ctx context.Context, in data.Array) (data.Array, error) {
	var s *Surrogate
	select {
	case s = <-p.free:
	case <-ctx.Done():
		return data.Array{}, fmt.Errorf("serve: no model free before the deadline: %w", ctx.Err())
	}
	type result struct {
		out data.Array
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { p.free <- s }()
		out, err := s.Predict(in)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return data.Array{}, fmt.Errorf("serve: prediction did not finish before the deadline: %w", ctx.Err())
	}
}

// Handler answers
//
//	POST /predict  a JSON body {"inputs": nested arrays} or a .npy body
//	               (Content-Type application/x-npy or
//	               application/octet-stream); the answer is JSON
//	               {"shape": [...], "outputs": nested arrays}, or .npy when
//	               the request's Accept is application/x-npy
//	GET  /model    the model card and the input shape it takes
//	GET  /healthz  {"status": "ok"}
//
// Bad requests get a 4xx status with a JSON {"error": message}.
type Handler struct {
	pool *Pool
	opts Options
	mux  *http.ServeMux
}

// NewHandler returns the handler serving pool's model.
func NewHandler(pool *Pool, opts *Options) *Handler {
	h := &Handler{pool: pool, opts: opts.withDefaults(), mux: http.NewServeMux()}
	h.mux.HandleFunc("/predict", h.predict)
	h.mux.HandleFunc("/model", h.model)
	h.mux.HandleFunc("/healthz", h.health)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", JSONType)
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	fail(w, http.StatusMethodNotAllowed, "%s %s: use %s", r.Method, r.URL.Path, method)
	return false
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if allow(w, r, http.MethodGet) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}
}

func (h *Handler) model(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet) {
		return
	}
	c := h.pool.Card()
	input := "(n, " + gridText(c.Grid) + ") or one field"
	if c.Kind == "fno" {
		input = fmt.Sprintf("(n, %d-D grid) or one field, on any grid of at least twice the modes per axis (trained on %s)", h.pool.dims, gridText(c.Grid))
	}
	writeJSON(w, http.StatusOK, struct {
		Card
		Input        string `json:"input"`
		MaxSamples   int    `json:"max_samples"`
		MaxBodyBytes int64  `json:"max_body_bytes"`
		Workers      int    `json:"workers"`
	}{c, input, h.opts.MaxSamples, h.opts.MaxBodyBytes, h.pool.Size()})
}

func (h *Handler) predict(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != JSONType && mt != NPYType && mt != "application/octet-stream") {
		fail(w, http.StatusUnsupportedMediaType, "Content-Type %q: send %s ({\"inputs\": [...]}) or %s (numpy.save output)", r.Header.Get("Content-Type"), JSONType, NPYType)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(w, http.StatusRequestEntityTooLarge, "body larger than the limit of %d bytes; send fewer samples per request", h.opts.MaxBodyBytes)
		return
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "reading the body: %v", err)
		return
	}
	var in data.Array
	if mt == JSONType {
		in, err = decodeJSON(body)
	} else {
		in, err = ReadNPY(body)
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if len(in.Shape) == h.pool.dims+1 && in.Shape[0] > h.opts.MaxSamples {
		fail(w, http.StatusRequestEntityTooLarge, "%d samples in one request; the limit is %d", in.Shape[0], h.opts.MaxSamples)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	out, err := h.pool.Predict(ctx, in)
	switch {
	case IsInputError(err):
		fail(w, http.StatusUnprocessableEntity, "%v", err)
		return
	case errors.Is(err, context.DeadlineExceeded):
		fail(w, http.StatusServiceUnavailable, "%v (limit %s); retry later or send fewer samples", err, h.opts.Timeout)
		return
	case err != nil:
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	if accept, _, _ := mime.ParseMediaType(r.Header.Get("Accept")); accept == NPYType {
		var b bytes.Buffer
		WriteNPY(&b, out)
		w.Header().Set("Content-Type", NPYType)
		w.Write(b.Bytes())
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Shape   []int           `json:"shape"`
		Outputs json.RawMessage `json:"outputs"`
	}{out.Shape, nested(out)})
}

// decodeJSON reads {"inputs": nested arrays of numbers}, which must be
// rectangular.
func decodeJSON(b []byte) (data.Array, error) {
	var req struct {
		Inputs json.RawMessage `json:"inputs"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return data.Array{}, inputErrorf("JSON body: %v; send {\"inputs\": [[...], ...]}", err)
	}
	if len(req.Inputs) == 0 {
		return data.Array{}, inputErrorf("JSON body has no \"inputs\"; send {\"inputs\": [[...], ...]}")
	}
	var v any
	if err := json.Unmarshal(req.Inputs, &v); err != nil {
		return data.Array{}, inputErrorf("JSON inputs: %v", err)
	}
	var a data.Array
	for x := v; ; {
		l, ok := x.([]any)
		if !ok {
			break
		}
		a.Shape = append(a.Shape, len(l))
		if len(l) == 0 {
			return data.Array{}, inputErrorf("JSON inputs have an empty axis")
		}
		x = l[0]
	}
	if len(a.Shape) == 0 {
		return data.Array{}, inputErrorf("JSON inputs are not an array of numbers")
	}
	if err := flatten(&a.Data, v, a.Shape); err != nil {
		return data.Array{}, err
	}
	return a, nil
}

func flatten(dst *[]float64, v any, shape []int) error {
	if len(shape) == 0 {
		f, ok := v.(float64)
		if !ok {
			return inputErrorf("JSON inputs hold %T where a number belongs (the nesting must be rectangular; NaN is not JSON)", v)
		}
		*dst = append(*dst, f)
		return nil
	}
	l, ok := v.([]any)
	if !ok || len(l) != shape[0] {
		return inputErrorf("JSON inputs are not rectangular: an axis of %d entries where %d were expected", len(l), shape[0])
	}
	for _, e := range l {
		if err := flatten(dst, e, shape[1:]); err != nil {
			return err
		}
	}
	return nil
}

// nested writes a as nested JSON arrays.
func nested(a data.Array) json.RawMessage {
	var b bytes.Buffer
	var rec func(off, axis int) int
	rec = func(off, axis int) int {
		if axis == len(a.Shape) {
			b.Write(strconv.AppendFloat(b.AvailableBuffer(), a.Data[off], 'g', -1, 64))
			return off + 1
		}
		b.WriteByte('[')
		for i := range a.Shape[axis] {
			if i > 0 {
				b.WriteByte(',')
			}
			off = rec(off, axis+1)
		}
		b.WriteByte(']')
		return off
	}
	rec(0, 0)
	return b.Bytes()
}
