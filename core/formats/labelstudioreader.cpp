// Reads a Label Studio JSON task export (see labelstudio.h) into a Dataset.

#include "labelstudio.h"
#include "textlines.h"

#include <QFile>
#include <QFileInfo>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QUrl>
#include <QtMath>

namespace annotune::core::formats {
namespace {

// Things read but not used, reported once each with a count.
struct Skipped {
    int cancelled = 0, several = 0, predictions = 0, noImage = 0, unlabeled = 0, otherObject = 0;
    QMap<QString, int> types;
};

// The task being read and what it adds to.
struct TaskContext {
    QString file;
    QString where;          // "tasks[3] (id 17)"
    const ReadOptions &options;
    Dataset &ds;
    Skipped &skipped;
    ImageRecord img;
    QString toName;         // the image object the results refer to
    std::optional<double> score; // the prediction's score when predictions are read
};

Error bad(const TaskContext &c, const QString &where, const QString &reason)
{
    return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2: %3").arg(c.file, where, reason));
}

// A number, also when written as a string.
std::optional<double> number(const QJsonValue &v)
{
    bool ok = v.isDouble();
    const double d = ok ? v.toDouble() : v.toString().trimmed().toDouble(&ok);
    return ok ? std::optional<double>(d) : std::nullopt;
}

Result<double> required(const TaskContext &c, const QString &where, const QJsonObject &o, const char *key)
{
    const auto v = number(o.value(QLatin1String(key)));
    if (!v)
        return bad(c, where, QStringLiteral("%1 is missing or not a number").arg(QLatin1String(key)));
    if (!std::isfinite(*v))
        return bad(c, where, QStringLiteral("%1 is not a finite number").arg(QLatin1String(key)));
    return *v;
}

bool looksLikeImage(const QString &s)
{
    static const QRegularExpression ext(QStringLiteral("\\.(jpe?g|png|bmp|gif|tiff?|webp)$"), QRegularExpression::CaseInsensitiveOption);
    return ext.match(QString(s).section(QLatin1Char('?'), 0, 0)).hasMatch();
}

QString imageUrl(const QJsonObject &data, const QString &toName)
{
    if (data.value(toName).isString())
        return data.value(toName).toString();
    if (data.value(QStringLiteral("image")).isString())
        return data.value(QStringLiteral("image")).toString();
    QStringList images;
    for (const QJsonValue &v : data)
        if (v.isString() && looksLikeImage(v.toString()))
            images << v.toString();
    return images.size() == 1 ? images.first() : QString();
}

// The file name rule documented in labelstudio.h.
QString fileNameOf(const QString &url)
{
    const qsizetype local = url.indexOf(QLatin1String("/data/local-files/"));
    const qsizetype d = url.indexOf(QLatin1String("?d="));
    if (local >= 0 && d > local)
        return QUrl::fromPercentEncoding(url.mid(d + 3).section(QLatin1Char('&'), 0, 0).toUtf8());
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    if (!url.startsWith(QLatin1Char('/')) && !url.startsWith(QLatin1Char('\\')) && !scheme.match(url).hasMatch())
        return url;
    QString path = url.section(QLatin1Char('?'), 0, 0).section(QLatin1Char('#'), 0, 0);
    path.replace(QLatin1Char('\\'), QLatin1Char('/'));
    return QUrl::fromPercentEncoding(path.section(QLatin1Char('/'), -1).toUtf8());
}

// Index of the annotation to use, or -1: ground truth first, then the latest updated_at.
int chooseAnnotation(const QJsonArray &annotations, Skipped &skipped)
{
    int best = -1, usable = 0;
    bool bestTruth = false;
    QString bestTime;
    for (int k = 0; k < annotations.size(); ++k) {
        const QJsonObject a = annotations[k].toObject();
        if (a.value(QStringLiteral("was_cancelled")).toBool()) {
            ++skipped.cancelled;
            continue;
        }
        ++usable;
        const bool truth = a.value(QStringLiteral("ground_truth")).toBool();
        const QString time = a.value(QStringLiteral("updated_at")).toString();
        if (best < 0 || (truth && !bestTruth) || (truth == bestTruth && time >= bestTime))
            best = k, bestTruth = truth, bestTime = time;
    }
    skipped.several += usable > 1 ? 1 : 0;
    return best;
}

Status setSize(TaskContext &c, const QString &where, const QJsonObject &r)
{
    auto w = required(c, where, r, "original_width");
    auto h = required(c, where, r, "original_height");
    if (!w || !h)
        return w ? h.error() : w.error();
    if (*w <= 0 || *h <= 0 || *w != std::floor(*w) || *h != std::floor(*h))
        return bad(c, where, QStringLiteral("original size %1 x %2 is not a positive size in whole pixels").arg(*w).arg(*h));
    if (*w * *h > double(c.options.maxImagePixels))
        return bad(c, where, QStringLiteral("original size %1 x %2 is over the limit of %3 pixels").arg(*w).arg(*h).arg(c.options.maxImagePixels));
    if (c.img.width && (c.img.width != int(*w) || c.img.height != int(*h)))
        return bad(c, where, QStringLiteral("original size %1 x %2 differs from %3 x %4 given earlier for this image").arg(*w).arg(*h).arg(c.img.width).arg(c.img.height));
    c.img.width = int(*w), c.img.height = int(*h);
    return {};
}

Result<QPointF> percentPoint(const TaskContext &c, const QString &where, const QJsonValue &v)
{
    const QJsonArray p = v.toArray();
    const auto x = number(p.at(0)), y = number(p.at(1));
    if (p.size() < 2 || !x || !y)
        return bad(c, where, QStringLiteral("a point is not [x, y] in numbers"));
    if (!std::isfinite(*x) || !std::isfinite(*y))
        return bad(c, where, QStringLiteral("a point is not a finite number"));
    return QPointF(*x * c.img.width / 100, *y * c.img.height / 100);
}

Status readRectangle(const TaskContext &c, const QString &where, const QJsonObject &v, LabelRecord &l, bool ellipse)
{
    auto x = required(c, where, v, "x"), y = required(c, where, v, "y");
    auto w = required(c, where, v, ellipse ? "radiusX" : "width"), h = required(c, where, v, ellipse ? "radiusY" : "height");
    for (const auto *n : {&x, &y, &w, &h})
        if (!*n)
            return n->error();
    if (*w < 0 || *h < 0)
        return bad(c, where, QStringLiteral("negative size %1 x %2").arg(*w).arg(*h));
    const double rotation = number(v.value(QStringLiteral("rotation"))).value_or(0);
    if (!std::isfinite(rotation))
        return bad(c, where, QStringLiteral("rotation is not a finite number"));
    const double W = c.img.width / 100.0, H = c.img.height / 100.0;
    const QSizeF size = ellipse ? QSizeF(2 * *w * W, 2 * *h * H) : QSizeF(*w * W, *h * H);
    QPointF centre(*x * W, *y * H);
    if (!ellipse) { // Label Studio turns rectangles about their top-left corner
        const double a = qDegreesToRadians(rotation), hw = size.width() / 2, hh = size.height() / 2;
        centre += QPointF(hw * std::cos(a) - hh * std::sin(a), hw * std::sin(a) + hh * std::cos(a));
    }
    l.kind = ellipse ? AnnotationKind::Ellipse : AnnotationKind::Box;
    l.box = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
    if (rotation != 0)
        l.attributes.insert(QStringLiteral("rotation"), rotation);
    return {};
}

Status readPoints(const TaskContext &c, const QString &where, const QString &type, const QJsonObject &v, LabelRecord &l)
{
    if (type == QLatin1String("keypointlabels")) {
        auto p = percentPoint(c, where, QJsonArray{v.value(QStringLiteral("x")), v.value(QStringLiteral("y"))});
        if (!p)
            return p.error();
        l.kind = AnnotationKind::Points, l.polygon = {*p}, l.box = QRectF(*p, QSizeF(0, 0));
        return {};
    }
    const QJsonArray points = v.value(QStringLiteral("points")).toArray();
    for (qsizetype i = 0; i < points.size(); ++i) {
        auto p = percentPoint(c, QStringLiteral("%1.value.points[%2]").arg(where).arg(i), points[i]);
        if (!p)
            return p.error();
        l.polygon << *p;
    }
    const bool open = v.value(QStringLiteral("closed")) == QJsonValue(false);
    l.kind = open ? AnnotationKind::Polyline : AnnotationKind::Polygon;
    l.box = l.polygon.boundingRect();
    if (l.polygon.size() < (open ? 2 : 3))
        return bad(c, where, QStringLiteral("a %1 needs at least %2 points, this one has %3")
                                 .arg(open ? QStringLiteral("polyline") : QStringLiteral("polygon")).arg(open ? 2 : 3).arg(l.polygon.size()));
    return {};
}

ClassKind classKindFor(const QString &type)
{
    static const QHash<QString, ClassKind> kinds{{QStringLiteral("rectanglelabels"), ClassKind::Box},
                                                 {QStringLiteral("polygonlabels"), ClassKind::Polygon},
                                                 {QStringLiteral("keypointlabels"), ClassKind::Points},
                                                 {QStringLiteral("ellipselabels"), ClassKind::Ellipse},
                                                 {QStringLiteral("choices"), ClassKind::Tag}};
    return kinds.value(type, ClassKind::Box);
}

Status readResult(TaskContext &c, const QString &where, const QJsonObject &r)
{
    const QString type = r.value(QStringLiteral("type")).toString();
    static const QStringList supported{QStringLiteral("rectanglelabels"), QStringLiteral("polygonlabels"), QStringLiteral("keypointlabels"),
                                       QStringLiteral("ellipselabels"), QStringLiteral("choices")};
    if (!supported.contains(type)) {
        ++c.skipped.types[type.isEmpty() ? QStringLiteral("(none)") : type];
        return {};
    }
    if (r.value(QStringLiteral("to_name")).toString() != c.toName) {
        ++c.skipped.otherObject;
        return {};
    }
    const QJsonObject v = r.value(QStringLiteral("value")).toObject();
    const QJsonArray names = v.value(type).toArray();
    if (names.isEmpty()) {
        ++c.skipped.unlabeled;
        return {};
    }
    LabelRecord l;
    l.kind = AnnotationKind::Tag;
    if (type != QLatin1String("choices")) {
        if (Status st = setSize(c, where, r); !st)
            return st;
        Status st = type == QLatin1String("rectanglelabels") || type == QLatin1String("ellipselabels")
                        ? readRectangle(c, where, v, l, type == QLatin1String("ellipselabels"))
                        : readPoints(c, where, type, v, l);
        if (!st)
            return st;
    }
    const QJsonValue id = r.value(QStringLiteral("id"));
    if (id.isString() || id.isDouble())
        l.attributes.insert(QStringLiteral("ls_id"), id);
    for (const char *key : {"from_name", "to_name"})
        if (r.value(QLatin1String(key)).isString())
            l.attributes.insert(QLatin1String(key), r.value(QLatin1String(key)));
    l.score = r.contains(QStringLiteral("score")) ? number(r.value(QStringLiteral("score"))) : c.score;
    l.where = where;
    for (qsizetype n = 0; n < names.size(); ++n) {
        const QString name = names[n].toString();
        if (!names[n].isString() || name.trimmed().isEmpty())
            return bad(c, QStringLiteral("%1.value.%2[%3]").arg(where, type).arg(n), QStringLiteral("a label name is not a non-empty string"));
        l.classIndex = c.ds.classIndex(name, classKindFor(type));
        c.img.labels << l;
    }
    return {};
}

// The results to read for a task: its chosen annotation's, or a prediction's when allowed.
QJsonArray taskResults(TaskContext &c, const QJsonObject &task, bool usePredictions, QString *base)
{
    const QJsonArray annotations = task.value(QStringLiteral("annotations")).toArray();
    const QJsonArray predictions = task.value(QStringLiteral("predictions")).toArray();
    const int k = chooseAnnotation(annotations, c.skipped);
    if (!usePredictions)
        c.skipped.predictions += int(predictions.size());
    if (k >= 0) {
        *base = QStringLiteral("%1.annotations[%2]").arg(c.where.section(QLatin1Char(' '), 0, 0)).arg(k);
        return annotations[k].toObject().value(QStringLiteral("result")).toArray();
    }
    if (!usePredictions || predictions.isEmpty())
        return {};
    *base = QStringLiteral("%1.predictions[0]").arg(c.where.section(QLatin1Char(' '), 0, 0));
    const QJsonObject p = predictions[0].toObject();
    c.score = number(p.value(QStringLiteral("score")));
    return p.value(QStringLiteral("result")).toArray();
}

Status readTask(TaskContext &c, const QJsonValue &value, bool usePredictions)
{
    const QJsonObject task = value.toObject();
    if (!value.isObject() || !task.value(QStringLiteral("data")).isObject())
        return bad(c, c.where, QStringLiteral("a task needs a data object"));
    QString base;
    const QJsonArray results = taskResults(c, task, usePredictions, &base);
    for (const QJsonValue &r : results)
        if (c.toName.isEmpty() && r.toObject().value(QStringLiteral("type")).toString() != QLatin1String("choices"))
            c.toName = r.toObject().value(QStringLiteral("to_name")).toString();
    const QString url = imageUrl(task.value(QStringLiteral("data")).toObject(), c.toName);
    if (url.isEmpty()) {
        ++c.skipped.noImage;
        return {};
    }
    for (const QJsonValue &r : results)
        if (c.toName.isEmpty())
            c.toName = r.toObject().value(QStringLiteral("to_name")).toString();
    c.img.fileName = fileNameOf(url);
    if (c.img.fileName.isEmpty())
        return bad(c, c.where + QStringLiteral(".data"), QStringLiteral("cannot tell an image file name from \"%1\"").arg(url));
    c.img.where = c.where;
    for (qsizetype j = 0; j < results.size(); ++j)
        if (Status st = readResult(c, QStringLiteral("%1.result[%2]").arg(base).arg(j), results[j].toObject()); !st)
            return st;
    c.ds.images << c.img;
    return {};
}

void addWarnings(Dataset &ds, const Skipped &s)
{
    auto say = [&](int n, const QString &text) { if (n) ds.warnings << text.arg(n); };
    say(s.cancelled, QStringLiteral("%1 cancelled annotations were skipped"));
    say(s.several, QStringLiteral("%1 tasks have several annotations; the ground-truth or most recently updated one was used"));
    say(s.predictions, QStringLiteral("%1 predictions were ignored because the file has annotations"));
    say(s.noImage, QStringLiteral("%1 tasks name no image and were skipped"));
    say(s.unlabeled, QStringLiteral("%1 regions without a label were skipped"));
    say(s.otherObject, QStringLiteral("%1 results on another object of their task were skipped"));
    for (auto it = s.types.constBegin(); it != s.types.constEnd(); ++it)
        ds.warnings << QStringLiteral("%1 results of type %2 were skipped (not supported)").arg(it.value()).arg(it.key());
}

} // namespace

QString labelStudioImagesRoot(const QString &path)
{
    return QFileInfo(path).absolutePath();
}

Result<Dataset> readLabelStudio(const QString &path, const ReadOptions &options)
{
    auto read = readJsonFile(path);
    if (!read)
        return read.error();
    const QJsonDocument &doc = *read;
    if (!doc.isArray())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: top level: a Label Studio export is a JSON array of tasks").arg(path));
    const QJsonArray tasks = doc.array();
    bool anyAnnotation = false;
    for (const QJsonValue &t : tasks)
        anyAnnotation = anyAnnotation || !t.toObject().value(QStringLiteral("annotations")).toArray().isEmpty();
    Dataset ds;
    ds.source = path;
    Skipped skipped;
    for (qsizetype i = 0; i < tasks.size(); ++i) {
        if (cancelled(options.cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("%1: reading cancelled").arg(path));
        const QJsonValue id = tasks[i].toObject().value(QStringLiteral("id"));
        TaskContext c{path, QStringLiteral("tasks[%1]").arg(i), options, ds, skipped, {}, {}, {}};
        if (!id.isUndefined())
            c.where += QStringLiteral(" (id %1)").arg(id.isString() ? id.toString() : QString::number(id.toInteger()));
        if (Status st = readTask(c, tasks[i], !anyAnnotation); !st)
            return st.error();
    }
    addWarnings(ds, skipped);
    if (ds.images.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: no task names an image (data.image); nothing to import").arg(path));
    return ds;
}

} // namespace annotune::core::formats
