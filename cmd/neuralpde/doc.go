// Command neuralpde is the command-line front end of the neuralpde library.
// Each subcommand lives in its own file, binds its flags into a library
// config and calls the library; no numerics live here.
//
//	neuralpde list                      presets, models and optimizers
//	neuralpde solve --preset P ...      one classical solution
//	neuralpde generate --preset P ...   a dataset of input → output pairs
//	neuralpde data merge|info ...       dataset files
package main
