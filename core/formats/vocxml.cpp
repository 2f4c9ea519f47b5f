// Parsing one Pascal VOC annotation file with QXmlStreamReader; DTDs are refused outright.

#include "vocxml.h"

#include <QFile>
#include <QJsonArray>
#include <cmath>

namespace annotune::core::formats {

VocBox toVocBox(const QRectF &box) { return {box.left() + 1, box.top() + 1, box.right(), box.bottom()}; }
QRectF fromVocBox(const VocBox &b) { return QRectF(QPointF(b.xmin - 1, b.ymin - 1), QPointF(b.xmax, b.ymax)); }

namespace {

Error fail(VocFile &f, const QString &record, const QString &reason)
{
    const QString at = record.isEmpty() ? QStringLiteral("line %1").arg(f.xml.lineNumber())
                                        : QStringLiteral("line %1 %2").arg(f.xml.lineNumber()).arg(record);
    return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: %3").arg(f.path, at, reason));
}

QString name(const QXmlStreamReader &xml) { return xml.name().toString(); }

Result<double> number(VocFile &f, const QString &record, const QString &element)
{
    const QString text = f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return fail(f, record, QStringLiteral("<%1> \"%2\" is not a finite number").arg(element, text));
    return v;
}

Result<bool> flag(VocFile &f, const QString &record, const QString &element)
{
    const QString text = f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed().toLower();
    if (text == QLatin1String("1") || text == QLatin1String("true") || text == QLatin1String("yes"))
        return true;
    if (text.isEmpty() || text == QLatin1String("0") || text == QLatin1String("false") || text == QLatin1String("no"))
        return false;
    return fail(f, record, QStringLiteral("<%1> \"%2\" is not 0 or 1").arg(element, text));
}

void skipUnknown(VocFile &f, const QString &parent)
{
    f.unknown[QStringLiteral("<%1> in <%2>").arg(name(f.xml), parent)] += 1;
    f.xml.skipCurrentElement();
}

Result<VocBox> bndbox(VocFile &f, const QString &record)
{
    double v[4];
    bool seen[4] = {false, false, false, false};
    static const QStringList names{QStringLiteral("xmin"), QStringLiteral("ymin"), QStringLiteral("xmax"), QStringLiteral("ymax")};
    while (f.xml.readNextStartElement()) {
        const qsizetype k = names.indexOf(name(f.xml));
        if (k < 0) {
            skipUnknown(f, QStringLiteral("bndbox"));
            continue;
        }
        auto x = number(f, record, names[k]);
        if (!x)
            return x.error();
        v[k] = *x;
        seen[k] = true;
    }
    for (int k = 0; k < 4; ++k)
        if (!seen[k])
            return fail(f, record, QStringLiteral("<bndbox> has no <%1>").arg(names[k]));
    if (v[0] > v[2] || v[1] > v[3])
        return fail(f, record, QStringLiteral("<bndbox> has xmin %1 > xmax %2 or ymin %3 > ymax %4").arg(v[0]).arg(v[2]).arg(v[1]).arg(v[3]));
    return VocBox{v[0], v[1], v[2], v[3]};
}

Result<QJsonObject> part(VocFile &f, const QString &record)
{
    QJsonObject p;
    bool hasBox = false;
    while (f.xml.readNextStartElement()) {
        if (f.xml.name() == QLatin1String("name")) {
            p.insert(QStringLiteral("name"), f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed());
        } else if (f.xml.name() == QLatin1String("bndbox")) {
            auto b = bndbox(f, record + QStringLiteral(" <part>"));
            if (!b)
                return b.error();
            p.insert(QStringLiteral("xmin"), b->xmin);
            p.insert(QStringLiteral("ymin"), b->ymin);
            p.insert(QStringLiteral("xmax"), b->xmax);
            p.insert(QStringLiteral("ymax"), b->ymax);
            hasBox = true;
        } else {
            skipUnknown(f, QStringLiteral("part"));
        }
    }
    if (!hasBox || p.value(QStringLiteral("name")).toString().isEmpty())
        return fail(f, record, QStringLiteral("<part> needs a <name> and a <bndbox>"));
    return p;
}

Result<QJsonObject> actions(VocFile &f, const QString &record)
{
    QJsonObject a;
    while (f.xml.readNextStartElement()) {
        const QString action = name(f.xml);
        auto on = flag(f, record, action);
        if (!on)
            return on.error();
        a.insert(action, *on);
    }
    return a;
}

// The parts of <object> that are attributes: flags, pose, parts, actions.
Status objectExtra(VocFile &f, const QString &record, QJsonObject &attributes, QJsonArray &parts)
{
    const QString element = name(f.xml);
    if (element == QLatin1String("difficult") || element == QLatin1String("truncated") || element == QLatin1String("occluded")) {
        auto on = flag(f, record, element);
        if (!on)
            return on.error();
        if (*on)
            attributes.insert(element, true);
    } else if (element == QLatin1String("pose")) {
        const QString pose = f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
        if (!pose.isEmpty() && pose != QLatin1String("Unspecified"))
            attributes.insert(QStringLiteral("pose"), pose);
    } else if (element == QLatin1String("part")) {
        auto p = part(f, record);
        if (!p)
            return p.error();
        parts.append(*p);
    } else if (element == QLatin1String("actions")) {
        auto a = actions(f, record);
        if (!a)
            return a.error();
        attributes.insert(QStringLiteral("actions"), *a);
    } else {
        skipUnknown(f, QStringLiteral("object"));
    }
    return {};
}

Result<VocObject> object(VocFile &f, int number)
{
    const QString record = QStringLiteral("<object> %1").arg(number);
    VocObject o;
    o.where = QStringLiteral("%1 %2").arg(f.rel, record);
    std::optional<VocBox> box;
    QJsonArray parts;
    while (f.xml.readNextStartElement()) {
        if (f.xml.name() == QLatin1String("name")) {
            o.name = f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
        } else if (f.xml.name() == QLatin1String("bndbox")) {
            auto b = bndbox(f, record);
            if (!b)
                return b.error();
            box = *b;
        } else if (Status st = objectExtra(f, record, o.attributes, parts); !st) {
            return st.error();
        }
    }
    if (f.xml.hasError())
        return fail(f, record, QStringLiteral("XML error: %1").arg(f.xml.errorString()));
    if (o.name.isEmpty())
        return fail(f, record, QStringLiteral("has no <name>"));
    if (!box)
        return fail(f, record, QStringLiteral("has no <bndbox>"));
    o.box = fromVocBox(*box);
    if (!parts.isEmpty())
        o.attributes.insert(QStringLiteral("parts"), parts);
    return o;
}

Status size(VocFile &f, qint64 maxPixels)
{
    while (f.xml.readNextStartElement()) {
        const QString element = name(f.xml);
        if (element != QLatin1String("width") && element != QLatin1String("height")) {
            f.xml.skipCurrentElement();
            continue;
        }
        auto v = number(f, QStringLiteral("<size>"), element);
        if (!v)
            return v.error();
        if (*v < 0 || *v != std::floor(*v) || *v > 1e9)
            return fail(f, QStringLiteral("<size>"), QStringLiteral("<%1> %2 is not a whole number of pixels").arg(element).arg(*v));
        (element == QLatin1String("width") ? f.width : f.height) = int(*v);
    }
    if (qint64(f.width) * f.height > maxPixels)
        return fail(f, QStringLiteral("<size>"), QStringLiteral("%1 x %2 is over the limit of %3 pixels").arg(f.width).arg(f.height).arg(maxPixels));
    return {};
}

// Reads the prolog up to the root element, refusing any DTD.
Status root(VocFile &f)
{
    while (!f.xml.atEnd()) {
        const auto token = f.xml.readNext();
        if (token == QXmlStreamReader::DTD)
            return fail(f, {}, QStringLiteral("DTD and entities are not allowed"));
        if (token == QXmlStreamReader::StartElement) {
            if (f.xml.name() != QLatin1String("annotation"))
                return fail(f, {}, QStringLiteral("the root element is <%1>, expected <annotation>").arg(name(f.xml)));
            return {};
        }
    }
    return fail(f, {}, f.xml.hasError() ? QStringLiteral("XML error: %1").arg(f.xml.errorString()) : QStringLiteral("no <annotation> element"));
}

} // namespace

Status parseVocFile(VocFile &f, qint64 maxPixels)
{
    QFile file(f.path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot read (%2)").arg(f.path, file.errorString()));
    f.xml.setDevice(&file);
    if (Status st = root(f); !st)
        return st;
    static const QStringList ignored{QStringLiteral("folder"), QStringLiteral("path"), QStringLiteral("source"),
                                     QStringLiteral("owner"), QStringLiteral("segmented")};
    while (f.xml.readNextStartElement()) {
        const QString element = name(f.xml);
        Status st;
        if (element == QLatin1String("filename")) {
            f.fileName = f.xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
        } else if (element == QLatin1String("size")) {
            st = size(f, maxPixels);
        } else if (element == QLatin1String("object")) {
            auto o = object(f, int(f.objects.size()) + 1);
            if (!o)
                return o.error();
            f.objects << *o;
        } else if (ignored.contains(element)) {
            f.xml.skipCurrentElement();
        } else {
            skipUnknown(f, QStringLiteral("annotation"));
        }
        if (!st)
            return st;
    }
    while (!f.xml.hasError() && !f.xml.atEnd())
        f.xml.readNext();
    if (f.xml.hasError())
        return fail(f, {}, QStringLiteral("XML error: %1").arg(f.xml.errorString()));
    return {};
}

} // namespace annotune::core::formats
