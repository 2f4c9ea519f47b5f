// errors: a run's items with their error verdicts, worst first; compare: two runs' metrics,
// per-class gains and losses and the items that got better or worse.

#include "commands.h"

#include "core/eval/runcompare.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;

namespace {

struct AnalysisArgs {
    std::string project, split = "test", type, className, sort = "severity";
    qint64 run = 0, other = 0;
    double minScore = -1, maxScore = -1, detectionScore = 0.5;
    int limit = 20;
    bool json = false;
};

Result<eval::ErrorFilter> errorFilter(store::Project &project, const AnalysisArgs &a)
{
    eval::ErrorFilter f;
    if (!a.type.empty()) {
        f.type = eval::errorTypeFromString(qstr(a.type));
        if (!f.type)
            return makeError(ErrorCode::Usage, QStringLiteral("--type %1: expected true_positive, false_positive, missed, wrong_class, "
                                                              "poor_localisation, wrong_value, missing_field or spurious_field").arg(qstr(a.type)));
    }
    if (!a.className.empty()) {
        auto classes = project.classes().list();
        if (!classes)
            return classes.error();
        for (const LabelClass &c : *classes)
            if (c.name == qstr(a.className))
                f.classId = c.id;
        if (!f.classId)
            return makeError(ErrorCode::NotFound, QStringLiteral("--class %1: no such class in %2").arg(qstr(a.className), project.path()));
    }
    if (a.minScore >= 0)
        f.minScore = a.minScore;
    if (a.maxScore >= 0)
        f.maxScore = a.maxScore;
    return f;
}

int cmdErrors(const AnalysisArgs &a)
{
    auto split = splitOption(a.split);
    if (!split)
        return fail(split.error().message);
    auto project = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!project)
        return fail(project.error().message);
    auto filter = errorFilter(**project, a);
    if (!filter)
        return fail(filter.error().message);
    eval::EvalScope scope;
    scope.split = *split;
    auto set = eval::loadEvalSet(**project, a.run, scope);
    if (!set)
        return fail(set.error().message);
    eval::ErrorOptions options;
    options.minScore = a.detectionScore;
    const auto sort = a.sort == "count" ? eval::ErrorSort::Count : eval::ErrorSort::Severity;
    QVector<eval::ItemErrors> items = eval::worstFirst(eval::classifyErrors(*set, options), *filter, sort);
    if (a.limit >= 0 && items.size() > a.limit)
        items.resize(a.limit);
    if (a.json) {
        QJsonArray out;
        for (const eval::ItemErrors &e : items)
            out.append(eval::toJson(e));
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    for (const eval::ItemErrors &e : items) {
        QStringList kinds;
        for (const eval::ErrorEntry &entry : e.entries)
            if (entry.isError())
                kinds.append(toText(entry.type));
        std::printf("item %lld %s: %d errors, severity %.2f: %s\n", static_cast<long long>(e.item.id), e.item.path.toUtf8().constData(),
                    e.errorCount(), e.severity(), kinds.join(QStringLiteral(", ")).toUtf8().constData());
    }
    return 0;
}

void printComparison(const eval::RunComparison &c)
{
    std::printf("run %lld -> run %lld (%s)\n", static_cast<long long>(c.runA), static_cast<long long>(c.runB), c.task.toUtf8().constData());
    for (const eval::MetricDelta &m : c.metrics)
        m.defined() ? std::printf("  %-10s %.3f -> %.3f (%+.3f)\n", m.name.toUtf8().constData(), m.a, m.b, m.delta())
                    : std::printf("  %-10s undefined\n", m.name.toUtf8().constData());
    for (const auto &[label, list] : {std::pair{"gains", &c.gains}, std::pair{"losses", &c.losses}})
        for (const eval::ClassDelta &d : *list)
            std::printf("  class %s %s: %.3f -> %.3f (%+.3f)\n", label, d.name.toUtf8().constData(), d.a, d.b, d.delta());
    for (const auto &[label, list] : {std::pair{"better", &c.better}, std::pair{"worse", &c.worse}})
        for (const eval::ItemChange &i : *list)
            std::printf("  item %s %lld %s: %d -> %d errors\n", label, static_cast<long long>(i.itemId), i.path.toUtf8().constData(),
                        i.errorsA, i.errorsB);
}

int cmdCompare(const AnalysisArgs &a)
{
    auto split = splitOption(a.split);
    if (!split)
        return fail(split.error().message);
    auto project = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!project)
        return fail(project.error().message);
    eval::ProjectEvalOptions options;
    options.scope.split = *split;
    eval::ErrorOptions errorOptions;
    errorOptions.minScore = a.detectionScore;
    auto comparison = eval::compareRuns(**project, a.run, a.other, options, errorOptions);
    if (!comparison)
        return fail(comparison.error().message);
    if (a.json)
        std::printf("%s\n", QJsonDocument(eval::toJson(*comparison)).toJson(QJsonDocument::Indented).constData());
    else
        printComparison(*comparison);
    return 0;
}

} // namespace

void registerAnalysisCommands(CLI::App &app, Context &ctx)
{
    static AnalysisArgs a;
    auto *errors = app.add_subcommand("errors", "List a run's items with their errors, worst first");
    errors->add_option("PROJECT", a.project, "Project file")->required();
    errors->add_option("--run", a.run, "Run id")->required();
    errors->add_option("--split", a.split, "train, val, test or all")->capture_default_str();
    errors->add_option("--type", a.type, "Only items with this error type");
    errors->add_option("--class", a.className, "Only items with errors of this class");
    errors->add_option("--min-score", a.minScore, "Only errors of predictions scoring at least this");
    errors->add_option("--max-score", a.maxScore, "Only errors of predictions scoring at most this");
    errors->add_option("--detection-score", a.detectionScore, "Detections below this score are left out")->capture_default_str();
    errors->add_option("--sort", a.sort, "severity or count")->capture_default_str()->check(CLI::IsMember({"severity", "count"}));
    errors->add_option("--limit", a.limit, "At most this many items (-1: all)")->capture_default_str();
    errors->add_flag("--json", a.json, "Print every verdict as JSON");
    errors->callback([&] { ctx.exitCode = cmdErrors(a); });

    auto *compare = app.add_subcommand("compare", "Compare two runs: metric deltas, class gains and losses, items better and worse");
    compare->add_option("PROJECT", a.project, "Project file")->required();
    compare->add_option("--run", a.run, "Run A (the baseline)")->required();
    compare->add_option("--against", a.other, "Run B")->required();
    compare->add_option("--split", a.split, "train, val, test or all")->capture_default_str();
    compare->add_option("--detection-score", a.detectionScore, "Detections below this score are left out of error counts")
        ->capture_default_str();
    compare->add_flag("--json", a.json, "Print as JSON");
    compare->callback([&] { ctx.exitCode = cmdCompare(a); });
}

} // namespace annotune::app::cli
