// Package plots provides the pictures of neuralpde with gonum/plot, as PNG
// or SVG files chosen by the file extension: scalar fields on (t, x) or
// (x, y) grids as heat maps with a colour bar, rows of such panels
// (reference | prediction | |error| for a trained model against a
// classical solve), and line plots of curves (training loss against step,
// error against wall time, energy spectra) with optional logarithmic axes
// ticked at the powers of ten, where single measurements (a model's error
// and time beside a solver's curve) can be drawn as marks.
//
// It takes plain slices and knows nothing of models, solvers or datasets.
// Fields are stored slow axis first, as the .npz files of neuralpde are
// (u[j, i] at the j-th time or y and the i-th x); NaN values are drawn
// transparent, which masks points outside a non-rectangular domain. The
// colour maps are the perceptually uniform ones of K. Moreland, "Diverging
// color maps for scientific visualization", ISVC 2009 (smooth blue–red)
// and "Why we use bad color maps and what you can do about it", 2016
// (extended black body).
package plots
