// coco-eval: COCO detection metrics of a results file against ground truth; seq-eval:
// entity-level scores of a CoNLL column file; eval: a run's stored predictions against the
// project's ground truth, stored back as run metrics.

#include "commands.h"

#include "core/eval/cocojson.h"
#include "core/eval/cocosummary.h"
#include "core/eval/projecteval.h"
#include "core/eval/seqeval.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QJsonDocument>

#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;

namespace {

struct CocoArgs {
    std::string gt, dt, iouType = "bbox";
    bool json = false;
    int threads = 0;
};

struct SeqArgs {
    std::string file;
    int goldColumn = 3, predictedColumn = 4;
    bool strict = false, suffix = false;
};

int runCocoEval(const CocoArgs &a)
{
    eval::CocoParams params;
    const auto type = eval::iouTypeFromString(qstr(a.iouType));
    if (!type)
        return fail(QStringLiteral("--iou-type %1: expected bbox or segm").arg(qstr(a.iouType)));
    params.iouType = *type;
    params.threads = a.threads;
    auto gt = eval::readCocoGroundTruth(qstr(a.gt));
    if (!gt)
        return fail(gt.error().message);
    auto dt = eval::readCocoDetections(qstr(a.dt));
    if (!dt)
        return fail(dt.error().message);
    auto ev = eval::evaluateCoco(*gt, *dt, params);
    if (!ev)
        return fail(ev.error().message);
    const auto stats = eval::summarize(*ev);
    if (a.json) {
        std::printf("%s\n", QJsonDocument(eval::toJson(*ev, stats)).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    for (const eval::CocoStat &s : stats)
        std::printf("%s\n", eval::formatStat(s, params).toUtf8().constData());
    return 0;
}

void printScore(const eval::EntityScore &s, const QString &label)
{
    std::printf("%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d\n", label.toUtf8().constData(),
                100 * s.precision(), 100 * s.recall(), 100 * s.f1(), s.predicted);
}

int runSeqEval(const SeqArgs &a)
{
    auto columns = eval::readConll(qstr(a.file), a.goldColumn, a.predictedColumn);
    if (!columns)
        return fail(columns.error().message);
    eval::SeqEvalOptions options;
    options.mode = a.strict ? eval::ChunkMode::StrictIob2 : eval::ChunkMode::Conlleval;
    options.suffix = a.suffix;
    auto report = eval::evaluateSequences(columns->gold, columns->predicted, options);
    if (!report)
        return fail(QStringLiteral("%1: %2").arg(qstr(a.file), report.error().message));
    const eval::EntityScore &o = report->overall;
    std::printf("processed %d tokens with %d phrases; found: %d phrases; correct: %d.\n", report->tokens, o.gold, o.predicted, o.correct);
    std::printf("accuracy: %6.2f%%; precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f\n", 100 * report->accuracy(),
                100 * o.precision(), 100 * o.recall(), 100 * o.f1());
    for (const eval::EntityScore &s : report->perType)
        printScore(s, s.type);
    return 0;
}

struct ProjectEvalArgs {
    std::string project, split = "test";
    qint64 run = 0;
    bool json = false, noStore = false;
};

void printDetection(const eval::ProjectEvaluation &pe)
{
    const eval::DetectionReport &d = *pe.detection;
    for (const eval::CocoStat &s : d.bboxStats)
        std::printf("%s\n", eval::formatStat(s, d.bbox.params).toUtf8().constData());
    for (const eval::ClassScore &c : pe.classScores)
        std::printf("  class %s: AP %.3f AP50 %.3f\n", c.name.toUtf8().constData(), c.score, c.score50);
}

void printExtraction(const eval::ProjectEvaluation &pe)
{
    const eval::ExtractionReport &x = *pe.extraction;
    const eval::EntityScore &o = x.entities.overall;
    std::printf("%d pages in %d documents; gold %d fields, predicted %d, correct %d\n", x.pages, x.documents, o.gold, o.predicted, o.correct);
    std::printf("precision %.3f recall %.3f f1 %.3f exact_match %.3f\n", o.precision(), o.recall(), o.f1(), x.exactMatch);
    for (const eval::EntityScore &s : x.entities.perType)
        printScore(s, s.type);
}

// Stores the defined metrics as "eval/SPLIT/NAME" at the run's last training step, so curves
// show the evaluation where training ended.
Status storeMetrics(store::Project &project, const eval::ProjectEvaluation &pe, const QString &split)
{
    auto existing = project.runs().metrics(pe.runId);
    if (!existing)
        return existing.error();
    store::MetricPoint last;
    for (const store::MetricPoint &p : *existing)
        if (!p.name.startsWith(QLatin1String("eval/")) && p.step >= last.step)
            last = p;
    QVector<store::MetricPoint> points;
    for (auto it = pe.metrics.cbegin(); it != pe.metrics.cend(); ++it)
        if (it.value() >= 0)
            points.append(store::MetricPoint{last.step, last.epoch, QStringLiteral("eval/%1/%2").arg(split, it.key()), it.value()});
    return project.runs().addMetrics(pe.runId, points);
}

int runProjectEval(const ProjectEvalArgs &a)
{
    eval::ProjectEvalOptions options;
    if (auto split = splitOption(a.split); split)
        options.scope.split = *split;
    else
        return fail(split.error().message);
    auto project = store::Project::open(qstr(a.project), a.noStore ? store::Project::Access::ReadOnly : store::Project::Access::ReadWrite);
    if (!project)
        return fail(project.error().message);
    auto pe = eval::evaluateRun(**project, a.run, options);
    if (!pe)
        return fail(pe.error().message);
    const QString split = options.scope.split ? toText(*options.scope.split) : QStringLiteral("all");
    if (!a.noStore)
        if (Status st = storeMetrics(**project, *pe, split); !st)
            return fail(st.error().message);
    if (a.json) {
        std::printf("%s\n", QJsonDocument(eval::toJson(*pe)).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    std::printf("run %lld (%s) on %s: %d items\n", static_cast<long long>(a.run), pe->task.toUtf8().constData(),
                split.toUtf8().constData(), pe->items);
    pe->detection ? printDetection(*pe) : printExtraction(*pe);
    if (!a.noStore)
        std::printf("stored as run metrics eval/%s/*\n", split.toUtf8().constData());
    return 0;
}

} // namespace

Result<std::optional<Split>> splitOption(const std::string &text)
{
    if (text == "all")
        return std::optional<Split>();
    if (auto split = splitFromString(qstr(text)))
        return std::optional<Split>(*split);
    return makeError(ErrorCode::Usage, QStringLiteral("--split %1: expected train, val, test or all").arg(qstr(text)));
}

void registerEvalCommands(CLI::App &app, Context &ctx)
{
    static CocoArgs coco;
    auto *cocoCmd = app.add_subcommand("coco-eval", "COCO detection metrics (pycocotools' COCOeval) of results against ground truth");
    cocoCmd->add_option("GT", coco.gt, "Ground-truth COCO JSON (images, annotations, categories)")->required();
    cocoCmd->add_option("DT", coco.dt, "Results JSON: [{image_id, category_id, bbox|segmentation, score}]")->required();
    cocoCmd->add_option("--iou-type", coco.iouType, "bbox or segm")->capture_default_str();
    cocoCmd->add_flag("--json", coco.json, "Print stats, per-class AP and calibration as JSON with full precision");
    cocoCmd->add_option("--threads", coco.threads, "Worker threads (0: one per core)")->capture_default_str();
    cocoCmd->callback([&] { ctx.exitCode = runCocoEval(coco); });

    static SeqArgs seq;
    auto *seqCmd = app.add_subcommand("seq-eval", "Entity-level precision, recall and F1 of a CoNLL column file (seqeval / conlleval)");
    seqCmd->add_option("FILE", seq.file, "One token a line, columns separated by spaces, blank line between sentences")->required();
    seqCmd->add_option("--gold-column", seq.goldColumn, "Column of the gold tag (from 1)")->capture_default_str();
    seqCmd->add_option("--pred-column", seq.predictedColumn, "Column of the predicted tag (from 1)")->capture_default_str();
    seqCmd->add_flag("--strict", seq.strict, "Strict IOB2 chunks (seqeval mode='strict')");
    seqCmd->add_flag("--suffix", seq.suffix, "Tags are written TYPE-B rather than B-TYPE");
    seqCmd->callback([&] { ctx.exitCode = runSeqEval(seq); });

    static ProjectEvalArgs pe;
    auto *evalCmd = app.add_subcommand("eval", "Evaluate a run's predictions against the project's ground truth and store the metrics");
    evalCmd->add_option("PROJECT", pe.project, "Project file")->required();
    evalCmd->add_option("--run", pe.run, "Run id")->required();
    evalCmd->add_option("--split", pe.split, "train, val, test or all (labelled, in-review and approved items only)")->capture_default_str();
    evalCmd->add_flag("--json", pe.json, "Print metrics, per-class scores, confusion and calibration as JSON");
    evalCmd->add_flag("--no-store", pe.noStore, "Do not store the metrics (opens the project read-only)");
    evalCmd->callback([&] { ctx.exitCode = runProjectEval(pe); });
}

} // namespace annotune::app::cli
