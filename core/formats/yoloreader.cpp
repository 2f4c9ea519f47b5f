// Reading YOLO label folders: scan, pair label files with images, parse lines, probe sizes.

#include "textlines.h"
#include "yamlsubset.h"
#include "yolo.h"

#include "core/media.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QSet>
#include <QtConcurrent>
#include <cmath>

namespace annotune::core::formats {
namespace {

constexpr double kTolerance = 1e-3; // normalised coordinates may overshoot [0, 1] by this much

QString rootFolder(const QString &path)
{
    const QFileInfo info(path);
    return info.isDir() ? QDir::cleanPath(info.absoluteFilePath()) : info.absolutePath();
}

bool isImageSuffix(const QString &suffix)
{
    static const QSet<QString> known = [] {
        QSet<QString> s;
        for (const QByteArray &f : QImageReader::supportedImageFormats())
            s.insert(QString::fromLatin1(f).toLower());
        return s;
    }();
    return known.contains(suffix.toLower());
}

// Folder key shared by a label file and its image: lower-case components, with "labels" and
// "annotations" read as "images", plus the stem.
QString pairKey(const QString &relPath)
{
    QStringList parts = relPath.toLower().split(QLatin1Char('/'));
    const QString stem = QFileInfo(parts.takeLast()).completeBaseName();
    for (QString &p : parts)
        if (p == QLatin1String("labels") || p == QLatin1String("annotations"))
            p = QStringLiteral("images");
    parts << stem;
    return parts.join(QLatin1Char('/'));
}

// The split a folder name says: train*, val*/valid*, test* as a whole word of a component.
std::optional<Split> splitOfPath(const QString &relPath)
{
    QStringList dirs = relPath.toLower().split(QLatin1Char('/'));
    dirs.removeLast();
    static const QRegularExpression word(QStringLiteral("[^a-z]+"));
    for (qsizetype i = dirs.size() - 1; i >= 0; --i)
        for (const QString &w : dirs[i].split(word, Qt::SkipEmptyParts)) {
            if (w == QLatin1String("train"))
                return Split::Train;
            if (w == QLatin1String("val") || w == QLatin1String("valid") || w == QLatin1String("validation"))
                return Split::Val;
            if (w == QLatin1String("test"))
                return Split::Test;
        }
    return std::nullopt;
}

struct Scan {
    QStringList images; // relative to the root, sorted
    QStringList texts;
};

Result<Scan> scanFolder(const QString &root, const CancelFlag *cancel)
{
    Scan scan;
    QDirIterator it(root, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    const QDir base(root);
    while (it.hasNext()) {
        const QString file = it.next();
        if (cancelled(cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(root));
        const QString rel = base.relativeFilePath(file);
        const QString suffix = it.fileInfo().suffix().toLower();
        if (suffix == QLatin1String("txt"))
            scan.texts << rel;
        else if (isImageSuffix(suffix))
            scan.images << rel;
    }
    scan.images.sort();
    scan.texts.sort();
    return scan;
}

// Class names from data.yaml (names as a list or a mapping), obj.names or classes.txt; empty
// when the folder has none.
Result<QStringList> namesFromYaml(const QString &file)
{
    auto text = readUtf8File(file, 4 * 1024 * 1024);
    if (!text)
        return text.error();
    auto yaml = parseYamlSubset(*text, file);
    if (!yaml)
        return yaml.error();
    const YamlValue names = yaml->value(QStringLiteral("names"));
    QStringList out;
    if (names.kind == YamlValue::Kind::List) {
        out = names.list;
    } else if (names.kind == YamlValue::Kind::Map) {
        for (const auto &[key, name] : names.map) {
            bool ok = false;
            const int index = key.toInt(&ok);
            if (!ok || index < 0 || index > 100000)
                return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: names: \"%3\" is not a class number").arg(file).arg(names.line).arg(key));
            if (out.size() <= index)
                out.resize(index + 1);
            out[index] = name;
        }
    }
    for (qsizetype i = 0; i < out.size(); ++i)
        if (out[i].trimmed().isEmpty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: names: class %3 has no name").arg(file).arg(names.line).arg(i));
    if (yaml->contains(QStringLiteral("nc"))) {
        const YamlValue nc = yaml->value(QStringLiteral("nc"));
        if (nc.scalar.toInt() != out.size())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: nc is %3 but names lists %4 classes").arg(file).arg(nc.line).arg(nc.scalar).arg(out.size()));
    }
    return out;
}

Result<QStringList> namesFromList(const QString &file)
{
    auto lines = readTextLines(file, 4 * 1024 * 1024);
    if (!lines)
        return lines.error();
    while (!lines->isEmpty() && lines->last().trimmed().isEmpty())
        lines->removeLast();
    QStringList out;
    for (qsizetype i = 0; i < lines->size(); ++i) {
        const QString name = lines->at(i).trimmed();
        if (name.isEmpty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: empty class name").arg(file).arg(i + 1));
        out << name;
    }
    return out;
}

Result<QStringList> classNames(const QString &root, QString *from)
{
    for (const char *name : {"data.yaml", "data.yml", "dataset.yaml", "dataset.yml"})
        if (QFileInfo::exists(root + QLatin1Char('/') + QLatin1String(name))) {
            *from = QLatin1String(name);
            return namesFromYaml(root + QLatin1Char('/') + *from);
        }
    for (const char *name : {"obj.names", "classes.txt", "classes.names", "coco.names"})
        if (QFileInfo::exists(root + QLatin1Char('/') + QLatin1String(name))) {
            *from = QLatin1String(name);
            return namesFromList(root + QLatin1Char('/') + *from);
        }
    return QStringList{};
}

// One label line in normalised coordinates; the reason it is wrong as an error message.
Result<LabelRecord> parseLine(const QString &line, int classCount)
{
    const QStringList f = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    auto bad = [](const QString &why) { return makeError(ErrorCode::BadInput, why); };
    if (f.size() != 5 && f.size() != 6 && (f.size() < 7 || f.size() % 2 == 0))
        return bad(QStringLiteral("%1 fields; expected \"class cx cy w h\" (5, or 6 with a score) or \"class x1 y1 ... xn yn\" (a polygon of at least 3 points)").arg(f.size()));
    bool ok = false;
    LabelRecord l;
    l.classIndex = f[0].toInt(&ok);
    if (!ok)
        return bad(QStringLiteral("class \"%1\" is not a whole number").arg(f[0]));
    if (l.classIndex < 0)
        return bad(QStringLiteral("class index %1 is negative").arg(l.classIndex));
    if (classCount >= 0 && l.classIndex >= classCount)
        return bad(QStringLiteral("class index %1 is out of range (%2 classes)").arg(l.classIndex).arg(classCount));
    QVector<double> v;
    for (qsizetype i = 1; i < f.size(); ++i) {
        const double x = f[i].toDouble(&ok);
        if (!ok || !std::isfinite(x))
            return bad(QStringLiteral("field %1 \"%2\" is not a finite number").arg(i + 1).arg(f[i]));
        if (i < 5 || f.size() != 6)
            if (x < -kTolerance || x > 1 + kTolerance)
                return bad(QStringLiteral("field %1 (%2) is outside [0, 1]; YOLO coordinates are normalised").arg(i + 1).arg(f[i]));
        v << x;
    }
    if (f.size() <= 6) {
        l.box = QRectF(v[0] - v[2] / 2, v[1] - v[3] / 2, v[2], v[3]);
        if (f.size() == 6)
            l.score = v[4];
        return l;
    }
    l.kind = AnnotationKind::Polygon;
    for (qsizetype i = 0; i + 1 < v.size(); i += 2)
        l.polygon << QPointF(v[i], v[i + 1]);
    return l;
}

Status parseLabelFile(const QString &root, const QString &rel, int classCount, QVector<LabelRecord> &out)
{
    const QString file = root + QLatin1Char('/') + rel;
    auto lines = readTextLines(file);
    if (!lines)
        return lines.error();
    for (qsizetype n = 0; n < lines->size(); ++n) {
        const QString line = lines->at(n).trimmed();
        if (line.isEmpty())
            continue;
        auto label = parseLine(line, classCount);
        if (!label)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2: %3").arg(file).arg(n + 1).arg(label.error().message));
        label->where = QStringLiteral("%1 line %2").arg(rel).arg(n + 1);
        out << *label;
    }
    return {};
}

// Pixels from normalised coordinates. Edges within 0.01 px outside the image (rounding in files
// written with 6 decimals) are put on the edge, so they are not reported as clipped.
void denormalize(QVector<LabelRecord> &labels, int w, int h)
{
    auto snap = [](double v, int size) { return v < 0 && v > -0.01 ? 0.0 : v > size && v < size + 0.01 ? double(size) : v; };
    for (LabelRecord &l : labels) {
        if (l.kind == AnnotationKind::Polygon) {
            for (QPointF &p : l.polygon)
                p = QPointF(snap(p.x() * w, w), snap(p.y() * h, h));
            l.box = l.polygon.boundingRect();
        } else {
            l.box = QRectF(QPointF(snap(l.box.left() * w, w), snap(l.box.top() * h, h)),
                           QPointF(snap(l.box.right() * w, w), snap(l.box.bottom() * h, h)));
        }
    }
}

} // namespace

namespace {

// Label file (relative path) for each image index; label files without an image go to warnings,
// except the lists and notes a dataset keeps at its top (train.txt, classes.txt, README.txt).
QHash<int, QString> pairLabels(const Scan &scan, Dataset &ds)
{
    QHash<QString, int> imageByKey;
    QStringList shared;
    for (qsizetype i = 0; i < scan.images.size(); ++i) {
        const QString key = pairKey(scan.images[i]);
        if (imageByKey.contains(key))
            shared << scan.images[i];
        else
            imageByKey.insert(key, int(i));
    }
    if (!shared.isEmpty())
        ds.warnings << QStringLiteral("%1 images share a name stem with another image in the same folder; their label files pair with the first (e.g. %2)")
                           .arg(shared.size()).arg(shared.first());
    static const QSet<QString> notLabels{QStringLiteral("classes.txt"), QStringLiteral("train.txt"), QStringLiteral("val.txt"),
                                         QStringLiteral("valid.txt"), QStringLiteral("test.txt"), QStringLiteral("trainval.txt"),
                                         QStringLiteral("readme.txt"), QStringLiteral("license.txt")};
    QHash<int, QString> out;
    QStringList orphans;
    for (const QString &text : scan.texts) {
        auto it = imageByKey.constFind(pairKey(text));
        if (it != imageByKey.constEnd())
            out.insert(*it, text);
        else if (!notLabels.contains(QFileInfo(text).fileName().toLower()))
            orphans << text;
    }
    if (!orphans.isEmpty())
        ds.warnings << QStringLiteral("%1 label files have no image and were not read: %2%3")
                           .arg(orphans.size()).arg(orphans.mid(0, 10).join(QStringLiteral(", ")))
                           .arg(orphans.size() > 10 ? QStringLiteral(", ...") : QString());
    return out;
}

// Probes the size of every labelled image (in parallel) and turns its labels into pixels. An
// image that cannot be read keeps no labels and is named in the warnings; the import then
// reports it as missing.
Status probeLabeled(const QString &root, const Scan &scan, QVector<QVector<LabelRecord>> &labels, QVector<QSize> &sizes,
                    Dataset &ds, const ReadOptions &options)
{
    QVector<int> todo;
    for (qsizetype i = 0; i < labels.size(); ++i)
        if (!labels[i].isEmpty())
            todo << int(i);
    QVector<QString> errors(scan.images.size());
    sizes.resize(scan.images.size());
    QtConcurrent::blockingMap(todo, [&](int i) {
        if (cancelled(options.cancel))
            return;
        auto path = resolveUnder(root, scan.images[i]);
        const MediaProbe probe = path ? probeImage(*path, options.maxImagePixels) : MediaProbe{};
        errors[i] = path ? probe.error : path.error().message;
        sizes[i] = QSize(probe.width, probe.height);
    });
    if (cancelled(options.cancel))
        return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(root));
    QStringList unreadable;
    for (int i : todo) {
        if (!errors[i].isEmpty()) {
            unreadable << QStringLiteral("%1 (%2)").arg(scan.images[i], errors[i]);
            labels[i].clear();
            continue;
        }
        denormalize(labels[i], sizes[i].width(), sizes[i].height());
    }
    if (!unreadable.isEmpty())
        ds.warnings << QStringLiteral("%1 labelled images could not be read, so their labels were not read: %2")
                           .arg(unreadable.size()).arg(unreadable.first());
    return {};
}

// Classes from the names file (or numbered 0..max), drawn as polygons when most of their labels are.
void setClasses(Dataset &ds, const QStringList &names, const QVector<QVector<LabelRecord>> &labels)
{
    int maxIndex = -1;
    QHash<int, int> polygons, boxes;
    for (const auto &list : labels)
        for (const LabelRecord &l : list) {
            maxIndex = std::max(maxIndex, l.classIndex);
            (l.kind == AnnotationKind::Polygon ? polygons : boxes)[l.classIndex] += 1;
        }
    QStringList all = names;
    if (all.isEmpty()) {
        for (int i = 0; i <= maxIndex; ++i)
            all << QString::number(i);
        if (maxIndex >= 0)
            ds.warnings << QStringLiteral("no data.yaml, obj.names or classes.txt: classes are named by their numbers");
    }
    for (qsizetype i = 0; i < all.size(); ++i)
        ds.classes << DatasetClass{all[i], polygons.value(int(i)) > boxes.value(int(i)) ? ClassKind::Polygon : ClassKind::Box};
}

} // namespace

QString yoloImagesRoot(const QString &path) { return rootFolder(path); }

Result<Dataset> readYolo(const QString &path, const ReadOptions &options)
{
    const QString root = rootFolder(path);
    if (!QFileInfo(root).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such folder").arg(root));
    Dataset ds;
    ds.source = root;
    QString namesFile;
    auto names = classNames(root, &namesFile);
    if (!names)
        return names.error();
    auto scan = scanFolder(root, options.cancel);
    if (!scan)
        return scan.error();
    const QHash<int, QString> pairs = pairLabels(*scan, ds);
    QVector<QVector<LabelRecord>> labels(scan->images.size());
    const int classCount = names->isEmpty() ? -1 : int(names->size());
    for (int i = 0; i < int(scan->images.size()); ++i)
        if (pairs.contains(i))
            if (Status st = parseLabelFile(root, pairs.value(i), classCount, labels[i]); !st)
                return st.error();
    QVector<QSize> sizes;
    if (Status st = probeLabeled(root, *scan, labels, sizes, ds, options); !st)
        return st.error();
    setClasses(ds, *names, labels);
    for (qsizetype i = 0; i < scan->images.size(); ++i) {
        ImageRecord img;
        img.fileName = scan->images[i];
        img.where = scan->images[i];
        img.width = sizes[i].width();
        img.height = sizes[i].height();
        img.labels = labels[i];
        img.split = splitOfPath(scan->images[i]);
        ds.images << img;
    }
    return ds;
}

} // namespace annotune::core::formats
