// Package archtest holds the test that keeps the dependency direction of
// DESIGN.md's layout table: which package may import which.
package archtest
