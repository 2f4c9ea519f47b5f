#include "imageimporter.h"

#include "core/geometry.h"
#include "core/logging.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QSet>
#include <QtConcurrent>

namespace annotune::labeling {

using namespace annotune::core;

const QStringList &imageSuffixes()
{
    static const QStringList suffixes{QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                      QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff"),
                                      QStringLiteral("webp")};
    return suffixes;
}

QStringList scanImages(const QString &dir)
{
    QStringList filters;
    for (const QString &s : imageSuffixes())
        filters << QStringLiteral("*.") + s << QStringLiteral("*.") + s.toUpper();
    QStringList out;
    QDirIterator it(dir, filters, QDir::Files | QDir::Readable | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.removeDuplicates();
    out.sort();
    return out;
}

Result<ImageImportReport> importImages(store::Project &project, const QString &dir, const ProgressFn &progress,
                                       const std::atomic_bool *cancel)
{
    if (!QFileInfo(dir).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such folder").arg(dir));
    const QStringList files = scanImages(dir);
    std::atomic_int done = 0;
    const int total = int(files.size());
    const QList<MediaProbe> probes = QtConcurrent::blockingMapped(files, [&](const QString &path) {
        if (cancel && *cancel)
            return MediaProbe{path, 0, {}, 0, 0, QStringLiteral("cancelled")};
        MediaProbe p = probeImage(path);
        const int n = ++done;
        if (progress)
            progress(n, total);
        return p;
    });
    if (cancel && *cancel)
        return makeError(ErrorCode::Cancelled, QStringLiteral("%1: import cancelled; nothing was imported").arg(dir));

    const double trainShare = project.settings().value(QStringLiteral("split.train"), QStringLiteral("0.8"))->toDouble();
    const double valShare = project.settings().value(QStringLiteral("split.val"), QStringLiteral("0.1"))->toDouble();
    ImageImportReport report;
    QVector<Item> items;
    QSet<QString> seen;
    for (const MediaProbe &p : probes) {
        if (!p.error.isEmpty()) {
            report.unreadable << QStringLiteral("%1: %2").arg(p.path, p.error);
            continue;
        }
        auto known = project.items().containsHash(p.sha256);
        if (!known)
            return known.error();
        if (*known || seen.contains(p.sha256)) {
            ++report.duplicates;
            continue;
        }
        seen.insert(p.sha256);
        Item it;
        it.kind = ItemKind::Image;
        it.path = project.storedMediaPath(p.path);
        it.sizeBytes = p.sizeBytes;
        it.sha256 = p.sha256;
        it.width = p.width;
        it.height = p.height;
        it.split = splitForHash(p.sha256, trainShare, valShare);
        items.append(it);
    }
    auto ids = project.items().insertMany(items, project.author());
    if (!ids)
        return ids.error();
    report.ids = std::move(ids.value());
    logger("labeling.import")->info("{}: {} imported, {} duplicates, {} unreadable", str(dir), report.ids.size(),
                                    report.duplicates, report.unreadable.size());
    return report;
}

} // namespace annotune::labeling
