// Writes a Dataset as a Label Studio JSON task export (see labelstudio.h).

#include "labelstudio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUrl>
#include <QtMath>

namespace annotune::core::formats {
namespace {

// Result type and default control name for a label kind; empty when Label Studio has none.
std::pair<QString, QString> resultType(AnnotationKind kind)
{
    switch (kind) {
    case AnnotationKind::Box: return {QStringLiteral("rectanglelabels"), QStringLiteral("label")};
    case AnnotationKind::Polygon:
    case AnnotationKind::Polyline: return {QStringLiteral("polygonlabels"), QStringLiteral("polygon")};
    case AnnotationKind::Points: return {QStringLiteral("keypointlabels"), QStringLiteral("keypoint")};
    case AnnotationKind::Ellipse: return {QStringLiteral("ellipselabels"), QStringLiteral("ellipse")};
    case AnnotationKind::Tag: return {QStringLiteral("choices"), QStringLiteral("choice")};
    default: return {};
    }
}

QJsonArray percentPoints(const QPolygonF &p, double w, double h)
{
    QJsonArray out;
    for (const QPointF &q : p)
        out.append(QJsonArray{q.x() * 100 / w, q.y() * 100 / h});
    return out;
}

// The value object of one result (without its label list).
QJsonObject value(const LabelRecord &l, double w, double h)
{
    const double rotation = l.attributes.value(QStringLiteral("rotation")).toDouble();
    const QRectF &b = l.box;
    switch (l.kind) {
    case AnnotationKind::Box: { // Label Studio turns about the top-left corner
        const double a = qDegreesToRadians(rotation), hw = b.width() / 2, hh = b.height() / 2;
        const QPointF corner = b.center() - QPointF(hw * std::cos(a) - hh * std::sin(a), hw * std::sin(a) + hh * std::cos(a));
        return {{QStringLiteral("x"), corner.x() * 100 / w}, {QStringLiteral("y"), corner.y() * 100 / h},
                {QStringLiteral("width"), b.width() * 100 / w}, {QStringLiteral("height"), b.height() * 100 / h},
                {QStringLiteral("rotation"), rotation}};
    }
    case AnnotationKind::Ellipse:
        return {{QStringLiteral("x"), b.center().x() * 100 / w}, {QStringLiteral("y"), b.center().y() * 100 / h},
                {QStringLiteral("radiusX"), b.width() / 2 * 100 / w}, {QStringLiteral("radiusY"), b.height() / 2 * 100 / h},
                {QStringLiteral("rotation"), rotation}};
    case AnnotationKind::Polygon:
    case AnnotationKind::Polyline:
        return {{QStringLiteral("points"), percentPoints(l.polygon, w, h)}, {QStringLiteral("closed"), l.kind == AnnotationKind::Polygon}};
    default:
        return {};
    }
}

// Appends the results for one label; counts what cannot be written.
void addResults(const Dataset &ds, const ImageRecord &img, const LabelRecord &l, int n, QJsonArray &results, WriteReport &report)
{
    const auto [type, control] = resultType(l.kind);
    if (type.isEmpty()) {
        report.loss.add(l.kind == AnnotationKind::Mask ? QStringLiteral("masks (Label Studio brush format not written)")
                                                       : QStringLiteral("document fields (no place in Label Studio)"));
        return;
    }
    if (l.kind != AnnotationKind::Tag && (img.width <= 0 || img.height <= 0)) {
        report.loss.add(QStringLiteral("labels on images of unknown size"));
        return;
    }
    QJsonObject r{{QStringLiteral("type"), type},
                  {QStringLiteral("from_name"), l.attributes.value(QStringLiteral("from_name")).toString(control)},
                  {QStringLiteral("to_name"), l.attributes.value(QStringLiteral("to_name")).toString(QStringLiteral("image"))},
                  {QStringLiteral("origin"), QStringLiteral("manual")}};
    if (l.kind != AnnotationKind::Tag) {
        r.insert(QStringLiteral("original_width"), img.width);
        r.insert(QStringLiteral("original_height"), img.height);
        r.insert(QStringLiteral("image_rotation"), 0);
    }
    if (l.score)
        r.insert(QStringLiteral("score"), *l.score);
    const QJsonArray label{ds.classes.value(l.classIndex).name};
    const QJsonValue id = l.attributes.value(QStringLiteral("ls_id"));
    const QPolygonF points = l.kind == AnnotationKind::Points ? l.polygon : QPolygonF{QPointF()};
    for (qsizetype k = 0; k < points.size(); ++k) {
        QJsonObject v = l.kind == AnnotationKind::Points
                            ? QJsonObject{{QStringLiteral("x"), points[k].x() * 100 / img.width}, {QStringLiteral("y"), points[k].y() * 100 / img.height}}
                            : value(l, img.width, img.height);
        v.insert(type, label);
        r.insert(QStringLiteral("value"), v);
        r.insert(QStringLiteral("id"), id.isUndefined() || k > 0 ? QJsonValue(QStringLiteral("at%1_%2").arg(n).arg(k)) : id);
        results.append(r);
    }
    if (points.size() > 1)
        report.loss.add(QStringLiteral("point sets split into one keypoint per point"));
    ++report.labels;
}

// "/data/local-files/?d=<path>": Label Studio's form for files under its local-files root.
QString imageUrl(const ImageRecord &img)
{
    QString path = QString(img.fileName).replace(QLatin1Char('\\'), QLatin1Char('/'));
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    return QStringLiteral("/data/local-files/?d=") + QString::fromUtf8(QUrl::toPercentEncoding(path, "/"));
}

QJsonObject task(const Dataset &ds, const ImageRecord &img, int n, WriteReport &report)
{
    QJsonArray results;
    for (const LabelRecord &l : img.labels)
        addResults(ds, img, l, n, results, report);
    const QJsonObject annotation{{QStringLiteral("id"), n}, {QStringLiteral("result"), results},
                                 {QStringLiteral("was_cancelled"), false}, {QStringLiteral("ground_truth"), false}};
    return {{QStringLiteral("id"), n}, {QStringLiteral("data"), QJsonObject{{QStringLiteral("image"), imageUrl(img)}}},
            {QStringLiteral("annotations"), QJsonArray{annotation}}, {QStringLiteral("predictions"), QJsonArray()}};
}

} // namespace

Result<WriteReport> writeLabelStudio(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    WriteReport report;
    bool ok = file.write("[\n") == 2;
    for (qsizetype i = 0; ok && i < ds.images.size(); ++i) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        const QByteArray bytes = QJsonDocument(task(ds, ds.images[i], int(i + 1), report)).toJson(QJsonDocument::Compact);
        ok = file.write(bytes) == bytes.size() && file.write(i + 1 < ds.images.size() ? ",\n" : "\n") > 0;
        ++report.images;
    }
    if (!ok || file.write("]\n") != 2 || !file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    if (options.copyImages)
        report.loss.add(QStringLiteral("image copies (Label Studio exports are a single file)"));
    return report;
}

} // namespace annotune::core::formats
