// Package data provides the dataset type and its .npz on-disk format, input
// samplers (Gaussian random fields, random Fourier series), and the parallel,
// shardable generation driver.
package data
