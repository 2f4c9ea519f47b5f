#include "evaluationdata.h"

#include "core/predictionlabel.h"

#include "core/store/project.h"

namespace annotune::ui {

using namespace annotune::core;

Result<EvaluationData> computeEvaluation(store::Project &project, const EvaluationRequest &request)
{
    EvaluationData data;
    data.request = request;
    eval::ProjectEvalOptions options;
    options.scope.split = request.split;
    auto setA = eval::loadEvalSet(project, request.runA, options.scope);
    if (!setA)
        return setA.error();
    data.setA = std::move(*setA);
    auto a = eval::evaluateSet(data.setA, options);
    if (!a)
        return a.error();
    data.a = std::move(*a);
    data.errorsA = eval::classifyErrors(data.setA);
    if (request.runB == 0)
        return data;
    auto setB = eval::loadEvalSet(project, request.runB, options.scope);
    if (!setB)
        return setB.error();
    auto b = eval::evaluateSet(*setB, options);
    if (!b)
        return b.error();
    if (b->task != data.a.task)
        return Error{ErrorCode::BadInput,
                     QStringLiteral("Run %1 is a %2 run and run %3 a %4 run; only runs of one task compare.")
                         .arg(request.runA).arg(data.a.task).arg(request.runB).arg(b->task)};
    for (const auto &item : setB->items)
        data.predictionsB.insert(item.item.id, item.predictions);
    const auto errorsB = eval::classifyErrors(*setB);
    data.comparison = eval::compareRuns(data.a, *b, data.errorsA, errorsB);
    data.b = std::move(*b);
    return data;
}

Annotation predictionAsAnnotation(const Prediction &prediction)
{
    Annotation a = core::annotationFromPrediction(prediction);
    a.id = prediction.id; // the review panes tell predictions apart by their own ids
    return a;
}

} // namespace annotune::ui
