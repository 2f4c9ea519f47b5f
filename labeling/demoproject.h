#pragma once
// Generates the demo project deterministically from a seed: "shapes" images with boxes and
// polygons (a third left unlabeled) and synthetic invoices rendered with Qt, with their words,
// boxes and field labels. Used by ./run.sh, tests and benchmarks.

#include "core/result.h"
#include "labeling/imageimporter.h"

namespace annotune::labeling {

struct DemoOptions {
    quint32 seed = 7;
    int shapes = 300;
    int invoices = 100;
};

struct DemoReport {
    int images = 0;
    int invoices = 0;
    qint64 annotations = 0;
    qint64 words = 0;
};

// Creates a new project at projectPath (fails with Conflict when it exists) and writes its media
// into "<folder>/<project base name>-media/". The same seed and options give byte-identical media
// and identical labels. On failure nothing is left behind.
core::Result<DemoReport> generateDemo(const QString &projectPath, const DemoOptions &options,
                                      const ProgressFn &progress = {});

} // namespace annotune::labeling
