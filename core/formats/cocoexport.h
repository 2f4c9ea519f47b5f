#pragma once
// Writes a project's boxes and polygons as a COCO instances JSON file.

#include "core/result.h"
#include "core/types.h"

#include <QSet>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::formats {

struct ExportOptions {
    bool approvedOnly = false;
    std::optional<Split> split;
    QSet<QString> classNames; // empty: all classes
};

struct ExportReport {
    qint64 images = 0;
    qint64 annotations = 0;
    qint64 skipped = 0;    // labels the format cannot carry (tags, document fields)
};

// Streams the export to a temporary file beside out and renames it into place, so a failure
// leaves no half-written file. Fails with Io when out cannot be written.
Result<ExportReport> exportCoco(store::Project &project, const QString &out, const ExportOptions &options = {});

} // namespace annotune::core::formats
