#include "cvatshapes.h"

#include <QLocale>
#include <cmath>

namespace annotune::core::formats::cvat {
namespace {

// Reads numbers from one element's attributes, keeping the first problem found.
struct Numbers {
    const QXmlStreamAttributes &attrs;
    QString error;

    void fail(const QString &reason)
    {
        if (error.isEmpty())
            error = reason;
    }
    double parse(QLatin1StringView key)
    {
        bool ok = false;
        const double v = attrs.value(key).toDouble(&ok);
        if (!ok || !std::isfinite(v))
            fail(QStringLiteral("%1=\"%2\" is not a number").arg(key, attrs.value(key)));
        return v;
    }
    double required(QLatin1StringView key)
    {
        if (attrs.hasAttribute(key))
            return parse(key);
        fail(QStringLiteral("the %1 attribute is missing").arg(key));
        return 0;
    }
    std::optional<double> optional(QLatin1StringView key)
    {
        return attrs.hasAttribute(key) ? std::optional(parse(key)) : std::nullopt;
    }
    std::optional<qint64> integer(QLatin1StringView key, bool required)
    {
        if (!attrs.hasAttribute(key)) {
            if (required)
                fail(QStringLiteral("the %1 attribute is missing").arg(key));
            return std::nullopt;
        }
        bool ok = false;
        const qint64 v = attrs.value(key).trimmed().toLongLong(&ok);
        if (!ok)
            fail(QStringLiteral("%1=\"%2\" is not a whole number").arg(key, attrs.value(key)));
        return v;
    }
};

// "x1,y1;x2,y2;..." as points; sets *error on a pair that is not two finite numbers.
QPolygonF parsePoints(QStringView text, QString *error)
{
    QPolygonF poly;
    for (QStringView pair : text.split(u';', Qt::SkipEmptyParts)) {
        const auto xy = pair.split(u',');
        bool okX = false, okY = false;
        const double x = xy.size() == 2 ? xy[0].toDouble(&okX) : 0;
        const double y = xy.size() == 2 ? xy[1].toDouble(&okY) : 0;
        if (!okX || !okY || !std::isfinite(x) || !std::isfinite(y)) {
            *error = QStringLiteral("point \"%1\" is not a pair of numbers x,y").arg(pair);
            return {};
        }
        poly << QPointF(x, y);
    }
    return poly;
}

QString parsePointShape(const QXmlStreamAttributes &attrs, LabelRecord &l)
{
    if (!attrs.hasAttribute(QLatin1String("points")))
        return QStringLiteral("the points attribute is missing");
    QString error;
    l.polygon = parsePoints(attrs.value(QLatin1String("points")), &error);
    if (!error.isEmpty())
        return error;
    const int least = l.kind == AnnotationKind::Polygon ? 3 : l.kind == AnnotationKind::Polyline ? 2 : 1;
    if (l.polygon.size() < least)
        return QStringLiteral("a %1 needs at least %2 points, this one has %3")
            .arg(toText(l.kind)).arg(least).arg(l.polygon.size());
    l.box = l.polygon.boundingRect();
    return {};
}

void parseBox(Numbers &n, LabelRecord &l)
{
    const double xtl = n.required(QLatin1String("xtl")), ytl = n.required(QLatin1String("ytl"));
    const double xbr = n.required(QLatin1String("xbr")), ybr = n.required(QLatin1String("ybr"));
    if (xbr < xtl)
        n.fail(QStringLiteral("xbr (%1) is less than xtl (%2)").arg(xbr).arg(xtl));
    if (ybr < ytl)
        n.fail(QStringLiteral("ybr (%1) is less than ytl (%2)").arg(ybr).arg(ytl));
    l.box = QRectF(QPointF(xtl, ytl), QPointF(xbr, ybr));
}

void parseEllipse(Numbers &n, LabelRecord &l)
{
    const double cx = n.required(QLatin1String("cx")), cy = n.required(QLatin1String("cy"));
    const double rx = n.required(QLatin1String("rx")), ry = n.required(QLatin1String("ry"));
    if (rx < 0 || ry < 0)
        n.fail(QStringLiteral("negative radius rx=%1 ry=%2").arg(rx).arg(ry));
    l.box = QRectF(cx - rx, cy - ry, 2 * rx, 2 * ry);
}

// CVAT's run lengths count over the mask's own width x height box, starting with background.
void parseMask(Numbers &n, LabelRecord &l)
{
    const QString rle = n.attrs.value(QLatin1String("rle")).toString();
    const auto left = n.integer(QLatin1String("left"), true), top = n.integer(QLatin1String("top"), true);
    const auto width = n.integer(QLatin1String("width"), true), height = n.integer(QLatin1String("height"), true);
    if (!n.error.isEmpty())
        return;
    if (*width <= 0 || *height <= 0 || *width > 1'000'000 || *height > 1'000'000)
        return n.fail(QStringLiteral("mask size %1 x %2 is not positive or too large").arg(*width).arg(*height));
    qint64 total = 0;
    for (QStringView count : QStringView(rle).split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 c = count.trimmed().toLongLong(&ok);
        if (!ok || c < 0)
            return n.fail(QStringLiteral("run length \"%1\" in rle is not a whole number").arg(count.trimmed()));
        total += c;
    }
    if (total != *width * *height)
        return n.fail(QStringLiteral("the rle run lengths add up to %1, not the mask's %2 x %3 = %4 pixels")
                          .arg(total).arg(*width).arg(*height).arg(*width * *height));
    l.box = QRectF(double(*left), double(*top), double(*width), double(*height));
    l.attributes.insert(QStringLiteral("rle"), QJsonObject{{QStringLiteral("cvat_rle"), rle},
                                                           {QStringLiteral("left"), *left},
                                                           {QStringLiteral("top"), *top},
                                                           {QStringLiteral("width"), *width},
                                                           {QStringLiteral("height"), *height}});
}

bool truth(QStringView v) { return v == u"1" || v.compare(u"true", Qt::CaseInsensitive) == 0; }

// occluded, z_order, source, group_id, rotation: CVAT's attributes shared by shapes.
void parseCommon(Numbers &n, LabelRecord &l)
{
    QJsonObject &a = l.attributes;
    if (l.kind != AnnotationKind::Tag) {
        a.insert(QStringLiteral("occluded"), truth(n.attrs.value(QLatin1String("occluded"))));
        a.insert(QStringLiteral("z_order"), n.integer(QLatin1String("z_order"), false).value_or(0));
    }
    if (n.attrs.hasAttribute(QLatin1String("source")))
        a.insert(QStringLiteral("source"), n.attrs.value(QLatin1String("source")).toString());
    if (auto group = n.integer(QLatin1String("group_id"), false))
        a.insert(QStringLiteral("group_id"), *group);
    if (l.kind == AnnotationKind::Box || l.kind == AnnotationKind::Ellipse)
        if (auto rotation = n.optional(QLatin1String("rotation")))
            a.insert(QStringLiteral("rotation"), *rotation);
}

} // namespace

std::optional<AnnotationKind> shapeKind(QStringView element)
{
    static const QHash<QString, AnnotationKind> kinds{
        {QStringLiteral("box"), AnnotationKind::Box},           {QStringLiteral("polygon"), AnnotationKind::Polygon},
        {QStringLiteral("polyline"), AnnotationKind::Polyline}, {QStringLiteral("points"), AnnotationKind::Points},
        {QStringLiteral("ellipse"), AnnotationKind::Ellipse},   {QStringLiteral("mask"), AnnotationKind::Mask},
        {QStringLiteral("tag"), AnnotationKind::Tag}};
    auto it = kinds.constFind(element.toString());
    return it == kinds.constEnd() ? std::nullopt : std::optional(*it);
}

QString parseShape(QStringView element, const QXmlStreamAttributes &attributes, LabelRecord &l)
{
    l.kind = shapeKind(element).value_or(AnnotationKind::Box);
    Numbers n{attributes, {}};
    switch (l.kind) {
    case AnnotationKind::Box: parseBox(n, l); break;
    case AnnotationKind::Ellipse: parseEllipse(n, l); break;
    case AnnotationKind::Mask: parseMask(n, l); break;
    case AnnotationKind::Polygon:
    case AnnotationKind::Polyline:
    case AnnotationKind::Points:
        if (QString error = parsePointShape(attributes, l); !error.isEmpty())
            return error;
        break;
    default: break;
    }
    parseCommon(n, l);
    return n.error;
}

QString numberText(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

QString elementFor(const LabelRecord &l)
{
    switch (l.kind) {
    case AnnotationKind::Box: return QStringLiteral("box");
    case AnnotationKind::Polygon: return QStringLiteral("polygon");
    case AnnotationKind::Polyline: return QStringLiteral("polyline");
    case AnnotationKind::Points: return QStringLiteral("points");
    case AnnotationKind::Ellipse: return QStringLiteral("ellipse");
    case AnnotationKind::Tag: return QStringLiteral("tag");
    case AnnotationKind::Mask:
        return l.attributes.value(QStringLiteral("rle")).toObject().contains(QStringLiteral("cvat_rle")) ? QStringLiteral("mask") : QString();
    default: return {};
    }
}

namespace {

void writeGeometry(QXmlStreamWriter &xml, const LabelRecord &l)
{
    const QRectF &b = l.box;
    if (l.kind == AnnotationKind::Box) {
        xml.writeAttribute(QStringLiteral("xtl"), numberText(b.left()));
        xml.writeAttribute(QStringLiteral("ytl"), numberText(b.top()));
        xml.writeAttribute(QStringLiteral("xbr"), numberText(b.right()));
        xml.writeAttribute(QStringLiteral("ybr"), numberText(b.bottom()));
    } else if (l.kind == AnnotationKind::Ellipse) {
        xml.writeAttribute(QStringLiteral("cx"), numberText(b.center().x()));
        xml.writeAttribute(QStringLiteral("cy"), numberText(b.center().y()));
        xml.writeAttribute(QStringLiteral("rx"), numberText(b.width() / 2));
        xml.writeAttribute(QStringLiteral("ry"), numberText(b.height() / 2));
    } else if (l.kind == AnnotationKind::Mask) {
        const QJsonObject rle = l.attributes.value(QStringLiteral("rle")).toObject();
        xml.writeAttribute(QStringLiteral("rle"), rle.value(QStringLiteral("cvat_rle")).toString());
        for (const char *key : {"left", "top", "width", "height"})
            xml.writeAttribute(QLatin1String(key), QString::number(rle.value(QLatin1String(key)).toInteger()));
    } else if (l.kind != AnnotationKind::Tag) {
        QStringList pairs;
        for (const QPointF &p : l.polygon)
            pairs << numberText(p.x()) + QLatin1Char(',') + numberText(p.y());
        xml.writeAttribute(QStringLiteral("points"), pairs.join(QLatin1Char(';')));
    }
}

} // namespace

void writeShapeAttributes(QXmlStreamWriter &xml, const LabelRecord &l)
{
    const QJsonObject &a = l.attributes;
    if (a.contains(QStringLiteral("source")))
        xml.writeAttribute(QStringLiteral("source"), a.value(QStringLiteral("source")).toVariant().toString());
    if (l.kind != AnnotationKind::Tag) {
        const QJsonValue occluded = a.value(QStringLiteral("occluded"));
        xml.writeAttribute(QStringLiteral("occluded"), occluded.toBool() || occluded.toInt() == 1 ? QStringLiteral("1") : QStringLiteral("0"));
    }
    writeGeometry(xml, l);
    if ((l.kind == AnnotationKind::Box || l.kind == AnnotationKind::Ellipse) && a.contains(QStringLiteral("rotation")))
        xml.writeAttribute(QStringLiteral("rotation"), numberText(a.value(QStringLiteral("rotation")).toDouble()));
    if (l.kind != AnnotationKind::Tag)
        xml.writeAttribute(QStringLiteral("z_order"), QString::number(a.value(QStringLiteral("z_order")).toInteger()));
    if (a.contains(QStringLiteral("group_id")))
        xml.writeAttribute(QStringLiteral("group_id"), QString::number(a.value(QStringLiteral("group_id")).toInteger()));
}

} // namespace annotune::core::formats::cvat
