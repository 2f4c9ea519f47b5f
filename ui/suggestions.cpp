#include "suggestions.h"

#include "core/predictionlabel.h"

#include "core/eval/itemerrors.h"
#include "core/store/approvalrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "labeling/annotationdocument.h"

#include <QJsonObject>

namespace annotune::ui {

using namespace annotune::core;

Status SuggestionSet::load(store::Project &project, Id runId, Id itemId)
{
    clear();
    m_runId = runId;
    m_itemId = itemId;
    if (runId == 0 || itemId == 0)
        return {};
    auto predictions = project.runs().predictions(runId, itemId);
    if (!predictions)
        return predictions.error();
    m_predictions = std::move(*predictions);
    std::stable_sort(m_predictions.begin(), m_predictions.end(), [](const auto &a, const auto &b) { return a.score > b.score; });
    auto reviews = project.approvals().reviews(runId);
    if (!reviews)
        return reviews.error();
    QSet<Id> mine;
    for (const auto &p : std::as_const(m_predictions))
        mine.insert(p.id);
    for (const auto &review : std::as_const(*reviews))
        if (review.verdict == ReviewVerdict::Wrong && mine.contains(review.predictionId))
            m_rejected.insert(review.predictionId);
    return {};
}

void SuggestionSet::clear()
{
    m_runId = 0;
    m_itemId = 0;
    m_predictions.clear();
    m_rejected.clear();
}

QVector<Prediction> SuggestionSet::visible(const labeling::AnnotationDocument &doc) const
{
    if (doc.itemId() != m_itemId)
        return {};
    QSet<Id> accepted;
    for (const Annotation &a : doc.annotations())
        if (Id origin = originPrediction(a))
            accepted.insert(origin);
    QVector<Prediction> out;
    for (const Prediction &p : m_predictions)
        if (p.score >= threshold(p.classId) && !m_rejected.contains(p.id) && !accepted.contains(p.id))
            out.append(p);
    return out;
}

const Prediction *SuggestionSet::find(Id predictionId) const
{
    for (const Prediction &p : m_predictions)
        if (p.id == predictionId)
            return &p;
    return nullptr;
}

Annotation SuggestionSet::toAnnotation(const Prediction &prediction)
{
    Annotation a = core::annotationFromPrediction(prediction);
    a.attributes.insert(QStringLiteral("origin"), QJsonObject{{QStringLiteral("run"), prediction.runId},
                                                              {QStringLiteral("prediction"), prediction.id},
                                                              {QStringLiteral("score"), prediction.score},
                                                              {QStringLiteral("reviewed"), true}});
    return a;
}

Id SuggestionSet::originPrediction(const Annotation &annotation)
{
    const QJsonObject origin = annotation.attributes.value(QStringLiteral("origin")).toObject();
    return origin.value(QStringLiteral("prediction")).toInteger();
}

Id SuggestionSet::accept(labeling::AnnotationDocument &doc, Id predictionId) const
{
    const Prediction *p = find(predictionId);
    if (!p || doc.itemId() != m_itemId)
        return 0;
    const auto ids = doc.addAnnotations({toAnnotation(*p)}, QObject::tr("Accept Suggestion"));
    return ids.isEmpty() ? 0 : ids.first();
}

QVector<Id> SuggestionSet::acceptAll(labeling::AnnotationDocument &doc) const
{
    QVector<Annotation> annotations;
    for (const Prediction &p : visible(doc))
        annotations.append(toAnnotation(p));
    if (annotations.isEmpty())
        return {};
    return doc.addAnnotations(annotations, QObject::tr("Accept %n Suggestion(s)", nullptr, int(annotations.size())));
}

Status SuggestionSet::reject(store::Project &project, Id predictionId, const QString &reviewer)
{
    if (!find(predictionId))
        return makeError(ErrorCode::NotFound, QStringLiteral("Prediction %1 is not a suggestion on this item").arg(predictionId));
    auto review = project.approvals().addReview(predictionId, reviewer, ReviewVerdict::Wrong, QStringLiteral("rejected suggestion"));
    if (!review)
        return review.error();
    m_rejected.insert(predictionId);
    return {};
}

Result<QVector<QueueEntry>> uncertaintyQueue(store::Project &project, Id runId, int limit)
{
    QVector<QueueEntry> out;
    std::optional<Error> failure;
    store::ItemFilter filter;
    filter.status = ItemStatus::Unlabeled;
    const Status walked = project.items().forEach(filter, [&](const Item &item) {
        auto predictions = project.runs().predictions(runId, item.id);
        if (!predictions) {
            failure = predictions.error();
            return false;
        }
        if (predictions->isEmpty())
            return true;
        double sum = 0;
        for (const Prediction &p : std::as_const(*predictions))
            sum += std::min(p.score, 1.0 - p.score);
        out.append({item, sum / predictions->size(), int(predictions->size())});
        return true;
    });
    if (!walked)
        return walked.error();
    if (failure)
        return *failure;
    std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.value > b.value; });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

Result<QVector<QueueEntry>> disagreementQueue(store::Project &project, Id runId, Id *usedRun, int limit)
{
    auto run = project.runs().get(runId);
    if (!run)
        return run.error();
    auto approved = project.approvals().currentApproved(run->task);
    if (!approved)
        return approved.error();
    const Id used = *approved ? (*approved)->runId : runId;
    if (usedRun)
        *usedRun = used;
    eval::EvalScope scope;
    scope.split.reset();
    auto set = eval::loadEvalSet(project, used, scope);
    if (!set)
        return set.error();
    QVector<QueueEntry> out;
    for (const auto &item : eval::worstFirst(eval::classifyErrors(*set))) {
        out.append({item.item, item.severity(), item.errorCount()});
        if (out.size() >= limit)
            break;
    }
    return out;
}

} // namespace annotune::ui
