#pragma once
// Imports a folder of images into a project: recursive scan, header-only size probe, SHA-256,
// duplicate skipping by hash, one transaction for the whole batch.

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

// Media facts read from a file without decoding its pixels.
struct MediaProbe {
    QString path;      // absolute
    qint64 sizeBytes = 0;
    QString sha256;
    int width = 0;
    int height = 0;
    QString error;     // non-empty: why the file cannot be used
};

struct ImageImportReport {
    QVector<Id> ids;
    int duplicates = 0;
    QStringList unreadable; // "path: reason", one per file that could not be imported
};

// Progress hook: called from the importing thread with files done and total.
using ProgressFn = std::function<void(int done, int total)>;

inline constexpr qint64 kMaxImagePixels = 1'000'000'000; // refuse bigger images before decoding

// The image file suffixes imported (lower case, without the dot).
const QStringList &imageSuffixes();

// Reads size, hash and header dimensions of one file. Never decodes pixel data.
MediaProbe probeImage(const QString &path);

// Lists importable images under dir, recursively, sorted by path.
QStringList scanImages(const QString &dir);

// Imports every image under dir. Unreadable files are listed in the report and skipped; the rest
// is inserted in one transaction. Fails with NotFound when dir does not exist, Cancelled when
// cancel becomes true (nothing is inserted then).
core::Result<ImageImportReport> importImages(core::store::Project &project, const QString &dir,
                                             const ProgressFn &progress = {},
                                             const std::atomic_bool *cancel = nullptr);

} // namespace annotune::labeling
