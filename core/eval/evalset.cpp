#include "core/eval/evalset.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace annotune::core::eval {

bool isDetectionKind(AnnotationKind kind)
{
    return kind == AnnotationKind::Box || kind == AnnotationKind::Polygon || kind == AnnotationKind::Ellipse ||
           kind == AnnotationKind::Mask;
}

bool isDetectionClass(ClassKind kind)
{
    return kind == ClassKind::Box || kind == ClassKind::Polygon || kind == ClassKind::Ellipse || kind == ClassKind::Mask;
}

namespace {

Status fillItem(store::Project &project, Id runId, EvalItem &e)
{
    auto truth = project.annotations().forItem(e.item.id);
    if (!truth)
        return truth.error();
    e.truth = std::move(*truth);
    auto predictions = project.runs().predictions(runId, e.item.id);
    if (!predictions)
        return predictions.error();
    e.predictions = std::move(*predictions);
    if (e.item.kind == ItemKind::DocumentPage) {
        auto words = project.annotations().words(e.item.id);
        if (!words)
            return words.error();
        e.words = std::move(*words);
        std::stable_sort(e.words.begin(), e.words.end(), [](const Word &a, const Word &b) { return a.index < b.index; });
    }
    return {};
}

} // namespace

Result<EvalSet> loadEvalSet(store::Project &project, Id runId, const EvalScope &scope)
{
    EvalSet set;
    set.scope = scope;
    auto run = project.runs().get(runId);
    if (!run)
        return run.error();
    set.run = *run;
    auto classes = project.classes().list();
    if (!classes)
        return classes.error();
    for (const LabelClass &c : *classes)
        set.classes.insert(c.id, c);
    store::ItemFilter filter;
    filter.split = scope.split;
    Status listed = project.items().forEach(filter, [&](const Item &item) {
        if (scope.statuses.contains(item.status))
            set.items.append(EvalItem{item, {}, {}, {}});
        return true;
    });
    if (!listed)
        return listed.error();
    for (EvalItem &e : set.items)
        if (Status st = fillItem(project, runId, e); !st)
            return st.error();
    // A run trained on some classes only (its spec's "classes") is judged on those: the others'
    // labels are not what it was asked to find.
    const QSet<Id> trained = trainedClasses(set);
    if (!trained.isEmpty())
        for (EvalItem &e : set.items)
            e.truth.removeIf([&](const Annotation &a) { return !trained.contains(a.classId); });
    return set;
}

QSet<Id> trainedClasses(const EvalSet &set)
{
    QSet<Id> ids;
    const QJsonArray names = QJsonDocument::fromJson(set.run.configJson.toUtf8()).object().value(QStringLiteral("classes")).toArray();
    for (const QJsonValue &name : names)
        for (const LabelClass &c : set.classes)
            if (c.name == name.toString())
                ids.insert(c.id);
    return ids;
}

QString evalTask(const EvalSet &set)
{
    const QString task = set.run.task.trimmed().toLower();
    if (task == QLatin1String("detection") || task == QLatin1String("extraction"))
        return task;
    bool boxes = false, fields = false;
    for (const EvalItem &e : set.items)
        for (const Annotation &a : e.truth) {
            boxes = boxes || isDetectionKind(a.kind);
            fields = fields || a.kind == AnnotationKind::Field;
        }
    return fields && !boxes ? QStringLiteral("extraction") : QStringLiteral("detection");
}

} // namespace annotune::core::eval
