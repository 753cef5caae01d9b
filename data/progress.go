package data

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports how many of total items are done: a progress bar when w
// is a terminal, a plain line every few seconds or 10 % otherwise, nothing
// when w is nil. It is safe for concurrent use.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	bar   *progressbar.ProgressBar
	label string
	total int
	done  int
	start time.Time
	last  time.Time
	// lastFrac is the fraction at the last plain line.
	lastFrac float64
}

// plainEvery is the longest gap between two plain progress lines.
const plainEvery = 5 * time.Second

func newProgress(w io.Writer, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now()}
	p.last = p.start
	if w == nil || total == 0 {
		p.w = nil
		return p
	}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
	}
	return p
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// add records n more items done.
func (p *progress) add(n int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.bar != nil {
		p.bar.Add(n)
		return
	}
	now := time.Now()
	frac := float64(p.done) / float64(p.total)
	if p.done < p.total && now.Sub(p.last) < plainEvery && frac-p.lastFrac < 0.1 {
		return
	}
	p.last, p.lastFrac = now, frac
	el := now.Sub(p.start)
	left := ""
	if p.done < p.total && p.done > 0 {
		rest := time.Duration(float64(el) * float64(p.total-p.done) / float64(p.done))
		left = fmt.Sprintf(", ~%s left", rest.Round(100*time.Millisecond))
	}
	fmt.Fprintf(p.w, "%s: %d/%d (%.0f%%), %s elapsed%s\n", p.label, p.done, p.total, 100*frac, el.Round(100*time.Millisecond), left)
}
