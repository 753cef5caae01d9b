// Package nn provides neural building blocks on gorgonia: named parameters,
// seeded initialisers, dense layers, MLPs, activations, and forward
// Taylor-mode derivative jets.
package nn
