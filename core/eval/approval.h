#pragma once
// Gate and approval against a project: reads the gate rules from the project's settings,
// evaluates the candidate run and the currently approved run of its task on the rules' split,
// counts the candidate's reviewed predictions, and records an approval only when every rule holds.

#include "core/eval/gate.h"
#include "core/eval/projecteval.h"

namespace annotune::core::eval {

// The stored rules, or default rules (no requirement) when none are set. Fails when the stored
// JSON is malformed, naming the setting.
Result<GateRules> loadGateRules(store::Project &project);
Status saveGateRules(store::Project &project, const GateRules &rules, const QString &author);

struct GateCheck {
    GateRules rules;
    ProjectEvaluation evaluation; // the candidate on rules.split
    GateInputs inputs;
    GateReport report;
};

// Evaluates the gate for runId. Fails (as an Error) only when figures cannot be gathered: an
// unknown run, an unreadable record; failing rules are in the report.
Result<GateCheck> checkGate(store::Project &project, Id runId);

struct ApprovalOutcome {
    GateCheck check;
    std::optional<Id> approvalId; // set when every rule held and the approval was recorded
};

// Checks the gate and, when it passes, records the approval by reviewer with the metrics, the gate
// results and the run's dataset hash.
Result<ApprovalOutcome> approveRun(store::Project &project, Id runId, const QString &reviewer);

} // namespace annotune::core::eval
