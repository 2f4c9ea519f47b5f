// Reading a Pascal VOC folder: label map, split lists, one annotation file per image.

#include "textlines.h"
#include "voc.h"
#include "vocxml.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QSet>

namespace annotune::core::formats {
namespace {

QString datasetRoot(const QString &path)
{
    const QFileInfo info(path);
    const QString abs = QDir::cleanPath(info.absoluteFilePath());
    if (info.isDir() && info.fileName().compare(QLatin1String("Annotations"), Qt::CaseInsensitive) == 0
        && !QFileInfo::exists(abs + QStringLiteral("/Annotations")))
        return info.absolutePath();
    return abs;
}

// Class names in labelmap.txt order ("name:color:parts:actions" or one name a line); empty
// when the file is absent.
Result<QStringList> readLabelmap(const QString &root)
{
    const QString file = root + QStringLiteral("/labelmap.txt");
    if (!QFileInfo::exists(file))
        return QStringList{};
    auto lines = readTextLines(file, 4 * 1024 * 1024);
    if (!lines)
        return lines.error();
    QStringList names;
    for (qsizetype i = 0; i < lines->size(); ++i) {
        const QString line = lines->at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QString name = line.section(QLatin1Char(':'), 0, 0).trimmed();
        if (name.isEmpty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: empty class name").arg(file).arg(i + 1));
        names << name;
    }
    return names;
}

// Image id -> split from ImageSets/Main/{trainval,train,val,test}.txt (later files win).
Result<QHash<QString, Split>> readSplits(const QString &root)
{
    QHash<QString, Split> out;
    const QList<QPair<const char *, Split>> lists{{"trainval", Split::Train}, {"train", Split::Train}, {"val", Split::Val}, {"test", Split::Test}};
    for (const auto &[list, split] : lists) {
        const QString file = root + QStringLiteral("/ImageSets/Main/%1.txt").arg(QLatin1String(list));
        if (!QFileInfo::exists(file))
            continue;
        auto lines = readTextLines(file);
        if (!lines)
            return lines.error();
        for (const QString &line : *lines) {
            const QString id = line.trimmed().section(QRegularExpression(QStringLiteral("\\s+")), 0, 0);
            if (!id.isEmpty() && !id.startsWith(QLatin1Char('#')))
                out.insert(id, split);
        }
    }
    return out;
}

// Image files in JPEGImages by stem.
QHash<QString, QString> imagesByStem(const QString &root)
{
    QHash<QString, QString> out;
    const QDir dir(root + QStringLiteral("/JPEGImages"));
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    const QList<QByteArray> formats = QImageReader::supportedImageFormats();
    for (const QString &f : files) {
        const QFileInfo info(f);
        if (formats.contains(info.suffix().toLower().toLatin1()) && !out.contains(info.completeBaseName()))
            out.insert(info.completeBaseName(), f);
    }
    return out;
}

QString warnUnknown(const QHash<QString, int> &unknown)
{
    QStringList parts;
    for (auto it = unknown.constBegin(); it != unknown.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    parts.sort();
    return QStringLiteral("unknown elements ignored: %1").arg(parts.join(QStringLiteral(", ")));
}

// One image record from a parsed file; fails for a class missing from labelmap.txt.
Result<ImageRecord> toRecord(const VocFile &f, const QString &id, bool fixedClasses, const QHash<QString, QString> &stems, Dataset &ds)
{
    ImageRecord img;
    img.where = f.rel;
    img.fileName = f.fileName;
    if (img.fileName.isEmpty())
        img.fileName = stems.value(id, id + QStringLiteral(".jpg"));
    else if (QFileInfo(img.fileName).suffix().isEmpty() && stems.contains(img.fileName))
        img.fileName = stems.value(img.fileName); // "<filename>2007_000001</filename>"
    img.width = f.width;
    img.height = f.height;
    for (const VocObject &o : f.objects) {
        const qsizetype before = ds.classes.size();
        LabelRecord l;
        l.classIndex = ds.classIndex(o.name, ClassKind::Box);
        if (fixedClasses && ds.classes.size() != before)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: class \"%3\" is not in labelmap.txt").arg(f.path, o.where.section(QLatin1Char(' '), 1), o.name));
        l.box = o.box;
        l.attributes = o.attributes;
        l.where = o.where;
        img.labels << l;
    }
    return img;
}

} // namespace

QString vocImagesRoot(const QString &path)
{
    const QString root = datasetRoot(path);
    return QFileInfo(root + QStringLiteral("/JPEGImages")).isDir() ? root + QStringLiteral("/JPEGImages") : root;
}

Result<Dataset> readVoc(const QString &path, const ReadOptions &options)
{
    const QString root = datasetRoot(path);
    const QDir annotations(root + QStringLiteral("/Annotations"));
    if (!annotations.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no Annotations folder; expected a Pascal VOC dataset folder").arg(root));
    Dataset ds;
    ds.source = root;
    auto labelmap = readLabelmap(root);
    if (!labelmap)
        return labelmap.error();
    for (const QString &name : *labelmap)
        ds.classIndex(name, ClassKind::Box);
    auto splits = readSplits(root);
    if (!splits)
        return splits.error();
    const QHash<QString, QString> stems = imagesByStem(root);
    QHash<QString, int> unknown;
    QSet<QString> seen;
    for (const QString &name : annotations.entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name)) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(root));
        VocFile f;
        f.path = annotations.filePath(name);
        f.rel = QStringLiteral("Annotations/") + name;
        if (Status st = parseVocFile(f, options.maxImagePixels); !st)
            return st.error();
        const QString id = QFileInfo(name).completeBaseName();
        auto img = toRecord(f, id, !labelmap->isEmpty(), stems, ds);
        if (!img)
            return img.error();
        if (splits->contains(id))
            img->split = splits->value(id);
        seen.insert(id);
        seen.insert(QFileInfo(img->fileName).completeBaseName());
        ds.images << *img;
        for (auto it = f.unknown.constBegin(); it != f.unknown.constEnd(); ++it)
            unknown[it.key()] += it.value();
    }
    QStringList stemList = stems.keys();
    stemList.sort();
    for (const QString &stem : stemList) {
        if (seen.contains(stem))
            continue;
        ImageRecord img; // an image without annotation file: imported unlabelled
        img.fileName = stems.value(stem);
        img.where = QStringLiteral("JPEGImages/") + img.fileName;
        if (splits->contains(stem))
            img.split = splits->value(stem);
        ds.images << img;
    }
    if (!unknown.isEmpty())
        ds.warnings << warnUnknown(unknown);
    return ds;
}

} // namespace annotune::core::formats
