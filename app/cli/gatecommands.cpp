// gate: show or set the approval gate's rules; sample-predictions and review: a person's
// verdicts on a run's predictions; approve: record a run as approved when every gate rule holds.

#include "commands.h"

#include "core/eval/approval.h"
#include "core/store/approvalrepository.h"
#include "core/store/project.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;

namespace {

struct GateArgs {
    std::string project, setFile, reviewer, verdict, comment;
    bool show = false;
    qint64 run = 0, prediction = 0;
    int count = 20;
    quint64 seed = 1;
};

int cmdGate(const GateArgs &a)
{
    const bool set = !a.setFile.empty();
    auto project = store::Project::open(qstr(a.project), set ? store::Project::Access::ReadWrite : store::Project::Access::ReadOnly);
    if (!project)
        return fail(project.error().message);
    if (set) {
        QFile file(qstr(a.setFile));
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("%1: cannot read (%2)").arg(file.fileName(), file.errorString()));
        auto rules = eval::gateRulesFromJson(file.readAll(), file.fileName());
        if (!rules)
            return fail(rules.error().message);
        if (Status st = eval::saveGateRules(**project, *rules, (*project)->author()); !st)
            return fail(st.error().message);
    }
    auto rules = eval::loadGateRules(**project);
    if (!rules)
        return fail(rules.error().message);
    std::printf("%s\n", QJsonDocument(eval::toJson(*rules)).toJson(QJsonDocument::Indented).constData());
    return 0;
}

int cmdSample(const GateArgs &a)
{
    auto project = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!project)
        return fail(project.error().message);
    auto ids = (*project)->approvals().samplePredictions(a.run, a.count, a.seed);
    if (!ids)
        return fail(ids.error().message);
    for (Id id : *ids)
        std::printf("%lld\n", static_cast<long long>(id));
    return 0;
}

int cmdReview(const GateArgs &a)
{
    const auto verdict = reviewVerdictFromString(qstr(a.verdict));
    if (!verdict)
        return fail(QStringLiteral("--verdict %1: expected correct or wrong").arg(qstr(a.verdict)));
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    auto id = (*project)->approvals().addReview(a.prediction, qstr(a.reviewer), *verdict, qstr(a.comment));
    if (!id)
        return fail(id.error().message);
    std::printf("prediction %lld: %s (review %lld)\n", static_cast<long long>(a.prediction), a.verdict.c_str(),
                static_cast<long long>(*id));
    return 0;
}

int cmdApprove(const GateArgs &a)
{
    if (qstr(a.reviewer).trimmed().isEmpty())
        return fail(QStringLiteral("--reviewer: a person's name is needed to approve"));
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    auto outcome = eval::approveRun(**project, a.run, qstr(a.reviewer));
    if (!outcome)
        return fail(outcome.error().message);
    const eval::GateReport &report = outcome->check.report;
    if (!outcome->approvalId)
        return fail(QStringLiteral("run %1 not approved: %2").arg(a.run).arg(report.failureLine()));
    for (const eval::RuleResult &r : report.rules)
        std::printf("%s\n", r.message.toUtf8().constData());
    if (report.rules.isEmpty())
        std::printf("no gate rules are set (annotune-cli gate --set FILE.json)\n");
    std::printf("approved run %lld by %s (approval %lld)\n", static_cast<long long>(a.run), a.reviewer.c_str(),
                static_cast<long long>(*outcome->approvalId));
    return 0;
}

} // namespace

void registerGateCommands(CLI::App &app, Context &ctx)
{
    static GateArgs g;
    auto *gate = app.add_subcommand("gate", "Show or set the approval gate's rules (JSON)");
    gate->add_option("PROJECT", g.project, "Project file")->required();
    auto *show = gate->add_flag("--show", g.show, "Print the rules");
    auto *setOpt = gate->add_option("--set", g.setFile, "Rules JSON: {\"split\", \"min_metrics\", \"max_regression\", "
                                                          "\"regression_metrics\", \"min_reviewed\"}");
    show->excludes(setOpt);
    gate->callback([&] { ctx.exitCode = cmdGate(g); });

    auto *sample = app.add_subcommand("sample-predictions", "Print ids of a random sample of a run's predictions to review");
    sample->add_option("PROJECT", g.project, "Project file")->required();
    sample->add_option("--run", g.run, "Run id")->required();
    sample->add_option("--count", g.count, "How many")->capture_default_str()->check(CLI::Range(0, 1000000));
    sample->add_option("--seed", g.seed, "Random seed")->capture_default_str();
    sample->callback([&] { ctx.exitCode = cmdSample(g); });

    auto *review = app.add_subcommand("review", "Record a person's verdict on one prediction");
    review->add_option("PROJECT", g.project, "Project file")->required();
    review->add_option("--prediction", g.prediction, "Prediction id")->required();
    review->add_option("--verdict", g.verdict, "correct or wrong")->required();
    review->add_option("--reviewer", g.reviewer, "Who reviewed")->required();
    review->add_option("--comment", g.comment, "Free text");
    review->callback([&] { ctx.exitCode = cmdReview(g); });

    auto *approve = app.add_subcommand("approve", "Approve a run when every gate rule holds (exit 2 naming the failing rule)");
    approve->add_option("PROJECT", g.project, "Project file")->required();
    approve->add_option("--run", g.run, "Run id")->required();
    approve->add_option("--reviewer", g.reviewer, "Who approves")->required();
    approve->callback([&] { ctx.exitCode = cmdApprove(g); });
}

} // namespace annotune::app::cli
