#pragma once
// Collects a project's items and labels into a Dataset for the writers, filtered by status, split
// and class.

#include "core/result.h"
#include "dataset.h"

#include <QSet>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::formats {

struct ExportFilter {
    bool approvedOnly = false;
    std::optional<Split> split;
    QSet<QString> classNames;    // empty: every class
    bool includeDocuments = false; // document pages are left out of image formats by default
};

// Every matching item as an ImageRecord (fileName = the stored media path, mediaPath absolute,
// width, height, status, split) with its labels; classes in schema order. Document-field labels
// are left out (counted in the returned loss).
Result<Dataset> collectDataset(store::Project &project, const ExportFilter &filter, ExportLoss *loss = nullptr);

} // namespace annotune::core::formats
