// Command neuralpde is the command-line front end of the neuralpde library.
// Each subcommand lives in its own file, binds its flags into a library
// config and calls the library; no numerics live here.
//
//	neuralpde list                              presets, models and optimizers
//	neuralpde solve --preset P --out F.npz      one classical solution: x, t, u
//	neuralpde generate --preset P --n N --res R --seed S [--subsample r]
//	                   [--shard k/n] [--workers W] --out F.npz
//	                                            a dataset of input → output pairs
//	neuralpde data merge --out F.npz SHARD...    join the shards of a sharded run
//	neuralpde data info F.npz                   arrays, value ranges, metadata
//	neuralpde train --model M (--preset P | --data F.npz) --out DIR
//	                                            a PINN, DeepONet or FNO; DIR holds
//	                                            checkpoint.npz, metrics.jsonl, card.json
//	neuralpde eval --checkpoint DIR [--data F.npz] [--res R]
//	neuralpde predict --checkpoint DIR --input F.npz --out G.npz
//	neuralpde compare --preset P [--models ...] [--checkpoints DIR,...]
//	                  [--budget 10m] --out DIR   neural vs classical: tables,
//	                                            plots, report.html
//	neuralpde serve --checkpoint DIR --addr A   predictions over HTTP
//	neuralpde config print (--model M | --command C)
//	                                            defaults as YAML for --config
//	neuralpde demo                              the main job on built-in defaults
//
// Exit codes: 0 on success, 2 for a usage error (unknown name, bad flag or
// value), 1 for any other failure (a solver that blows up, an unreadable
// file). No command leaves a partly written output file: files are written
// to a temporary name and renamed when complete. Interrupting generate
// (Ctrl-C) writes nothing for the interrupted shard; rerunning keeps the
// shards that are complete.
//
// compare measures errors as Li et al. do (relative L2, and H1) and the
// speed-up of a surrogate against the classical solver at matched accuracy,
// the comparison that "Weak baselines and reporting biases lead to
// overoptimism in machine learning for fluid-related partial differential
// equations" (McGreivy & Hakim, Nat. Mach. Intell. 2024) asks for: the
// classical solver at several resolutions, not only at the reference's.
//
// The operator-learning datasets follow Li et al., "Fourier Neural Operator
// for Parametric Partial Differential Equations", ICLR 2021; see package
// data for the samplers and the file format.
package main
