// Reads labelme JSON files (see labelme.h) into a Dataset.

#include "labelme.h"
#include "labelmemask.h"
#include "textlines.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cmath>

namespace annotune::core::formats {
namespace {

// One labelme file being read: where it lies and what it adds to.
struct FileContext {
    QString file;      // absolute path, for messages
    QString relative;  // relative to the images root, for record names
    QString root;      // the images root (clean, absolute)
    QSize imageSize;
    const ReadOptions &options;
    Dataset &ds;
};

Error bad(const FileContext &c, const QString &record, const QString &reason)
{
    return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: %3").arg(c.file, record, reason));
}

// The file's top-level object; an empty object when the JSON is valid but not an object.
Result<QJsonObject> loadObject(const QString &file)
{
    auto doc = readJsonFile(file);
    if (!doc)
        return doc.error();
    return doc->object();
}

Result<QPolygonF> readPoints(const FileContext &c, const QString &where, const QJsonValue &value)
{
    if (!value.isArray())
        return bad(c, where, QStringLiteral("points is not a list"));
    QPolygonF out;
    const QJsonArray points = value.toArray();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QJsonArray p = points[i].toArray();
        if (p.size() != 2 || !p[0].isDouble() || !p[1].isDouble())
            return bad(c, QStringLiteral("%1 points[%2]").arg(where).arg(i), QStringLiteral("a point is not [x, y] in numbers"));
        if (!std::isfinite(p[0].toDouble()) || !std::isfinite(p[1].toDouble()))
            return bad(c, QStringLiteral("%1 points[%2]").arg(where).arg(i), QStringLiteral("a point is not a finite number"));
        out << QPointF(p[0].toDouble(), p[1].toDouble());
    }
    return out;
}

Result<QByteArray> decodeBase64(const FileContext &c, const QString &where, const QString &text)
{
    QByteArray raw = text.toLatin1();
    raw.replace('\n', QByteArray()).replace('\r', QByteArray());
    auto decoded = QByteArray::fromBase64Encoding(raw, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return bad(c, where, QStringLiteral("not valid base64"));
    return *decoded;
}

Status readMask(const FileContext &c, const QString &where, const QJsonObject &shape, const QPolygonF &points, LabelRecord &l)
{
    if (!shape.value(QStringLiteral("mask")).isString())
        return bad(c, where, QStringLiteral("a mask shape without mask data"));
    if (c.imageSize.isEmpty())
        return bad(c, where, QStringLiteral("a mask needs imageWidth and imageHeight"));
    if (points.isEmpty())
        return bad(c, where, QStringLiteral("a mask needs its top-left corner in points"));
    auto png = decodeBase64(c, where + QStringLiteral(" mask"), shape.value(QStringLiteral("mask")).toString());
    if (!png)
        return png.error();
    const QRectF corners = points.boundingRect();
    auto mask = maskFromPng(*png, QPoint(int(std::floor(corners.left())), int(std::floor(corners.top()))), c.imageSize);
    if (!mask)
        return bad(c, where + QStringLiteral(" mask"), mask.error().message);
    l.box = QRectF(mask->bounds());
    l.attributes.insert(QStringLiteral("rle"), rleFromMask(*mask));
    return {};
}

// Geometry for one shape type; fails on a count of points the type cannot have.
Status readGeometry(const FileContext &c, const QString &where, const QString &type, const QJsonObject &shape, LabelRecord &l)
{
    auto points = readPoints(c, where, shape.value(QStringLiteral("points")));
    if (!points)
        return points.error();
    const QPolygonF &p = *points;
    auto need = [&](bool ok, const QString &what) { return ok ? Status{} : Status{bad(c, where, QStringLiteral("a %1 needs %2, this one has %3").arg(type, what).arg(p.size()))}; };
    if (type == QLatin1String("polygon")) {
        l.kind = AnnotationKind::Polygon, l.polygon = p, l.box = p.boundingRect();
        return need(p.size() >= 3, QStringLiteral("at least 3 points"));
    }
    if (type == QLatin1String("rectangle")) {
        l.kind = AnnotationKind::Box, l.box = p.boundingRect();
        return need(p.size() == 2 || p.size() == 4, QStringLiteral("2 corner points"));
    }
    if (type == QLatin1String("circle")) {
        if (p.size() != 2)
            return need(false, QStringLiteral("2 points (centre and a point on the circle)"));
        const double r = std::hypot(p[1].x() - p[0].x(), p[1].y() - p[0].y());
        l.kind = AnnotationKind::Ellipse, l.box = QRectF(p[0].x() - r, p[0].y() - r, 2 * r, 2 * r);
        return {};
    }
    if (type == QLatin1String("line") || type == QLatin1String("linestrip")) {
        l.kind = AnnotationKind::Polyline, l.polygon = p, l.box = p.boundingRect();
        if (type == QLatin1String("line"))
            l.attributes.insert(QStringLiteral("shape_type"), type);
        return need(p.size() >= 2, QStringLiteral("at least 2 points"));
    }
    if (type == QLatin1String("point") || type == QLatin1String("points")) {
        l.kind = AnnotationKind::Points, l.polygon = p, l.box = p.boundingRect();
        return need(!p.isEmpty(), QStringLiteral("a point"));
    }
    if (type == QLatin1String("mask")) {
        l.kind = AnnotationKind::Mask;
        return readMask(c, where, shape, p, l);
    }
    return bad(c, where, QStringLiteral("unknown shape_type \"%1\"").arg(type));
}

ClassKind classKindOf(AnnotationKind k)
{
    return k == AnnotationKind::Tag ? ClassKind::Tag : *classKindFromString(toText(k));
}

Status readShapes(const FileContext &c, const QJsonValue &shapes, ImageRecord &img)
{
    if (!shapes.isArray())
        return bad(c, QStringLiteral("shapes"), QStringLiteral("shapes is not a list"));
    const QJsonArray list = shapes.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString where = QStringLiteral("shapes[%1]").arg(i);
        const QJsonObject s = list[i].toObject();
        const QString label = s.value(QStringLiteral("label")).toString();
        if (!list[i].isObject() || label.trimmed().isEmpty())
            return bad(c, where, QStringLiteral("a shape needs a label"));
        where += QStringLiteral(" (\"%1\")").arg(label);
        const QString type = s.value(QStringLiteral("shape_type")).toString(QStringLiteral("polygon"));
        LabelRecord l;
        if (Status st = readGeometry(c, where, type, s, l); !st)
            return st;
        const QJsonValue group = s.value(QStringLiteral("group_id"));
        if (!group.isNull() && !group.isUndefined())
            l.attributes.insert(QStringLiteral("group_id"), group);
        if (const QJsonObject flags = s.value(QStringLiteral("flags")).toObject(); !flags.isEmpty())
            l.attributes.insert(QStringLiteral("flags"), flags);
        if (const QString d = s.value(QStringLiteral("description")).toString(); !d.isEmpty())
            l.attributes.insert(QStringLiteral("description"), d);
        l.classIndex = c.ds.classIndex(label, classKindOf(l.kind));
        l.where = QStringLiteral("%1 %2").arg(c.relative, where);
        img.labels << l;
    }
    return {};
}

// imagePath relative to the JSON's folder, re-expressed relative to the images root.
Result<QString> imageFileName(const FileContext &c, const QString &imagePath, bool embedded)
{
    QString path = imagePath;
    path.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (path.isEmpty() && embedded)
        path = QFileInfo(c.file).completeBaseName() + QStringLiteral(".png");
    if (path.isEmpty())
        return bad(c, QStringLiteral("imagePath"), QStringLiteral("imagePath is empty and there is no imageData"));
    static const QRegularExpression absolute(QStringLiteral("^([A-Za-z]:|/)"));
    if (absolute.match(path).hasMatch())
        return bad(c, QStringLiteral("imagePath"), QStringLiteral("\"%1\" is absolute; labelme paths are relative to the JSON file").arg(imagePath));
    const QString full = QDir::cleanPath(QFileInfo(c.file).absolutePath() + QLatin1Char('/') + path);
    const QString rel = QDir(c.root).relativeFilePath(full);
    if (rel == QLatin1String("..") || rel.startsWith(QLatin1String("../")) || QDir::isAbsolutePath(rel))
        return bad(c, QStringLiteral("imagePath"), QStringLiteral("\"%1\" leads outside the folder %2; choose a folder that holds both the JSON files and the images")
                                                      .arg(imagePath, c.root));
    return rel;
}

Status readSize(FileContext &c, const QJsonObject &top, ImageRecord &img)
{
    const QJsonValue h = top.value(QStringLiteral("imageHeight")), w = top.value(QStringLiteral("imageWidth"));
    if ((!h.isNull() && !h.isUndefined() && !h.isDouble()) || (!w.isNull() && !w.isUndefined() && !w.isDouble()))
        return bad(c, QStringLiteral("imageWidth/imageHeight"), QStringLiteral("not numbers"));
    const double hv = h.toDouble(), wv = w.toDouble();
    if (hv < 0 || wv < 0 || hv != std::floor(hv) || wv != std::floor(wv))
        return bad(c, QStringLiteral("imageWidth/imageHeight"), QStringLiteral("%1 x %2 is not a size in whole pixels").arg(wv).arg(hv));
    if (hv * wv > double(c.options.maxImagePixels))
        return bad(c, QStringLiteral("imageWidth/imageHeight"), QStringLiteral("%1 x %2 is over the limit of %3 pixels").arg(wv).arg(hv).arg(c.options.maxImagePixels));
    img.width = int(wv), img.height = int(hv);
    c.imageSize = QSize(img.width, img.height);
    return {};
}

// Reads one labelme file into ds; returns false in *isLabelme when it has no shapes list.
Status readFile(const QString &file, const QString &root, const ReadOptions &options, Dataset &ds, bool *isLabelme)
{
    auto top = loadObject(file);
    if (!top)
        return top.error();
    *isLabelme = top->contains(QStringLiteral("shapes"));
    if (!*isLabelme)
        return {};
    FileContext c{file, QDir(root).relativeFilePath(file), root, {}, options, ds};
    ImageRecord img;
    img.where = c.relative;
    if (Status st = readSize(c, *top, img); !st)
        return st;
    const QJsonValue data = top->value(QStringLiteral("imageData"));
    if (data.isString() && !data.toString().isEmpty()) {
        auto bytes = decodeBase64(c, QStringLiteral("imageData"), data.toString());
        if (!bytes)
            return bytes.error();
        img.embeddedImage = *bytes;
    }
    auto name = imageFileName(c, top->value(QStringLiteral("imagePath")).toString(), !img.embeddedImage.isEmpty());
    if (!name)
        return name.error();
    img.fileName = *name;
    if (Status st = readShapes(c, top->value(QStringLiteral("shapes")), img); !st)
        return st;
    const QJsonObject flags = top->value(QStringLiteral("flags")).toObject();
    for (auto it = flags.constBegin(); it != flags.constEnd(); ++it)
        if (it.value().toBool()) {
            LabelRecord tag;
            tag.kind = AnnotationKind::Tag;
            tag.classIndex = ds.classIndex(it.key(), ClassKind::Tag);
            tag.where = QStringLiteral("%1 flags.%2").arg(c.relative, it.key());
            img.labels << tag;
        }
    ds.images << img;
    return {};
}

} // namespace

QString labelmeImagesRoot(const QString &path)
{
    const QFileInfo info(path);
    return QDir::cleanPath(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

Result<Dataset> readLabelme(const QString &path, const ReadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file or folder").arg(path));
    Dataset ds;
    ds.source = path;
    const QString root = labelmeImagesRoot(path);
    QStringList files;
    if (info.isDir()) {
        QDirIterator it(root, {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
    } else {
        files << info.absoluteFilePath();
    }
    int skipped = 0;
    for (const QString &file : files) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(path));
        bool isLabelme = true;
        if (Status st = readFile(file, root, options, ds, &isLabelme); !st)
            return st.error();
        if (!isLabelme && !info.isDir())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: top level: not an object with a \"shapes\" list; this is not a labelme file").arg(file));
        skipped += isLabelme ? 0 : 1;
    }
    if (skipped)
        ds.warnings << QStringLiteral("%1 JSON files that are not objects with a \"shapes\" list are not labelme files and were skipped").arg(skipped);
    if (ds.images.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: no labelme JSON files found").arg(path));
    return ds;
}

} // namespace annotune::core::formats
