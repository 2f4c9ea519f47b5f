// Writes a Dataset as labelme JSON files (see labelme.h).

#include "labelme.h"
#include "labelmemask.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QtMath>

namespace annotune::core::formats {
namespace {

constexpr int kEllipseVertices = 32;
const QSet<QString> kCarried{QStringLiteral("group_id"), QStringLiteral("flags"), QStringLiteral("description"),
                             QStringLiteral("shape_type"), QStringLiteral("rotation"), QStringLiteral("rle")};

QJsonArray jsonPoints(const QPolygonF &p)
{
    QJsonArray out;
    for (const QPointF &q : p)
        out.append(QJsonArray{q.x(), q.y()});
    return out;
}

// The corners of box turned by degrees about its centre, or an ellipse's outline the same way.
QPolygonF turned(const QRectF &box, double degrees, bool ellipse)
{
    QPolygonF p;
    if (ellipse)
        for (int i = 0; i < kEllipseVertices; ++i) {
            const double t = 2 * M_PI * i / kEllipseVertices;
            p << QPointF(box.width() / 2 * std::cos(t), box.height() / 2 * std::sin(t));
        }
    else
        p << QPointF(-box.width() / 2, -box.height() / 2) << QPointF(box.width() / 2, -box.height() / 2)
          << QPointF(box.width() / 2, box.height() / 2) << QPointF(-box.width() / 2, box.height() / 2);
    const double a = qDegreesToRadians(degrees);
    for (QPointF &q : p)
        q = box.center() + QPointF(q.x() * std::cos(a) - q.y() * std::sin(a), q.x() * std::sin(a) + q.y() * std::cos(a));
    return p;
}

QJsonObject shape(const LabelRecord &l, const QString &label, const QString &type, const QPolygonF &points)
{
    const QJsonValue group = l.attributes.value(QStringLiteral("group_id"));
    return QJsonObject{{QStringLiteral("label"), label},
                       {QStringLiteral("points"), jsonPoints(points)},
                       {QStringLiteral("group_id"), group.isUndefined() ? QJsonValue() : group},
                       {QStringLiteral("description"), l.attributes.value(QStringLiteral("description")).toString()},
                       {QStringLiteral("shape_type"), type},
                       {QStringLiteral("flags"), l.attributes.value(QStringLiteral("flags")).toObject()},
                       {QStringLiteral("mask"), QJsonValue()}};
}

// Appends the labelme shapes for one label (none for tags, which become image flags).
void addShapes(const LabelRecord &l, const QString &label, QJsonArray &shapes, QJsonObject &flags, ExportLoss &loss)
{
    const double rotation = l.attributes.value(QStringLiteral("rotation")).toDouble();
    switch (l.kind) {
    case AnnotationKind::Box:
        if (rotation != 0)
            loss.add(QStringLiteral("rotated boxes written as polygons"));
        shapes.append(rotation != 0 ? shape(l, label, QStringLiteral("polygon"), turned(l.box, rotation, false))
                                    : shape(l, label, QStringLiteral("rectangle"), QPolygonF{l.box.topLeft(), l.box.bottomRight()}));
        return;
    case AnnotationKind::Polygon:
        shapes.append(shape(l, label, QStringLiteral("polygon"), l.polygon));
        return;
    case AnnotationKind::Polyline: {
        const bool line = l.polygon.size() == 2 && l.attributes.value(QStringLiteral("shape_type")).toString() == QLatin1String("line");
        shapes.append(shape(l, label, line ? QStringLiteral("line") : QStringLiteral("linestrip"), l.polygon));
        return;
    }
    case AnnotationKind::Points:
        for (const QPointF &p : l.polygon)
            shapes.append(shape(l, label, QStringLiteral("point"), QPolygonF{p}));
        if (l.polygon.size() > 1)
            loss.add(QStringLiteral("point sets split into one point shape per point"));
        return;
    case AnnotationKind::Ellipse:
        if (std::abs(l.box.width() - l.box.height()) <= 1e-9 * std::max(1.0, l.box.width())) {
            shapes.append(shape(l, label, QStringLiteral("circle"), QPolygonF{l.box.center(), l.box.center() + QPointF(l.box.width() / 2, 0)}));
        } else {
            shapes.append(shape(l, label, QStringLiteral("polygon"), turned(l.box, rotation, true)));
            loss.add(QStringLiteral("ellipses that are not circles written as %1-point polygons").arg(kEllipseVertices));
        }
        return;
    case AnnotationKind::Mask: {
        auto mask = maskFromRle(l.attributes.value(QStringLiteral("rle")).toObject());
        QPoint topLeft;
        const QByteArray png = mask ? pngOfBounds(*mask, &topLeft) : QByteArray();
        if (png.isEmpty()) {
            loss.add(mask ? QStringLiteral("empty masks") : QStringLiteral("masks without readable run lengths"));
            return;
        }
        const QRect b = mask->bounds();
        QJsonObject s = shape(l, label, QStringLiteral("mask"), QPolygonF{QPointF(b.topLeft()), QPointF(b.bottomRight())});
        s.insert(QStringLiteral("mask"), QString::fromLatin1(png.toBase64()));
        shapes.append(s);
        return;
    }
    case AnnotationKind::Tag:
        flags.insert(label, true);
        return;
    case AnnotationKind::Field:
        loss.add(QStringLiteral("document fields (no place in labelme)"));
        return;
    }
}

// The JSON's path relative to the output folder: the image's relative path with .json, made unique.
QString jsonName(const ImageRecord &img, QSet<QString> &used)
{
    QString rel = QString(img.fileName).replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (QDir::isAbsolutePath(rel) || rel.split(QLatin1Char('/')).contains(QStringLiteral("..")) || rel.contains(QLatin1Char(':')))
        rel = QFileInfo(rel).fileName();
    const QFileInfo info(rel);
    const QString stem = (info.path() == QLatin1String(".") ? QString() : info.path() + QLatin1Char('/')) + info.completeBaseName();
    QString name = stem + QStringLiteral(".json");
    for (int n = 1; used.contains(name); ++n)
        name = QStringLiteral("%1-%2.json").arg(stem).arg(n);
    used.insert(name);
    return name;
}

Status writeJson(const QString &file, const QJsonObject &doc)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    const QByteArray bytes = QJsonDocument(doc).toJson(QJsonDocument::Indented);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(file, f.errorString()));
    return {};
}

// Writes one image's JSON under tmp; imagePath is computed against the final folder out.
Status writeImage(const Dataset &ds, const ImageRecord &img, const QString &name, const QString &tmp, const QString &out,
                  const WriteOptions &options, WriteReport &report)
{
    QJsonArray shapes;
    QJsonObject flags;
    for (const LabelRecord &l : img.labels) {
        const qsizetype before = shapes.size() + flags.size();
        addShapes(l, ds.classes.value(l.classIndex).name, shapes, flags, report.loss);
        report.labels += shapes.size() + flags.size() > before ? 1 : 0;
        if (l.score)
            report.loss.add(QStringLiteral("label scores (labelme has none)"));
        for (const QString &key : l.attributes.keys())
            if (!kCarried.contains(key)) {
                report.loss.add(QStringLiteral("label attributes labelme has no field for"));
                break;
            }
    }
    const QString jsonDir = QFileInfo(out + QLatin1Char('/') + name).absolutePath();
    const QString media = img.mediaPath.isEmpty() ? out + QLatin1Char('/') + img.fileName : img.mediaPath;
    QString imagePath = QDir(jsonDir).relativeFilePath(media);
    if (options.copyImages) {
        imagePath = QFileInfo(media).fileName();
        const QString copy = QFileInfo(tmp + QLatin1Char('/') + name).absolutePath() + QLatin1Char('/') + imagePath;
        QDir().mkpath(QFileInfo(copy).absolutePath());
        if (!QFile::copy(media, copy))
            return makeError(ErrorCode::Io, QStringLiteral("%1: %2: cannot copy the image to %3").arg(img.where, media, copy));
    }
    QJsonObject doc{{QStringLiteral("version"), QStringLiteral("5.2.1")}, {QStringLiteral("flags"), flags},
                    {QStringLiteral("shapes"), shapes}, {QStringLiteral("imagePath"), imagePath},
                    {QStringLiteral("imageData"), QJsonValue()}, {QStringLiteral("imageHeight"), img.height},
                    {QStringLiteral("imageWidth"), img.width}};
    return writeJson(tmp + QLatin1Char('/') + name, doc);
}

} // namespace

Result<WriteReport> writeLabelme(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    const QFileInfo target(out);
    if (target.exists() && !(target.isDir() && QDir(out).isEmpty()))
        return makeError(ErrorCode::Io, QStringLiteral("%1: already exists and is not an empty folder; choose a new one").arg(out));
    const QString parent = target.absolutePath();
    QDir().mkpath(parent);
    QTemporaryDir tmp(parent + QStringLiteral("/.") + target.fileName() + QStringLiteral("-XXXXXX"));
    if (!tmp.isValid())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write in %2 (%3)").arg(out, parent, tmp.errorString()));
    WriteReport report;
    QSet<QString> used;
    for (const ImageRecord &img : ds.images) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        if (Status st = writeImage(ds, img, jsonName(img, used), tmp.path(), target.absoluteFilePath(), options, report); !st)
            return st.error();
        ++report.images;
    }
    if (target.exists())
        QDir().rmdir(out);
    if (!QDir().rename(tmp.path(), out))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot move the finished files into place").arg(out));
    tmp.setAutoRemove(false);
    QFile::setPermissions(out, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                                   | QFile::ReadOther | QFile::ExeOther);
    return report;
}

} // namespace annotune::core::formats
