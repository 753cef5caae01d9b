// Package fno implements Fourier Neural Operators (Li et al. 2021) and neural
// spectral methods (Du et al. 2024).
package fno
