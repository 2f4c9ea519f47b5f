#pragma once
// Two runs side by side on the same split: each metric with its change, the classes that gained
// or lost, and the items whose error count went down or up from run A to run B.

#include "core/eval/itemerrors.h"
#include "core/eval/projecteval.h"

namespace annotune::core::eval {

struct MetricDelta {
    QString name;
    double a = -1;
    double b = -1;
    bool defined() const { return a >= 0 && b >= 0; } // -1 marks an undefined metric
    double delta() const { return defined() ? b - a : 0; }
};

struct ClassDelta {
    Id classId = 0;
    QString name;
    double a = -1; // headline score per class (AP or F1), -1 when undefined
    double b = -1;
    double delta() const { return b - a; }
};

struct ItemChange {
    Id itemId = 0;
    QString path;
    int errorsA = 0;
    int errorsB = 0;
};

struct RunComparison {
    Id runA = 0;
    Id runB = 0;
    QString task;
    QVector<MetricDelta> metrics;            // COCO order, then entity scores, then the rest by name
    QVector<ClassDelta> gains;               // delta > 0, largest first
    QVector<ClassDelta> losses;              // delta < 0, largest drop first
    QVector<ItemChange> better;              // fewer errors in B, largest drop first
    QVector<ItemChange> worse;               // more errors in B, largest rise first
};

// Compares two evaluations of the same split and their per-item errors (items matched by id).
RunComparison compareRuns(const ProjectEvaluation &a, const ProjectEvaluation &b, const QVector<ItemErrors> &errorsA,
                          const QVector<ItemErrors> &errorsB);
// Loads, evaluates and classifies both runs on options.scope, then compares them. Fails when a run
// is missing or when the runs' tasks differ (naming both).
Result<RunComparison> compareRuns(store::Project &project, Id runA, Id runB, const ProjectEvalOptions &options = {},
                                  const ErrorOptions &errorOptions = {});

QJsonObject toJson(const RunComparison &comparison);

} // namespace annotune::core::eval
