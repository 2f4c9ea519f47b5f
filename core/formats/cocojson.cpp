#include "cocojson.h"

#include "cocorle.h"
#include "core/geometry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <charconv>
#include <cmath>

namespace annotune::core::formats::coco {
namespace {

QString fromView(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

std::string_view stringOf(od::value v) { return std::string_view(v.get_string()); }

QRectF readBox(od::value v, const Path &where)
{
    if (v.type() != od::json_type::array)
        where.fail(QStringLiteral("bbox must be a list of 4 numbers [x, y, width, height]"));
    double b[4];
    int n = 0;
    for (od::value x : v.get_array()) {
        if (n == 4)
            where.fail(QStringLiteral("bbox has more than 4 numbers"));
        b[n++] = number(x, where);
    }
    if (n != 4)
        where.fail(QStringLiteral("bbox has %1 numbers, not 4").arg(n));
    for (double x : b)
        if (!std::isfinite(x))
            where.fail(QStringLiteral("bbox holds a number that is not finite"));
    if (b[2] < 0 || b[3] < 0)
        where.fail(QStringLiteral("negative box size %1 x %2").arg(b[2]).arg(b[3]));
    return QRectF(b[0], b[1], b[2], b[3]);
}

QPolygonF readPolygon(od::value v, const Path &where)
{
    if (v.type() != od::json_type::array)
        where.fail(QStringLiteral("a polygon must be a list of numbers x1, y1, x2, y2, ..."));
    QPolygonF polygon;
    double x = 0;
    bool haveX = false;
    for (od::value c : v.get_array()) {
        const double d = number(c, where);
        if (!std::isfinite(d))
            where.fail(QStringLiteral("a polygon holds a number that is not finite"));
        if (haveX)
            polygon << QPointF(x, d);
        else
            x = d;
        haveX = !haveX;
    }
    if (haveX)
        where.fail(QStringLiteral("a polygon has an odd count of numbers"));
    if (polygon.size() < 3)
        where.fail(QStringLiteral("a polygon needs at least 3 points, this one has %1").arg(polygon.size()));
    return polygon;
}

void readSegmentation(od::value v, RawAnnotation &out, const QString &base)
{
    const Path where{base, "segmentation"};
    const od::json_type type = v.type();
    if (type == od::json_type::object) {
        out.rle = objectVerbatim(v, where);
        return;
    }
    if (type != od::json_type::array)
        where.fail(QStringLiteral("segmentation must be a list of polygons or an RLE object"));
    int part = 0;
    for (od::value p : v.get_array())
        out.polygons << readPolygon(p, Path{base, "segmentation", part++});
}

} // namespace

QString recordName(QLatin1StringView array, qsizetype index)
{
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(index)).ptr;
    QString out(array.size() + (end - digits) + 2, Qt::Uninitialized);
    QChar *p = out.data();
    for (char c : array)
        *p++ = QLatin1Char(c);
    *p++ = QLatin1Char('[');
    for (const char *d = digits; d != end; ++d)
        *p++ = QLatin1Char(*d);
    *p = QLatin1Char(']');
    return out;
}

QString Path::text() const
{
    QString out = base;
    if (field)
        out += QLatin1Char('.') + QLatin1String(field);
    if (part >= 0)
        out += QStringLiteral("[%1]").arg(part);
    return out;
}

double number(od::value v, const Path &where)
{
    switch (v.type()) {
    case od::json_type::number:
        return v.get_double();
    case od::json_type::string: {
        bool ok = false;
        const double d = fromView(stringOf(v)).trimmed().toDouble(&ok);
        if (ok)
            return d;
        break;
    }
    default:
        break;
    }
    where.fail(QStringLiteral("expected a number"));
}

qint64 integer(od::value v, const Path &where)
{
    if (v.type() == od::json_type::number) {
        if (v.get_number_type() == od::number_type::signed_integer)
            return v.get_int64();
        const double d = v.get_double();
        if (d == std::floor(d) && std::abs(d) < 9e15)
            return qint64(d);
    } else if (v.type() == od::json_type::string) {
        bool ok = false;
        const qint64 n = fromView(stringOf(v)).trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    where.fail(QStringLiteral("expected an integer"));
}

QString text(od::value v, const Path &where)
{
    if (v.type() != od::json_type::string)
        where.fail(QStringLiteral("expected a string"));
    return fromView(stringOf(v));
}

QJsonValue verbatim(od::value v)
{
    switch (v.type()) {
    case od::json_type::object:
    case od::json_type::array: {
        std::string_view raw;
        if (v.type() == od::json_type::object) {
            od::object o = v.get_object();
            raw = o.raw_json();
        } else {
            od::array a = v.get_array();
            raw = a.raw_json();
        }
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size())));
        return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    case od::json_type::number:
        return v.get_double().value();
    case od::json_type::string:
        return fromView(stringOf(v));
    case od::json_type::boolean:
        return bool(v.get_bool());
    default:
        return QJsonValue();
    }
}

QJsonObject objectVerbatim(od::value v, const Path &where)
{
    if (v.type() != od::json_type::object)
        where.fail(QStringLiteral("expected an object"));
    return verbatim(v).toObject();
}

RawAnnotation readAnnotation(od::object object, const QString &where)
{
    RawAnnotation a;
    for (od::field f : object) {
        const std::string_view key = f.unescaped_key();
        od::value v = f.value();
        if (key == "image_id")
            a.imageId = integer(v, Path{where, "image_id"});
        else if (key == "category_id")
            a.categoryId = integer(v, Path{where, "category_id"});
        else if (key == "bbox")
            a.bbox = readBox(v, Path{where, "bbox"});
        else if (key == "segmentation")
            readSegmentation(v, a, where);
        else if (key == "score")
            a.score = number(v, Path{where, "score"});
        else if (key == "iscrowd")
            a.iscrowd = v.type() == od::json_type::boolean ? int(bool(v.get_bool())) : int(integer(v, Path{where, "iscrowd"}));
        else if (key == "attributes")
            a.extras = objectVerbatim(v, Path{where, "attributes"});
        else if (key == "keypoints" || key == "num_keypoints")
            a.extras.insert(fromView(key), verbatim(v));
        else if (key == "caption")
            a.caption = true;
        else if (key == "segments_info")
            a.panoptic = true;
    }
    return a;
}

LabelRecord toLabel(RawAnnotation &&raw, int classIndex, int imageWidth, int imageHeight, const QString &where)
{
    LabelRecord l;
    l.classIndex = classIndex;
    l.where = where;
    l.score = raw.score;
    if (l.score && !std::isfinite(*l.score))
        Path{where, "score"}.fail(QStringLiteral("score is not a finite number"));
    l.attributes = std::move(raw.extras);
    if (raw.iscrowd)
        l.attributes.insert(QStringLiteral("iscrowd"), raw.iscrowd);
    if (!raw.rle.isEmpty()) {
        auto facts = inspectRle(raw.rle);
        if (!facts)
            Path{where, "segmentation"}.fail(facts.error().message);
        if (imageWidth && imageHeight && (facts->width != imageWidth || facts->height != imageHeight))
            Path{where, "segmentation"}.fail(QStringLiteral("RLE size %1 x %2 differs from the image's %3 x %4")
                                                 .arg(facts->width).arg(facts->height).arg(imageWidth).arg(imageHeight));
        l.kind = AnnotationKind::Mask;
        l.box = raw.bbox.value_or(facts->bounds);
        l.attributes.insert(QStringLiteral("rle"), raw.rle);
    } else if (!raw.polygons.isEmpty()) {
        // The largest part is the polygon; the others ride along so that export writes them back.
        qsizetype main = 0;
        for (qsizetype i = 1; i < raw.polygons.size(); ++i)
            if (polygonArea(raw.polygons[i]) > polygonArea(raw.polygons[main]))
                main = i;
        l.kind = AnnotationKind::Polygon;
        l.polygon = raw.polygons[main];
        l.box = l.polygon.boundingRect();
        QJsonArray others;
        for (qsizetype i = 0; i < raw.polygons.size(); ++i)
            if (i != main)
                others.append(flatPolygon(raw.polygons[i]));
        if (!others.isEmpty())
            l.attributes.insert(QStringLiteral("polygons"), others);
    } else if (raw.bbox) {
        l.kind = AnnotationKind::Box;
        l.box = *raw.bbox;
    } else {
        l.kind = AnnotationKind::Tag;
    }
    return l;
}

QJsonArray flatPolygon(const QPolygonF &polygon)
{
    QJsonArray flat;
    for (const QPointF &p : polygon)
        flat << p.x() << p.y();
    return flat;
}

} // namespace annotune::core::formats::coco
