#include "datasetimport.h"

#include "core/geometry.h"
#include "core/logging.h"
#include "core/media.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSet>
#include <QtConcurrent>
#include <cmath>

namespace annotune::core::formats {
namespace {

// Where an image record ended up: an existing item, a new item, or missing.
struct Resolved {
    QString path;              // absolute
    std::optional<Item> existing;
    MediaProbe probe;          // filled for files not yet in the project
    QString missing;           // non-empty: why the image is left out
};

QString at(const Dataset &ds, const QString &where)
{
    return where.isEmpty() ? ds.source : QStringLiteral("%1: %2").arg(ds.source, where);
}

bool finite(const QRectF &r) { return std::isfinite(r.x()) && std::isfinite(r.y()) && std::isfinite(r.width()) && std::isfinite(r.height()); }

Status validateLabels(const Dataset &ds)
{
    for (const ImageRecord &img : ds.images)
        for (qsizetype i = 0; i < img.labels.size(); ++i) {
            const LabelRecord &l = img.labels[i];
            QString reason = l.classIndex < 0 || l.classIndex >= ds.classes.size()
                                 ? QStringLiteral("unknown class (index %1)").arg(l.classIndex)
                                 : invalidLabelReason(l);
            if (!reason.isEmpty()) {
                const QString where = l.where.isEmpty() ? QStringLiteral("%1 label %2").arg(img.where.isEmpty() ? img.fileName : img.where).arg(i) : l.where;
                return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2").arg(at(ds, where), reason));
            }
        }
    return {};
}

// Writes embedded image bytes to folder once, returning the file's path, or an error reason.
QString writeEmbedded(const ImageRecord &img, const QString &folder, QString *error)
{
    QImage decoded;
    if (!decoded.loadFromData(img.embeddedImage)) {
        *error = QStringLiteral("embedded image data is not a readable image");
        return {};
    }
    QDir().mkpath(folder);
    const QString base = QFileInfo(QString(img.fileName).replace(QLatin1Char('\\'), QLatin1Char('/'))).fileName();
    QString target = folder + QLatin1Char('/') + (base.isEmpty() ? QStringLiteral("embedded.png") : base);
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = folder + QStringLiteral("/%1-%2").arg(n).arg(base);
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly) || out.write(img.embeddedImage) != img.embeddedImage.size()) {
        *error = QStringLiteral("%1: cannot write (%2)").arg(target, out.errorString());
        return {};
    }
    return target;
}

} // namespace

QString invalidLabelReason(const LabelRecord &l)
{
    if (l.kind == AnnotationKind::Tag)
        return {};
    if (!finite(l.box))
        return QStringLiteral("coordinates are not finite numbers");
    if (l.box.width() < 0 || l.box.height() < 0)
        return QStringLiteral("negative box size %1 x %2").arg(l.box.width()).arg(l.box.height());
    for (const QPointF &p : l.polygon)
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            return QStringLiteral("a point is not a finite number");
    switch (l.kind) {
    case AnnotationKind::Polygon:
        if (l.polygon.size() < 3)
            return QStringLiteral("a polygon needs at least 3 points, this one has %1").arg(l.polygon.size());
        break;
    case AnnotationKind::Polyline:
        if (l.polygon.size() < 2)
            return QStringLiteral("a polyline needs at least 2 points, this one has %1").arg(l.polygon.size());
        break;
    case AnnotationKind::Points:
        if (l.polygon.isEmpty())
            return QStringLiteral("no points");
        break;
    default:
        break;
    }
    if (l.score && (!std::isfinite(*l.score)))
        return QStringLiteral("score is not a finite number");
    return {};
}

namespace {

using store::Project;

// Step 1: every file name resolved under the root and matched to an item or probed on disk.
Result<QVector<Resolved>> resolveImages(Project &project, const Dataset &ds, const ImportOptions &options,
                                        QStringList &written, const ProgressFn &progress, const CancelFlag *cancel)
{
    const QString embeddedFolder = options.embeddedImagesFolder.isEmpty()
                                       ? project.folder() + QLatin1Char('/') + project.name() + QStringLiteral("-media/imported")
                                       : options.embeddedImagesFolder;
    QVector<Resolved> out(ds.images.size());
    QVector<int> toProbe;
    for (qsizetype i = 0; i < ds.images.size(); ++i) {
        const ImageRecord &img = ds.images[i];
        auto path = resolveUnder(options.imagesRoot, img.fileName);
        if (!path)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2").arg(at(ds, img.where), path.error().message));
        out[i].path = *path;
        auto existing = project.items().findByPath(project.storedMediaPath(*path));
        if (!existing)
            return existing.error();
        if (existing->has_value()) {
            out[i].existing = **existing;
            continue;
        }
        if (!QFileInfo::exists(*path) && !img.embeddedImage.isEmpty()) {
            QString error;
            const QString file = writeEmbedded(img, embeddedFolder, &error);
            if (file.isEmpty()) {
                out[i].missing = error;
                continue;
            }
            written << file;
            out[i].path = file;
        }
        toProbe << int(i);
    }
    std::atomic<qint64> done = 0;
    QtConcurrent::blockingMap(toProbe, [&](int i) {
        if (cancelled(cancel))
            return;
        out[i].probe = QFileInfo::exists(out[i].path) ? probeImage(out[i].path, options.maxImagePixels)
                                                     : MediaProbe{out[i].path, 0, {}, 0, 0, QStringLiteral("no such file")};
        if (progress)
            progress(++done, toProbe.size());
    });
    if (cancelled(cancel))
        return makeError(ErrorCode::Cancelled, QStringLiteral("%1: import cancelled; nothing was imported").arg(ds.source));
    for (int i : toProbe) {
        Resolved &r = out[i];
        if (!r.probe.error.isEmpty()) {
            r.missing = r.probe.error;
            continue;
        }
        auto byHash = project.items().findByHash(r.probe.sha256);
        if (!byHash)
            return byHash.error();
        if (byHash->has_value())
            r.existing = **byHash;
    }
    return out;
}

// Step 2: labels checked against the size of their image; slightly-out labels are clipped.
Status fitLabels(const Dataset &ds, const QVector<Resolved> &resolved, QVector<QVector<LabelRecord>> &labels, ImportReport &report)
{
    qint64 clipped = 0, sizeDisagrees = 0;
    labels.resize(ds.images.size());
    for (qsizetype i = 0; i < ds.images.size(); ++i) {
        const Resolved &r = resolved[i];
        if (!r.missing.isEmpty())
            continue;
        const int w = r.existing ? r.existing->width : r.probe.width;
        const int h = r.existing ? r.existing->height : r.probe.height;
        const ImageRecord &img = ds.images[i];
        if ((img.width && img.width != w) || (img.height && img.height != h))
            ++sizeDisagrees;
        const QRectF frame(0, 0, w, h);
        labels[i] = img.labels; // shared; copied only for an image whose labels need clipping
        for (qsizetype k = 0; k < labels[i].size(); ++k) {
            const LabelRecord &read = std::as_const(labels[i])[k];
            if (read.kind == AnnotationKind::Tag || frame.contains(read.box))
                continue;
            LabelRecord &l = labels[i][k];
            const QRectF inside = l.box.intersected(frame);
            if (inside.isEmpty() && !(l.box.width() == 0 || l.box.height() == 0)) {
                const QString where = l.where.isEmpty() ? QStringLiteral("%1 label %2").arg(img.where.isEmpty() ? img.fileName : img.where).arg(k) : l.where;
                return makeError(ErrorCode::BadInput, QStringLiteral("%1: the label (%2, %3, %4 x %5) lies outside the %6 x %7 image %8")
                                                          .arg(at(ds, where)).arg(l.box.x()).arg(l.box.y()).arg(l.box.width())
                                                          .arg(l.box.height()).arg(w).arg(h).arg(img.fileName));
            }
            l.box = inside;
            for (QPointF &p : l.polygon)
                p = QPointF(std::clamp(p.x(), 0.0, double(w)), std::clamp(p.y(), 0.0, double(h)));
            ++clipped;
        }
    }
    if (clipped)
        report.warnings << QStringLiteral("%1 labels reached past their image's edge and were clipped to it").arg(clipped);
    if (sizeDisagrees)
        report.warnings << QStringLiteral("%1 images have a size in the file that differs from the image itself; the image's own size was kept").arg(sizeDisagrees);
    return {};
}

// Annotations, or predictions of a run, for every label of every image that made it in. They go
// to the store in chunks so that a million labels never sit in memory twice (once as records,
// once as annotations); each chunk leaves its own audit row.
Status writeLabels(Project &project, const ImportOptions &options, const QVector<Id> &classIds, const QVector<Id> &itemOf,
                   const QVector<QVector<LabelRecord>> &labels, ImportReport &report)
{
    constexpr qsizetype kChunk = 100000;
    QVector<Annotation> annotations;
    QVector<Prediction> predictions;
    auto flush = [&]() -> Status {
        auto n = options.predictionsRun ? project.runs().insertPredictions(predictions)
                                        : project.annotations().insertMany(annotations, project.author());
        if (!n)
            return n.error();
        report.labels += *n;
        annotations.clear();
        predictions.clear();
        return {};
    };
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (!itemOf[i])
            continue;
        for (const LabelRecord &l : labels[i]) {
            if (options.predictionsRun) {
                Prediction p;
                p.runId = *options.predictionsRun;
                p.itemId = itemOf[i];
                p.classId = classIds[l.classIndex];
                p.kind = l.kind;
                p.box = l.box;
                p.polygon = l.polygon;
                p.attributes = l.attributes;
                p.score = l.score.value_or(1.0);
                predictions << p;
            } else {
                Annotation a;
                a.itemId = itemOf[i];
                a.classId = classIds[l.classIndex];
                a.kind = l.kind;
                a.box = l.box;
                a.polygon = l.polygon;
                a.score = l.score;
                a.attributes = l.attributes;
                annotations << a;
            }
            if (annotations.size() + predictions.size() >= kChunk)
                if (Status st = flush(); !st)
                    return st;
        }
    }
    return flush();
}

QColor paletteColor(int n) { return QColor::fromHsv((n * 47) % 360, 190, 235); }

// Step 3: classes by name, items, labels; inside the caller's transaction.
Status writeAll(Project &project, const Dataset &ds, const ImportOptions &options, QVector<Resolved> &resolved,
                const QVector<QVector<LabelRecord>> &labels, ImportReport &report)
{
    auto existing = project.classes().list();
    if (!existing)
        return existing.error();
    QHash<QString, Id> byName;
    for (const LabelClass &c : *existing)
        byName.insert(c.name, c.id);
    QVector<Id> classIds;
    for (const DatasetClass &c : ds.classes) {
        if (!byName.contains(c.name)) {
            auto id = project.classes().add({0, c.name, paletteColor(int(byName.size())), c.kind, {}, int(byName.size())}, project.author());
            if (!id)
                return id.error();
            byName.insert(c.name, *id);
            report.classesAdded << c.name;
        }
        classIds << byName.value(c.name);
    }
    const double trainShare = project.settings().value(QStringLiteral("split.train"), QStringLiteral("0.8"))->toDouble();
    const double valShare = project.settings().value(QStringLiteral("split.val"), QStringLiteral("0.1"))->toDouble();
    QVector<Item> fresh;
    QVector<int> freshOwner;
    QHash<QString, int> freshByHash;
    QVector<int> sameAs(resolved.size(), -1);
    for (qsizetype i = 0; i < resolved.size(); ++i) {
        const Resolved &r = resolved[i];
        if (!r.missing.isEmpty() || r.existing)
            continue;
        if (auto it = freshByHash.constFind(r.probe.sha256); it != freshByHash.constEnd()) {
            sameAs[i] = *it;
            continue;
        }
        Item it;
        it.path = project.storedMediaPath(r.probe.path);
        it.sizeBytes = r.probe.sizeBytes;
        it.sha256 = r.probe.sha256;
        it.width = r.probe.width;
        it.height = r.probe.height;
        const ImageRecord &img = ds.images[i];
        // A split the file states (subset, train/val folders) is the user's; else the hash decides.
        it.split = img.split.value_or(splitForHash(it.sha256, trainShare, valShare));
        it.status = img.status.value_or(labels[i].isEmpty() || options.predictionsRun ? ItemStatus::Unlabeled : ItemStatus::Labeled);
        freshByHash.insert(it.sha256, int(i));
        fresh << it;
        freshOwner << int(i);
    }
    auto ids = project.items().insertMany(fresh, project.author());
    if (!ids)
        return ids.error();
    QVector<Id> itemOf(resolved.size(), 0);
    for (qsizetype k = 0; k < freshOwner.size(); ++k)
        itemOf[freshOwner[k]] = ids->at(k);
    QVector<Id> nowLabeled;
    for (qsizetype i = 0; i < resolved.size(); ++i) {
        if (resolved[i].existing) {
            itemOf[i] = resolved[i].existing->id;
            ++report.itemsMatched;
            if (resolved[i].existing->status == ItemStatus::Unlabeled && !labels[i].isEmpty() && !options.predictionsRun)
                nowLabeled << itemOf[i];
        } else if (sameAs[i] >= 0) {
            itemOf[i] = itemOf[sameAs[i]];
        }
    }
    report.itemsAdded = int(fresh.size());
    if (Status st = project.items().promoteStatus(nowLabeled, ItemStatus::Unlabeled, ItemStatus::Labeled, project.author()); !st)
        return st;
    return writeLabels(project, options, classIds, itemOf, labels, report);
}

} // namespace

Result<ImportReport> applyImport(store::Project &project, const Dataset &dataset, const ImportOptions &options,
                                 const ProgressFn &progress, const CancelFlag *cancel)
{
    if (Status st = validateLabels(dataset); !st)
        return st.error();
    if (!QFileInfo(options.imagesRoot).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: images folder %2 does not exist").arg(dataset.source, options.imagesRoot));
    QStringList written;
    auto removeWritten = [&] {
        for (const QString &f : written)
            QFile::remove(f);
    };
    auto resolved = resolveImages(project, dataset, options, written, progress, cancel);
    if (!resolved) {
        removeWritten();
        return resolved.error();
    }
    ImportReport report;
    for (qsizetype i = 0; i < resolved->size(); ++i)
        if (!resolved->at(i).missing.isEmpty())
            report.missingImages << QStringLiteral("%1: %2: %3").arg(dataset.images[i].where.isEmpty() ? QStringLiteral("image %1").arg(i) : dataset.images[i].where,
                                                                    dataset.images[i].fileName, resolved->at(i).missing);
    if (!report.missingImages.isEmpty() && !options.skipMissingImages) {
        removeWritten();
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("%1: %2 referenced images are missing or unreadable under %3 (first: %4); nothing was imported; "
                                        "choose to import the rest to skip them")
                             .arg(dataset.source).arg(report.missingImages.size()).arg(options.imagesRoot, report.missingImages.first()));
    }
    QVector<QVector<LabelRecord>> labels;
    Status st = fitLabels(dataset, *resolved, labels, report);
    if (st)
        st = project.transaction([&] { return writeAll(project, dataset, options, *resolved, labels, report); }, true);
    if (!st) {
        removeWritten();
        return st.error();
    }
    report.warnings += dataset.warnings;
    logger("core.formats")->info("{}: {} items added, {} matched, {} labels, {} images left out", str(dataset.source),
                                 report.itemsAdded, report.itemsMatched, report.labels, report.missingImages.size());
    return report;
}

} // namespace annotune::core::formats
