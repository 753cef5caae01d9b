package data

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Sharding splits a dataset of n samples into count contiguous blocks:
// shard k holds samples [k·n/count, (k+1)·n/count). Contiguous blocks make a
// merge a concatenation; since sample i depends only on (seed, i), the
// merged file equals an unsharded run byte for byte.

// ShardRange returns the samples [start, end) of shard k of count in a
// dataset of n samples.
func ShardRange(n, k, count int) (start, end int) {
	return k * n / count, (k + 1) * n / count
}

// ShardPath returns the file name of shard k of count for the dataset
// path out: "burgers.npz" becomes "burgers.shard-03-of-10.npz".
func ShardPath(out string, k, count int) string {
	ext := filepath.Ext(out)
	w := len(strconv.Itoa(count - 1))
	return fmt.Sprintf("%s.shard-%0*d-of-%d%s", strings.TrimSuffix(out, ext), w, k, count, ext)
}

// ShardFromEnv finds this process's shard in the environment of a job
// array: Slurm's SLURM_ARRAY_TASK_ID (relative to SLURM_ARRAY_TASK_MIN, with
// the count from SLURM_ARRAY_TASK_COUNT unless count > 0 overrides it), or
// a Kubernetes indexed Job's JOB_COMPLETION_INDEX (whose count, the Job's
// completions, must be given as count). ok is false when neither is set.
// getenv is os.Getenv outside tests.
func ShardFromEnv(getenv func(string) string, count int) (shard, shards int, ok bool, err error) {
	atoi := func(name string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(getenv(name)))
		if err != nil {
			return 0, fmt.Errorf("data: environment variable %s=%q is not an integer", name, getenv(name))
		}
		return v, nil
	}
	switch {
	case getenv("SLURM_ARRAY_TASK_ID") != "":
		id, err := atoi("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return 0, 0, false, err
		}
		lo := 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if lo, err = atoi("SLURM_ARRAY_TASK_MIN"); err != nil {
				return 0, 0, false, err
			}
		}
		shards = count
		if shards <= 0 {
			if getenv("SLURM_ARRAY_TASK_COUNT") == "" {
				return 0, 0, false, fmt.Errorf("data: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give the number of shards explicitly")
			}
			if shards, err = atoi("SLURM_ARRAY_TASK_COUNT"); err != nil {
				return 0, 0, false, err
			}
		}
		shard = id - lo
	case getenv("JOB_COMPLETION_INDEX") != "":
		idx, err := atoi("JOB_COMPLETION_INDEX")
		if err != nil {
			return 0, 0, false, err
		}
		if count <= 0 {
			return 0, 0, false, fmt.Errorf("data: JOB_COMPLETION_INDEX is set; give the number of shards (the Job's completions) explicitly")
		}
		shard, shards = idx, count
	default:
		return 0, 0, false, nil
	}
	if shards < 1 || shard < 0 || shard >= shards {
		return 0, 0, false, fmt.Errorf("data: shard %d of %d from the environment is out of range; check the array's index range and count", shard, shards)
	}
	return shard, shards, true, nil
}

// ParseShard parses "k/n" (shard k of n, 0 ≤ k < n).
func ParseShard(s string) (shard, shards int, err error) {
	a, b, found := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("data: shard %q is not k/n with 0 ≤ k < n (for example 0/4)", s)
	}
	return k, n, nil
}
