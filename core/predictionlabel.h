#pragma once
// A model's prediction seen as an annotation (same geometry, class, run and score), for drawing it
// beside the labels and for turning an accepted suggestion into a label.

#include "types.h"

namespace annotune::core {

// Everything but the id, which stays 0 (the store gives a new annotation its own).
Annotation annotationFromPrediction(const Prediction &prediction);

} // namespace annotune::core
