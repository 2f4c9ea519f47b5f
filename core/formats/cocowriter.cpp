// writeCoco: a Dataset streamed out as a COCO instances file.

#include "coco.h"
#include "cocorle.h"
#include "core/geometry.h"
#include "jsonwriter.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <cmath>

namespace annotune::core::formats {
namespace {

constexpr int kEllipsePoints = 32;

// Project ids when every record has a distinct one, else positions counted from 1.
template <typename Records, typename IdOf>
QVector<qint64> stableIds(const Records &records, IdOf idOf)
{
    QVector<qint64> ids;
    QSet<qint64> seen;
    for (const auto &r : records) {
        const qint64 id = idOf(r);
        if (id <= 0 || seen.contains(id))
            break;
        seen.insert(id);
        ids << id;
    }
    if (ids.size() != records.size()) {
        ids.clear();
        for (qsizetype i = 0; i < records.size(); ++i)
            ids << i + 1;
    }
    return ids;
}

QString pluralName(AnnotationKind kind)
{
    switch (kind) {
    case AnnotationKind::Tag: return QStringLiteral("tags");
    case AnnotationKind::Polyline: return QStringLiteral("polylines");
    case AnnotationKind::Points: return QStringLiteral("points");
    default: return toText(kind);
    }
}

// Any JSON value as compact text.
QByteArray jsonText(const QJsonValue &v)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QPolygonF ellipsePolygon(const LabelRecord &l)
{
    const double theta = l.attributes.value(QStringLiteral("rotation")).toDouble() * M_PI / 180.0;
    const QPointF c = l.box.center();
    const double a = l.box.width() / 2, b = l.box.height() / 2;
    QPolygonF out;
    for (int k = 0; k < kEllipsePoints; ++k) {
        const double t = 2 * M_PI * k / kEllipsePoints;
        const double x = a * std::cos(t), y = b * std::sin(t);
        out << QPointF(c.x() + x * std::cos(theta) - y * std::sin(theta), c.y() + x * std::sin(theta) + y * std::cos(theta));
    }
    return out;
}

// Streams one label at a time; says which labels cannot be written and why.
class AnnotationWriter {
public:
    AnnotationWriter(JsonWriter &w, WriteReport &report) : m_w(w), m_report(report) {}

    void write(const LabelRecord &l, qint64 imageId, qint64 categoryId)
    {
        QVector<QPolygonF> parts;
        QRectF box = l.box;
        double area = box.width() * box.height();
        switch (l.kind) {
        case AnnotationKind::Box:
            break;
        case AnnotationKind::Polygon:
            parts = polygonParts(l, box, area);
            break;
        case AnnotationKind::Ellipse:
            parts << ellipsePolygon(l);
            area = M_PI * box.width() * box.height() / 4;
            m_report.loss.add(QStringLiteral("ellipse as %1-point polygon").arg(kEllipsePoints));
            break;
        case AnnotationKind::Mask:
            if (!l.attributes.value(QStringLiteral("rle")).isObject())
                return m_report.loss.add(QStringLiteral("masks without RLE data"));
            if (auto facts = inspectRle(l.attributes.value(QStringLiteral("rle")).toObject()))
                area = double(facts->area);
            break;
        default:
            return m_report.loss.add(QStringLiteral("%1 (COCO instances have no place for them)").arg(pluralName(l.kind)));
        }
        m_w.raw(m_first ? "{" : ",{").key("id").number(++m_nextId).raw(',').key("image_id").number(imageId);
        m_w.raw(',').key("category_id").number(categoryId).raw(',').key("bbox").raw('[');
        m_w.number(box.x()).raw(',').number(box.y()).raw(',').number(box.width()).raw(',').number(box.height()).raw("],");
        const qint64 iscrowd = l.attributes.isEmpty() ? 0 : l.attributes.value(QStringLiteral("iscrowd")).toInt();
        m_w.key("area").number(area).raw(',').key("iscrowd").number(iscrowd);
        m_w.raw(',').key("segmentation");
        if (l.kind == AnnotationKind::Mask)
            m_w.raw(jsonText(l.attributes.value(QStringLiteral("rle"))).constData());
        else
            writeParts(parts);
        if (l.score)
            m_w.raw(',').key("score").number(*l.score);
        writeExtras(l);
        m_w.raw('}');
        m_first = false;
        ++m_report.labels;
    }

private:
    static QVector<QPolygonF> polygonParts(const LabelRecord &l, QRectF &box, double &area)
    {
        QVector<QPolygonF> parts{l.polygon};
        for (const QJsonValue &v : l.attributes.value(QStringLiteral("polygons")).toArray()) {
            const QJsonArray flat = v.toArray();
            QPolygonF part;
            for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
                part << QPointF(flat[i].toDouble(), flat[i + 1].toDouble());
            if (part.size() >= 3)
                parts << part;
        }
        box = QRectF();
        area = 0;
        for (const QPolygonF &p : parts) {
            box = box.isNull() ? p.boundingRect() : box.united(p.boundingRect());
            area += polygonArea(p);
        }
        return parts;
    }

    void writeParts(const QVector<QPolygonF> &parts)
    {
        m_w.raw('[');
        for (qsizetype k = 0; k < parts.size(); ++k) {
            m_w.raw(k ? ",[" : "[");
            for (qsizetype i = 0; i < parts[k].size(); ++i)
                m_w.raw(i ? "," : "").number(parts[k][i].x()).raw(',').number(parts[k][i].y());
            m_w.raw(']');
        }
        m_w.raw(']');
    }

    // Keypoints back in place; other attributes in the "attributes" object datumaro and CVAT use.
    void writeExtras(const LabelRecord &l)
    {
        if (l.attributes.isEmpty())
            return;
        QJsonObject rest = l.attributes;
        for (const char *key : {"iscrowd", "rle", "polygons"})
            rest.remove(QLatin1String(key));
        if (l.kind == AnnotationKind::Ellipse)
            rest.remove(QStringLiteral("rotation"));
        for (const char *key : {"keypoints", "num_keypoints"})
            if (rest.contains(QLatin1String(key)))
                m_w.raw(',').key(key).raw(jsonText(rest.take(QLatin1String(key))).constData());
        if (!rest.isEmpty())
            m_w.raw(',').key("attributes").raw(jsonText(rest).constData());
    }

    JsonWriter &m_w;
    WriteReport &m_report;
    qint64 m_nextId = 0;
    bool m_first = true;
};

void writeHeader(JsonWriter &w, const Dataset &ds, const QVector<qint64> &categoryIds)
{
    w.raw("{\"info\":{").key("description").string(QStringLiteral("Annotune export of %1").arg(QFileInfo(ds.source).completeBaseName()));
    w.raw(',').key("date_created").string(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)).raw("},");
    w.key("licenses").raw("[],").key("categories").raw('[');
    for (qsizetype c = 0; c < ds.classes.size(); ++c) {
        w.raw(c ? ",{" : "{").key("id").number(categoryIds[c]).raw(',').key("name").string(ds.classes[c].name);
        w.raw(',').key("supercategory").string(QString()).raw('}');
    }
    w.raw("],");
}

} // namespace

Result<WriteReport> writeCoco(const Dataset &ds, const QString &out, const WriteOptions &options)
{
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write (%2)").arg(out, file.errorString()));
    const QVector<qint64> categoryIds = stableIds(ds.classes, [](const DatasetClass &c) { return qint64(c.id); });
    const QVector<qint64> imageIds = stableIds(ds.images, [](const ImageRecord &img) { return qint64(img.itemId); });
    WriteReport report;
    JsonWriter w(file);
    writeHeader(w, ds, categoryIds);
    w.key("images").raw('[');
    for (qsizetype i = 0; i < ds.images.size(); ++i) {
        const ImageRecord &img = ds.images[i];
        if (QDir::isAbsolutePath(img.fileName))
            report.loss.add(QStringLiteral("images outside the project folder (written with absolute file names, which imports refuse)"));
        w.raw(i ? ",{" : "{").key("id").number(imageIds[i]).raw(',').key("file_name").string(img.fileName);
        w.raw(',').key("width").number(qint64(img.width)).raw(',').key("height").number(qint64(img.height)).raw('}');
    }
    w.raw("],").key("annotations").raw('[');
    AnnotationWriter annotations(w, report);
    for (qsizetype i = 0; i < ds.images.size() && !w.failed(); ++i) {
        if (i % 1024 == 0 && cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: export cancelled; nothing was written").arg(out));
        for (const LabelRecord &l : ds.images[i].labels)
            annotations.write(l, imageIds[i], categoryIds[l.classIndex]);
    }
    w.raw("]}\n");
    report.images = ds.images.size();
    if (!w.flush())
        return makeError(ErrorCode::Io, QStringLiteral("%1: write failed (%2)").arg(out, file.errorString()));
    if (!file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot finish writing (%2)").arg(out, file.errorString()));
    return report;
}

} // namespace annotune::core::formats
