#include "core/eval/projecteval.h"

#include "core/geometry.h"
#include "core/store/project.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace annotune::core::eval {

QString headlineMetric(const QString &task)
{
    return task == QLatin1String("extraction") ? QStringLiteral("f1") : QStringLiteral("AP");
}

const QStringList &cocoStatNames()
{
    static const QStringList names{QStringLiteral("AP"),  QStringLiteral("AP50"), QStringLiteral("AP75"), QStringLiteral("APs"),
                                   QStringLiteral("APm"), QStringLiteral("APl"),  QStringLiteral("AR1"),  QStringLiteral("AR10"),
                                   QStringLiteral("AR100"), QStringLiteral("ARs"), QStringLiteral("ARm"), QStringLiteral("ARl")};
    return names;
}

namespace {

bool usable(AnnotationKind kind, const QPolygonF &polygon, bool masks)
{
    return masks ? kind == AnnotationKind::Polygon && polygon.size() >= 3 : isDetectionKind(kind);
}

// Fills box, area and (for masks) the polygon of one COCO object.
void setShape(CocoObject &o, const QRectF &storedBox, const QPolygonF &polygon, AnnotationKind kind, bool masks)
{
    const QRectF box = storedBox.isEmpty() && !polygon.isEmpty() ? polygon.boundingRect() : storedBox;
    o.bbox = {box.x(), box.y(), box.width(), box.height()};
    o.hasBbox = true;
    o.area = kind == AnnotationKind::Polygon && polygon.size() >= 3 ? polygonArea(polygon) : box.width() * box.height();
    if (masks) {
        std::vector<double> xy;
        for (const QPointF &p : polygon)
            xy.insert(xy.end(), {p.x(), p.y()});
        o.segmentation.polygons.push_back(std::move(xy));
    }
}

bool crowd(const QJsonObject &attributes)
{
    const QJsonValue v = attributes.value(QStringLiteral("iscrowd"));
    return v.isBool() ? v.toBool() : v.toInt() != 0;
}

} // namespace

std::pair<CocoGroundTruth, CocoDetections> toCoco(const EvalSet &set, bool masks)
{
    CocoGroundTruth gt;
    CocoDetections dt;
    gt.source = dt.source = QStringLiteral("run %1").arg(set.run.id);
    QSet<Id> categories;
    for (const LabelClass &c : set.classes)
        if (masks ? c.kind == ClassKind::Polygon : isDetectionClass(c.kind))
            categories.insert(c.id);
    for (const EvalItem &e : set.items) {
        gt.images.push_back(CocoImage{e.item.id, e.item.width, e.item.height});
        for (const Annotation &a : e.truth) {
            if (!usable(a.kind, a.polygon, masks))
                continue;
            CocoObject o;
            o.id = a.id;
            o.imageId = e.item.id;
            o.categoryId = a.classId;
            o.crowd = crowd(a.attributes);
            setShape(o, a.box, a.polygon, a.kind, masks);
            gt.annotations.push_back(std::move(o));
            categories.insert(a.classId);
        }
        for (const Prediction &p : e.predictions) {
            if (!usable(p.kind, p.polygon, masks))
                continue;
            CocoObject o;
            o.id = qint64(dt.detections.size()) + 1;
            o.imageId = e.item.id;
            o.categoryId = p.classId;
            o.score = p.score;
            setShape(o, p.box, p.polygon, p.kind, masks);
            dt.detections.push_back(std::move(o));
        }
    }
    for (Id id : categories)
        gt.categories.push_back(CocoCategory{id, set.classes.value(id).name});
    return {std::move(gt), std::move(dt)};
}

Result<DetectionReport> evaluateDetection(const EvalSet &set, const ProjectEvalOptions &options)
{
    DetectionReport report;
    CocoParams params;
    params.threads = options.threads;
    auto [gt, dt] = toCoco(set, false);
    report.groundTruth = qint64(gt.annotations.size());
    report.detections = qint64(dt.detections.size());
    auto bbox = evaluateCoco(gt, dt, params);
    if (!bbox)
        return bbox.error();
    report.bbox = std::move(*bbox);
    report.bboxStats = summarize(report.bbox);
    auto confusion = confusionMatrix(gt, dt, ConfusionOptions{IouType::Bbox, 0.5, options.confusionMinScore});
    if (!confusion)
        return confusion.error();
    report.confusion = std::move(*confusion);
    auto [mgt, mdt] = toCoco(set, true);
    if (!mgt.annotations.empty()) {
        params.iouType = IouType::Segm;
        auto segm = evaluateCoco(mgt, mdt, params);
        if (!segm)
            return segm.error();
        report.segmStats = summarize(*segm);
        report.segm = std::move(*segm);
    }
    return report;
}

namespace {

void fillDetection(ProjectEvaluation &pe, const EvalSet &set)
{
    const DetectionReport &d = *pe.detection;
    for (size_t i = 0; i < d.bboxStats.size() && i < size_t(cocoStatNames().size()); ++i)
        pe.metrics.insert(cocoStatNames()[int(i)], d.bboxStats[i].value);
    for (size_t i = 0; i < d.segmStats.size() && i < size_t(cocoStatNames().size()); ++i)
        pe.metrics.insert(QStringLiteral("segm/") + cocoStatNames()[int(i)], d.segmStats[i].value);
    for (const ClassAp &c : perClassAp(d.bbox))
        pe.classScores.append(ClassScore{c.categoryId, set.classes.value(c.categoryId).name, c.ap, c.ap50});
}

void fillExtraction(ProjectEvaluation &pe, const EvalSet &set)
{
    const ExtractionReport &x = *pe.extraction;
    pe.metrics.insert(QStringLiteral("precision"), x.entities.overall.precision());
    pe.metrics.insert(QStringLiteral("recall"), x.entities.overall.recall());
    pe.metrics.insert(QStringLiteral("f1"), x.entities.overall.f1());
    pe.metrics.insert(QStringLiteral("exact_match"), x.exactMatch);
    for (const EntityScore &s : x.entities.perType) {
        const Id id = classIdForName(set, s.type);
        pe.classScores.append(ClassScore{id, s.type, s.gold == 0 ? -1 : s.f1(), s.gold == 0 ? -1 : s.recall()});
    }
}

} // namespace

Result<ProjectEvaluation> evaluateSet(const EvalSet &set, const ProjectEvalOptions &options)
{
    ProjectEvaluation pe;
    pe.runId = set.run.id;
    pe.task = evalTask(set);
    pe.scope = set.scope;
    pe.items = int(set.items.size());
    if (pe.task == QLatin1String("extraction")) {
        auto x = evaluateExtraction(set);
        if (!x)
            return x.error();
        pe.extraction = std::move(*x);
        pe.items = pe.extraction->pages;
        fillExtraction(pe, set);
    } else {
        auto d = evaluateDetection(set, options);
        if (!d)
            return d.error();
        pe.detection = std::move(*d);
        fillDetection(pe, set);
    }
    auto position = [&](const ClassScore &c) { return set.classes.value(c.classId).position; };
    std::stable_sort(pe.classScores.begin(), pe.classScores.end(),
                     [&](const ClassScore &a, const ClassScore &b) { return position(a) < position(b); });
    return pe;
}

Result<ProjectEvaluation> evaluateRun(store::Project &project, Id runId, const ProjectEvalOptions &options)
{
    auto set = loadEvalSet(project, runId, options.scope);
    if (!set)
        return set.error();
    return evaluateSet(*set, options);
}

namespace {

QJsonObject confusionJson(const ConfusionMatrix &cm, const QHash<Id, QString> &names)
{
    QJsonArray labels, rows;
    for (int64_t id : cm.categoryIds)
        labels.append(names.value(id, QString::number(id)));
    labels.append(QStringLiteral("background"));
    for (size_t g = 0; g < cm.size(); ++g) {
        QJsonArray row;
        for (size_t p = 0; p < cm.size(); ++p)
            row.append(qint64(cm.cell(g, p)));
        rows.append(row);
    }
    return {{QStringLiteral("labels"), labels}, {QStringLiteral("counts"), rows}};
}

} // namespace

QJsonObject toJson(const ProjectEvaluation &pe)
{
    QJsonObject metrics, out;
    for (auto it = pe.metrics.cbegin(); it != pe.metrics.cend(); ++it)
        metrics.insert(it.key(), it.value());
    QJsonArray classes;
    QHash<Id, QString> names;
    for (const ClassScore &c : pe.classScores) {
        names.insert(c.classId, c.name);
        classes.append(QJsonObject{{QStringLiteral("class_id"), c.classId}, {QStringLiteral("name"), c.name},
                                   {headlineMetric(pe.task), c.score},
                                   {pe.task == QLatin1String("extraction") ? QStringLiteral("recall") : QStringLiteral("AP50"), c.score50}});
    }
    out = {{QStringLiteral("run"), pe.runId}, {QStringLiteral("task"), pe.task},
           {QStringLiteral("split"), pe.scope.split ? toText(*pe.scope.split) : QStringLiteral("all")},
           {QStringLiteral("items"), pe.items}, {QStringLiteral("metrics"), metrics}, {QStringLiteral("per_class"), classes}};
    if (pe.detection) {
        QJsonObject d = toJson(pe.detection->bbox, pe.detection->bboxStats);
        d.insert(QStringLiteral("confusion"), confusionJson(pe.detection->confusion, names));
        if (pe.detection->segm)
            d.insert(QStringLiteral("segm"), toJson(*pe.detection->segm, pe.detection->segmStats));
        out.insert(QStringLiteral("detection"), d);
    }
    if (pe.extraction)
        out.insert(QStringLiteral("extraction"), toJson(*pe.extraction));
    return out;
}

} // namespace annotune::core::eval
