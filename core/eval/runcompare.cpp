#include "core/eval/runcompare.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace annotune::core::eval {

namespace {

// The metrics of either run: COCO's twelve in pycocotools' order, then the entity scores, then
// the rest (segm/...) by name.
QVector<MetricDelta> metricDeltas(const QMap<QString, double> &a, const QMap<QString, double> &b)
{
    QStringList names = cocoStatNames();
    names << QStringLiteral("precision") << QStringLiteral("recall") << QStringLiteral("f1") << QStringLiteral("exact_match");
    for (const QMap<QString, double> *m : {&a, &b})
        for (auto it = m->cbegin(); it != m->cend(); ++it)
            if (!names.contains(it.key()))
                names.append(it.key());
    QVector<MetricDelta> out;
    for (const QString &name : names)
        if (a.contains(name) || b.contains(name))
            out.append(MetricDelta{name, a.value(name, -1), b.value(name, -1)});
    return out;
}

void classDeltas(const ProjectEvaluation &a, const ProjectEvaluation &b, RunComparison &out)
{
    for (const ClassScore &cb : b.classScores) {
        const auto ca = std::find_if(a.classScores.begin(), a.classScores.end(), [&](const ClassScore &c) { return c.classId == cb.classId; });
        if (ca == a.classScores.end() || ca->score < 0 || cb.score < 0)
            continue; // a class without ground truth on either side has nothing to compare
        const ClassDelta d{cb.classId, cb.name, ca->score, cb.score};
        if (d.delta() > 1e-12)
            out.gains.append(d);
        else if (d.delta() < -1e-12)
            out.losses.append(d);
    }
    std::stable_sort(out.gains.begin(), out.gains.end(), [](const ClassDelta &x, const ClassDelta &y) { return x.delta() > y.delta(); });
    std::stable_sort(out.losses.begin(), out.losses.end(), [](const ClassDelta &x, const ClassDelta &y) { return x.delta() < y.delta(); });
}

void itemChanges(const QVector<ItemErrors> &errorsA, const QVector<ItemErrors> &errorsB, RunComparison &out)
{
    QHash<Id, int> countA;
    for (const ItemErrors &e : errorsA)
        countA.insert(e.item.id, e.errorCount());
    for (const ItemErrors &e : errorsB) {
        const auto it = countA.constFind(e.item.id);
        if (it == countA.cend() || *it == e.errorCount())
            continue;
        (e.errorCount() < *it ? out.better : out.worse).append(ItemChange{e.item.id, e.item.path, *it, e.errorCount()});
    }
    const auto change = [](const ItemChange &c) { return std::abs(c.errorsB - c.errorsA); };
    for (QVector<ItemChange> *list : {&out.better, &out.worse})
        std::stable_sort(list->begin(), list->end(), [&](const ItemChange &x, const ItemChange &y) { return change(x) > change(y); });
}

QJsonArray classJson(const QVector<ClassDelta> &list)
{
    QJsonArray out;
    for (const ClassDelta &d : list)
        out.append(QJsonObject{{QStringLiteral("class_id"), d.classId}, {QStringLiteral("name"), d.name}, {QStringLiteral("a"), d.a},
                               {QStringLiteral("b"), d.b}, {QStringLiteral("delta"), d.delta()}});
    return out;
}

QJsonArray itemJson(const QVector<ItemChange> &list)
{
    QJsonArray out;
    for (const ItemChange &c : list)
        out.append(QJsonObject{{QStringLiteral("item"), c.itemId}, {QStringLiteral("path"), c.path},
                               {QStringLiteral("errors_a"), c.errorsA}, {QStringLiteral("errors_b"), c.errorsB}});
    return out;
}

} // namespace

RunComparison compareRuns(const ProjectEvaluation &a, const ProjectEvaluation &b, const QVector<ItemErrors> &errorsA,
                          const QVector<ItemErrors> &errorsB)
{
    RunComparison out;
    out.runA = a.runId;
    out.runB = b.runId;
    out.task = a.task;
    out.metrics = metricDeltas(a.metrics, b.metrics);
    classDeltas(a, b, out);
    itemChanges(errorsA, errorsB, out);
    return out;
}

Result<RunComparison> compareRuns(store::Project &project, Id runA, Id runB, const ProjectEvalOptions &options,
                                  const ErrorOptions &errorOptions)
{
    auto setA = loadEvalSet(project, runA, options.scope);
    if (!setA)
        return setA.error();
    auto setB = loadEvalSet(project, runB, options.scope);
    if (!setB)
        return setB.error();
    if (evalTask(*setA) != evalTask(*setB))
        return makeError(ErrorCode::BadInput, QStringLiteral("runs %1 and %2: different tasks (%3, %4); nothing to compare")
                                                  .arg(runA).arg(runB).arg(evalTask(*setA), evalTask(*setB)));
    auto a = evaluateSet(*setA, options);
    if (!a)
        return a.error();
    auto b = evaluateSet(*setB, options);
    if (!b)
        return b.error();
    return compareRuns(*a, *b, classifyErrors(*setA, errorOptions), classifyErrors(*setB, errorOptions));
}

QJsonObject toJson(const RunComparison &c)
{
    QJsonArray metrics;
    for (const MetricDelta &m : c.metrics) {
        QJsonObject o{{QStringLiteral("name"), m.name}, {QStringLiteral("a"), m.a}, {QStringLiteral("b"), m.b}};
        if (m.defined())
            o.insert(QStringLiteral("delta"), m.delta());
        metrics.append(o);
    }
    return {{QStringLiteral("run_a"), c.runA}, {QStringLiteral("run_b"), c.runB}, {QStringLiteral("task"), c.task},
            {QStringLiteral("metrics"), metrics}, {QStringLiteral("class_gains"), classJson(c.gains)},
            {QStringLiteral("class_losses"), classJson(c.losses)}, {QStringLiteral("items_better"), itemJson(c.better)},
            {QStringLiteral("items_worse"), itemJson(c.worse)}};
}

} // namespace annotune::core::eval
