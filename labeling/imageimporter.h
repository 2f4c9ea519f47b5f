#pragma once
// Imports a folder of images into a project: recursive scan, header-only size probe, SHA-256,
// duplicate skipping by hash, one transaction for the whole batch.

#include "core/media.h"
#include "core/progress.h"
#include "core/result.h"
#include "core/types.h"

#include <QStringList>
#include <atomic>
#include <functional>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

using core::Id;

using core::MediaProbe;
using core::probeImage;
using core::kMaxImagePixels;

struct ImageImportReport {
    QVector<Id> ids;
    int duplicates = 0;
    QStringList unreadable; // "path: reason", one per file that could not be imported
};

// Progress hook: called from the importing thread with files done and total.
using core::ProgressFn;

// The image file suffixes imported (lower case, without the dot).
const QStringList &imageSuffixes();

// Lists importable images under dir, recursively, sorted by path.
QStringList scanImages(const QString &dir);

// Imports every image under dir. Unreadable files are listed in the report and skipped; the rest
// is inserted in one transaction. Fails with NotFound when dir does not exist, Cancelled when
// cancel becomes true (nothing is inserted then).
core::Result<ImageImportReport> importImages(core::store::Project &project, const QString &dir,
                                             const ProgressFn &progress = {},
                                             const std::atomic_bool *cancel = nullptr);

} // namespace annotune::labeling
