// train and predict: the training worker (JSON-lines events on stdout with --events jsonl, logs on
// stderr; SIGTERM or a "cancel" line on stdin checkpoints and stops) and batch prediction.

#include "commands.h"

#include "core/store/project.h"
#include "core/training/events.h"
#include "core/training/jobspec.h"
#include "core/training/workerlock.h"
#include "training/engine/engine.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace annotune::app::cli {

using namespace annotune::core;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

ct::CancelToken *g_cancel = nullptr;

extern "C" void onTerminate(int)
{
    if (g_cancel)
        g_cancel->cancel();
}

struct TrainArgs {
    std::string project, task = "detection", preset = "balanced", config, base, backbone, labels, device, events, classes;
    int epochs = -1, loraRank = -1, threads = 0, cvFolds = -1, cvFold = -1;
    qint64 resume = 0, seed = -1, maxSteps = -1;
};

// JSON lines on stdout, flushed per event.
class JsonLinesSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        const QByteArray line = e.toLine() + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
    }
};

// A line per epoch-ish on stderr for people.
class HumanSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        if (e.kind == ct::EventKind::Progress && e.step % 20 != 0 && e.step != e.totalSteps)
            return;
        std::fprintf(stderr, "%s\n", e.toLine().constData());
    }
};

Result<ct::JobSpec> specFrom(const TrainArgs &a)
{
    const auto task = ct::trainTaskFromString(qstr(a.task));
    if (!task)
        return makeError(ErrorCode::Usage, QStringLiteral("--task %1: expected detection or extraction").arg(qstr(a.task)));
    auto spec = ct::presetSpec(*task, qstr(a.preset));
    if (!spec)
        return spec.error();
    if (!a.config.empty()) {
        if (Status st = ct::mergeConfigFile(*spec, qstr(a.config)); !st)
            return st.error();
        // A backbone named in a config file is relative to that file.
        if (!spec->backbonePath.isEmpty())
            spec->backbonePath = QFileInfo(qstr(a.config)).absoluteDir().absoluteFilePath(spec->backbonePath);
    }
    spec->task = *task;
    QJsonObject flags;
    if (a.epochs >= 0)
        flags.insert(QStringLiteral("epochs"), a.epochs);
    if (a.loraRank >= 0)
        flags.insert(QStringLiteral("lora_rank"), a.loraRank);
    if (a.seed >= 0)
        flags.insert(QStringLiteral("seed"), double(a.seed));
    if (a.maxSteps >= 0)
        flags.insert(QStringLiteral("max_steps"), double(a.maxSteps));
    if (!a.labels.empty())
        flags.insert(QStringLiteral("labels"), qstr(a.labels));
    if (!a.device.empty())
        flags.insert(QStringLiteral("device"), qstr(a.device));
    if (!a.base.empty())
        flags.insert(QStringLiteral("base"), qstr(a.base));
    if (!a.backbone.empty())
        flags.insert(QStringLiteral("backbone"), QFileInfo(qstr(a.backbone)).absoluteFilePath());
    if (!a.classes.empty()) {
        QJsonArray names;
        for (const QString &name : qstr(a.classes).split(QLatin1Char(','), Qt::SkipEmptyParts))
            names.append(name.trimmed());
        flags.insert(QStringLiteral("classes"), names);
    }
    if (a.cvFolds >= 0)
        flags.insert(QStringLiteral("cv_folds"), a.cvFolds);
    if (a.cvFold >= 0)
        flags.insert(QStringLiteral("cv_fold"), a.cvFold);
    flags.insert(QStringLiteral("resume_run"), double(a.resume));
    if (Status st = spec->merge(flags); !st)
        return st.error();
    return spec;
}

void watchStdin(ct::CancelToken *cancel)
{
    std::thread([cancel] {
        std::string line;
        while (std::getline(std::cin, line))
            if (line.rfind("cancel", 0) == 0) {
                cancel->cancel();
                return;
            }
    }).detach();
}

int cmdTrain(const TrainArgs &a)
{
    if (!a.events.empty() && a.events != "jsonl")
        return fail(QStringLiteral("--events %1: only jsonl is supported").arg(qstr(a.events)));
    auto spec = specFrom(a);
    if (!spec)
        return fail(spec.error().message);
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    if (auto orphaned = ct::failOrphanedRuns(**project); !orphaned)
        return fail(orphaned.error().message);
    else if (!orphaned->isEmpty())
        std::fprintf(stderr, "marked %lld run(s) failed: their worker is gone\n", qint64(orphaned->size()));
    engine::setupRuntime(a.threads);
    static ct::CancelToken cancel;
    g_cancel = &cancel;
    std::signal(SIGTERM, onTerminate);
    std::signal(SIGINT, onTerminate);
    JsonLinesSink jsonl;
    HumanSink human;
    ct::ProgressSink &sink = a.events.empty() ? static_cast<ct::ProgressSink &>(human) : jsonl;
    if (!a.events.empty())
        watchStdin(&cancel);
    auto outcome = engine::train(**project, *spec, sink, cancel);
    if (!outcome)
        return fail(outcome.error().message);
    if (a.events.empty())
        std::printf("run %lld %s after %lld steps: %s\n", outcome->runId, qPrintable(toText(outcome->status)),
                    outcome->steps, qPrintable(outcome->runFolder));
    return 0;
}

int cmdPredict(const std::string &path, qint64 runId, const std::string &items, double minScore, int batch, const std::string &precision)
{
    engine::PredictOptions options;
    options.float32 = precision == "float32";
    options.runId = runId;
    options.minScore = minScore;
    options.batchSize = batch;
    if (items == "unlabeled")
        options.items = engine::PredictItems::Unlabeled;
    else if (items == "split:test")
        options.items = engine::PredictItems::TestSplit;
    else if (items == "all")
        options.items = engine::PredictItems::All;
    else
        return fail(QStringLiteral("--items %1: expected unlabeled, split:test or all").arg(qstr(items)));
    auto project = store::Project::open(qstr(path));
    if (!project)
        return fail(project.error().message);
    engine::setupRuntime(0);
    options.progress = [](qint64 done, qint64 total) { std::fprintf(stderr, "predict: %lld/%lld\n", done, total); };
    auto report = engine::predict(**project, options);
    if (!report)
        return fail(report.error().message);
    std::printf("run %lld: %lld predictions on %lld items\n", runId, report->predictions, report->items);
    return 0;
}

} // namespace

void registerTrainCommands(CLI::App &app, Context &ctx)
{
    static TrainArgs a;
    auto *train = app.add_subcommand("train", "Train a detection or extraction model on the project's labels");
    train->add_option("PROJECT", a.project, "Project file")->required();
    train->add_option("--task", a.task, "detection or extraction")->check(CLI::IsMember({"detection", "extraction"}));
    train->add_option("--preset", a.preset, "fast, balanced or accurate")->capture_default_str();
    train->add_option("--config", a.config, "JSON file with spec keys over the preset");
    train->add_option("--base", a.base, "Start from a run id or a model file");
    train->add_option("--backbone", a.backbone, "Detection: a TorchScript backbone file to import (see README)");
    train->add_option("--epochs", a.epochs, "Epochs (fine-tuning)")->check(CLI::Range(0, 100000));
    train->add_option("--lora-rank", a.loraRank, "Fine-tune LoRA adapters of this rank (extraction)")->check(CLI::Range(0, 1024));
    train->add_option("--labels", a.labels, "approved or labeled")->check(CLI::IsMember({"approved", "labeled"}));
    train->add_option("--classes", a.classes, "Train only these classes (comma-separated names)");
    train->add_option("--cv-folds", a.cvFolds, "k-fold cross-validation over every labelled item (splits ignored)")->check(CLI::Range(0, 100));
    train->add_option("--cv-fold", a.cvFold, "The fold to validate on (the others train)")->check(CLI::Range(0, 99));
    train->add_option("--device", a.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    train->add_option("--events", a.events, "jsonl: one JSON event per line on stdout");
    train->add_option("--resume", a.resume, "Resume a cancelled or failed run from its last checkpoint");
    train->add_option("--seed", a.seed, "Random seed");
    train->add_option("--max-steps", a.maxSteps, "Stop after this many steps");
    train->add_option("--threads", a.threads, "CPU threads (0 = all cores)");
    train->callback([&] { ctx.exitCode = cmdTrain(a); });

    static std::string project, items = "unlabeled";
    static qint64 runId = 0;
    static double minScore = -1;
    static int batch = 8;
    static std::string precision = "auto";
    auto *predict = app.add_subcommand("predict", "Store a finished run's predictions for review");
    predict->add_option("PROJECT", project, "Project file")->required();
    predict->add_option("--run", runId, "Run id")->required();
    predict->add_option("--items", items, "unlabeled, split:test or all")->capture_default_str();
    predict->add_option("--min-score", minScore, "Keep predictions scoring at least this (default: the run's)");
    predict->add_option("--batch", batch, "Items per batch")->check(CLI::Range(1, 1024))->capture_default_str();
    predict->add_option("--precision", precision,
                        "auto (detection computes in bfloat16 on CPUs with bfloat16 arithmetic) or float32")
        ->check(CLI::IsMember({"auto", "float32"}))
        ->capture_default_str();
    predict->callback([&] { ctx.exitCode = cmdPredict(project, runId, items, minScore, batch, precision); });
}

} // namespace annotune::app::cli
