package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Merge joins the shard files written by sharded Generate runs into one
// dataset at out. The result is byte-identical to an unsharded run of the
// same config. Merge refuses shards of different datasets (metadata other
// than the shard differs, or different coordinates), duplicated or missing
// shards, and files that are not shards, naming the files at fault. The
// order of shards does not matter.
func Merge(out string, shards ...string) error {
	if len(shards) == 0 {
		return errors.New("data: Merge needs shard files; list every shard-k-of-n file of the dataset")
	}
	parts := make([]*Dataset, len(shards))
	for i, p := range shards {
		d, err := Load(p)
		if err != nil {
			return err
		}
		if d.Meta.Shard == nil {
			return fmt.Errorf("data: %s is a whole dataset, not a shard", p)
		}
		parts[i] = d
	}
	first, firstPath := parts[0], shards[0]
	count := first.Meta.Shard.Count
	byIndex := make([]int, count)
	for i := range byIndex {
		byIndex[i] = -1
	}
	for i, d := range parts {
		s := d.Meta.Shard
		if s.Count != count {
			return fmt.Errorf("data: %s is shard %d of %d but %s is a shard of %d; merge shards of one run", shards[i], s.Index, s.Count, firstPath, count)
		}
		if field := metaDiff(first.Meta, d.Meta); field != "" {
			return fmt.Errorf("data: %s and %s are shards of different datasets (their %q differs); merge shards generated with one config and seed", firstPath, shards[i], field)
		}
		if err := sameCoords(first, d); err != nil {
			return fmt.Errorf("data: %s and %s are shards of different datasets: %v", firstPath, shards[i], err)
		}
		if !slices.Equal(d.Inputs.Shape[1:], first.Inputs.Shape[1:]) || !slices.Equal(d.Outputs.Shape[1:], first.Outputs.Shape[1:]) {
			return fmt.Errorf("data: %s and %s hold samples of different shapes", firstPath, shards[i])
		}
		if j := byIndex[s.Index]; j >= 0 {
			return fmt.Errorf("data: shard %d of %d is given twice (%s and %s)", s.Index, count, shards[j], shards[i])
		}
		if lo, hi := ShardRange(d.Meta.Samples, s.Index, count); s.Start != lo || s.End != hi {
			return fmt.Errorf("data: %s holds samples [%d, %d) but shard %d of %d should hold [%d, %d)", shards[i], s.Start, s.End, s.Index, count, lo, hi)
		}
		byIndex[s.Index] = i
	}
	var missing []string
	for k, i := range byIndex {
		if i < 0 {
			missing = append(missing, ShardPath(out, k, count))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("data: %d of %d shards are missing (%s); generate them before merging", len(missing), count, strings.Join(missing, ", "))
	}

	n := first.Meta.Samples
	m := &Dataset{Coords: first.Coords, Meta: first.Meta}
	m.Meta.Shard = nil
	m.Inputs = Array{Shape: append([]int{n}, first.Inputs.Shape[1:]...), Data: make([]float64, 0, n*first.InputLen())}
	m.Outputs = Array{Shape: append([]int{n}, first.Outputs.Shape[1:]...), Data: make([]float64, 0, n*first.OutputLen())}
	for _, i := range byIndex {
		m.Inputs.Data = append(m.Inputs.Data, parts[i].Inputs.Data...)
		m.Outputs.Data = append(m.Outputs.Data, parts[i].Outputs.Data...)
	}
	return m.Save(out)
}

// metaDiff returns the first top-level metadata field, other than the
// shard, in which a and b differ, or "" when they agree.
func metaDiff(a, b Meta) string {
	a.Shard, b.Shard = nil, nil
	var ma, mb map[string]json.RawMessage
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	json.Unmarshal(ja, &ma)
	json.Unmarshal(jb, &mb)
	keys := make([]string, 0, len(ma)+len(mb))
	for k := range ma {
		keys = append(keys, k)
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if string(ma[k]) != string(mb[k]) {
			return k
		}
	}
	return ""
}

func sameCoords(a, b *Dataset) error {
	if len(a.Coords) != len(b.Coords) {
		return fmt.Errorf("they have %d and %d coordinate arrays", len(a.Coords), len(b.Coords))
	}
	for k, c := range a.Coords {
		d, ok := b.Coords[k]
		if !ok || !slices.Equal(c.Shape, d.Shape) || !slices.Equal(c.Data, d.Data) {
			return fmt.Errorf("their coordinate %q differs", k)
		}
	}
	return nil
}
