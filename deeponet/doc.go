// Package deeponet implements DeepONet operator learning (Lu et al. 2021).
package deeponet
