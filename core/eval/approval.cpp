#include "core/eval/approval.h"

#include "core/store/approvalrepository.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"

#include <QJsonDocument>

namespace annotune::core::eval {

Result<GateRules> loadGateRules(store::Project &project)
{
    const QString key = QString::fromLatin1(kGateRulesKey);
    auto stored = project.settings().value(key);
    if (!stored)
        return stored.error();
    if (stored->trimmed().isEmpty())
        return GateRules{};
    return gateRulesFromJson(stored->toUtf8(), QStringLiteral("%1: setting '%2'").arg(project.path(), key));
}

Status saveGateRules(store::Project &project, const GateRules &rules, const QString &author)
{
    const QByteArray json = QJsonDocument(toJson(rules)).toJson(QJsonDocument::Compact);
    return project.settings().setValue(QString::fromLatin1(kGateRulesKey), QString::fromUtf8(json), author);
}

namespace {

// Fills the approved run's figures, evaluated the same way as the candidate's.
Status addApproved(store::Project &project, const ProjectEvalOptions &options, GateInputs &in)
{
    auto approved = project.approvals().currentApproved(in.task);
    if (!approved)
        return approved.error();
    if (!*approved || (*approved)->runId == in.runId)
        return {};
    auto evaluation = evaluateRun(project, (*approved)->runId, options);
    if (!evaluation)
        return evaluation.error();
    in.approvedRunId = (*approved)->runId;
    in.approvedMetrics = evaluation->metrics;
    return {};
}

} // namespace

Result<GateCheck> checkGate(store::Project &project, Id runId)
{
    GateCheck check;
    auto rules = loadGateRules(project);
    if (!rules)
        return rules.error();
    check.rules = *rules;
    ProjectEvalOptions options;
    options.scope.split = check.rules.split;
    auto evaluation = evaluateRun(project, runId, options);
    if (!evaluation)
        return evaluation.error();
    check.evaluation = std::move(*evaluation);
    GateInputs &in = check.inputs;
    in.runId = runId;
    in.task = check.evaluation.task;
    in.metrics = check.evaluation.metrics;
    if (Status st = addApproved(project, options, in); !st)
        return st.error();
    auto reviews = project.approvals().reviewsForRun(runId);
    if (!reviews)
        return reviews.error();
    in.reviewed = reviews->reviewed;
    check.report = evaluateGate(check.rules, in);
    return check;
}

Result<ApprovalOutcome> approveRun(store::Project &project, Id runId, const QString &reviewer)
{
    auto check = checkGate(project, runId);
    if (!check)
        return check.error();
    ApprovalOutcome outcome{std::move(*check), std::nullopt};
    if (!outcome.check.report.passed())
        return outcome;
    Approval approval;
    approval.runId = runId;
    approval.reviewer = reviewer;
    for (auto it = outcome.check.evaluation.metrics.cbegin(); it != outcome.check.evaluation.metrics.cend(); ++it)
        approval.metrics.insert(it.key(), it.value());
    approval.metrics.insert(QStringLiteral("split"), toText(outcome.check.rules.split));
    approval.gate = outcome.check.report.toJson();
    auto id = project.approvals().approve(approval);
    if (!id)
        return id.error();
    outcome.approvalId = *id;
    return outcome;
}

} // namespace annotune::core::eval
