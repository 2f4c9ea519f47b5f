#pragma once
// Applies a Dataset read from any format to a project: resolves image file names safely under the
// chosen folder, matches images already in the project (by path, then by content hash), probes
// new ones, creates missing classes, and inserts items and labels in one transaction.

#include "core/progress.h"
#include "core/result.h"
#include "dataset.h"

namespace annotune::core::store {
class Project;
}

namespace annotune::core::formats {

struct ImportOptions {
    QString imagesRoot;                // file names resolve under this folder
    bool skipMissingImages = false;    // import the rest when referenced images are missing
    std::optional<Id> predictionsRun;  // store the labels as predictions of this run
    QString embeddedImagesFolder;      // where embedded images are written; default beside the project
    qint64 maxImagePixels = kMaxImagePixelsDefault;
    static constexpr qint64 kMaxImagePixelsDefault = 1'000'000'000;
};

struct ImportReport {
    int itemsAdded = 0;
    int itemsMatched = 0;
    qint64 labels = 0;
    QStringList classesAdded;
    QStringList missingImages;         // "where: file: reason" for each image left out
    QStringList warnings;              // clipped boxes, size disagreements, ... with counts
};

// Fails, leaving the project as it was, with a message naming the source, the record and the
// reason: a hostile or unresolvable file name, an invalid label, a label outside its image,
// missing images (unless skipMissingImages), a cancelled run, or a store error.
Result<ImportReport> applyImport(store::Project &project, const Dataset &dataset, const ImportOptions &options,
                                 const ProgressFn &progress = {}, const CancelFlag *cancel = nullptr);

// Checks one label's geometry for its kind; returns the reason it is invalid, or an empty string.
QString invalidLabelReason(const LabelRecord &label);

} // namespace annotune::core::formats
