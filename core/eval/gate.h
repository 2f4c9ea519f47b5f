#pragma once
// The approval gate: rules a run must meet before a person may approve it as the model in use.
// Minimum metrics on a split, no regression beyond a tolerance against the currently approved run
// of the same task, and a minimum number of its predictions reviewed by a person. Pure logic here;
// approval.h gathers the figures from a project.

#include "core/result.h"
#include "core/types.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

namespace annotune::core::eval {

// Project setting under which the rules are stored as JSON.
inline constexpr const char *kGateRulesKey = "gate.rules";

// As JSON: {"split": "test", "min_metrics": {"AP50": 0.9}, "max_regression": 0.01,
// "regression_metrics": ["AP50"], "min_reviewed": 20}; every key is optional.
struct GateRules {
    Split split = Split::Test;
    QMap<QString, double> minMetrics;
    std::optional<double> maxRegression; // unset: no regression rule
    QStringList regressionMetrics;       // empty: the min_metrics names, else the task's headline
    int minReviewed = 0;

    bool operator==(const GateRules &) const = default;
};

// Reads rules; fails with BadInput naming `source` and the offending key on malformed JSON, an
// unknown key or a value of the wrong type or range.
Result<GateRules> gateRulesFromJson(const QByteArray &json, const QString &source);
QJsonObject toJson(const GateRules &rules);

// The figures for one candidate run.
struct GateInputs {
    Id runId = 0;
    QString task;
    QMap<QString, double> metrics;        // the candidate on rules.split; -1 or absent: not measured
    std::optional<Id> approvedRunId;      // the approved run of the same task, if any (not the candidate)
    QMap<QString, double> approvedMetrics; // that run evaluated the same way
    qint64 reviewed = 0;                   // distinct predictions of the candidate a person reviewed
};

struct RuleResult {
    QString rule;        // "min AP50", "regression AP50", "min reviewed"
    bool passed = false;
    QJsonObject figures; // the numbers the verdict rests on
    QString message;     // one line, naming the rule and the figures
};

struct GateReport {
    QVector<RuleResult> rules;
    bool passed() const;
    // The failing rules' messages joined by "; " (empty when all hold).
    QString failureLine() const;
    QJsonArray toJson() const;
};

GateReport evaluateGate(const GateRules &rules, const GateInputs &inputs);

} // namespace annotune::core::eval
