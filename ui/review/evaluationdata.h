#pragma once
// What the Evaluate workspace shows about one or two runs on one split, computed in one go on a
// worker thread (see computeEvaluation) and then handed to the widgets as plain values.

#include "core/eval/itemerrors.h"
#include "core/eval/projecteval.h"
#include "core/eval/runcompare.h"

#include <optional>

namespace annotune::ui {

struct EvaluationRequest {
    core::Id runA = 0;
    core::Id runB = 0; // 0: no comparison
    std::optional<core::Split> split = core::Split::Test; // nullopt: every split
};

struct EvaluationData {
    EvaluationRequest request;
    core::eval::ProjectEvaluation a;
    std::optional<core::eval::ProjectEvaluation> b;
    std::optional<core::eval::RunComparison> comparison;
    core::eval::EvalSet setA;                 // ground truth and A's predictions per item
    QHash<core::Id, QVector<core::Prediction>> predictionsB; // B's predictions per item
    QVector<core::eval::ItemErrors> errorsA;  // every item in scope, verdicts of run A
};

// Evaluates run A (and B), classifies A's errors and compares. Fails when a run is missing or
// the two runs' tasks differ. Runs on whichever thread owns project.
core::Result<EvaluationData> computeEvaluation(core::store::Project &project, const EvaluationRequest &request);

// A prediction drawn as an annotation (for the overlay painter); its id is the prediction's.
core::Annotation predictionAsAnnotation(const core::Prediction &prediction);

} // namespace annotune::ui
