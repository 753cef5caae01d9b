package train

// The files every model family writes into a training run's output
// directory, so that `neuralpde eval` and users find them by one name
// whatever the model.
const (
	// CheckpointFile is the checkpoint of parameters, optimizer and loop
	// state (WriteCheckpoint's format); its Kind names the model family.
	CheckpointFile = "checkpoint.npz"
	// MetricsFile is the JSON-lines metrics log (JSONLines).
	MetricsFile = "metrics.jsonl"
	// ModelFile holds what a model family needs besides the checkpoint to
	// rebuild its model (shapes, normalisers), as JSON.
	ModelFile = "model.json"
)
