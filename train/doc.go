// Package train provides the training loop shared by every model family and
// the optimizer suite.
package train
