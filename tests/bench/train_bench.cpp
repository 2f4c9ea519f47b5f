// Training benchmark on the demo project: detection mAP50 on the shapes' val split (the engine's
// own VOC-style AP, all-point interpolation) and field F1 on the invoices' val split, with images/s,
// pages/s and the share of step time spent waiting for data; then both models against the same
// models in PyTorch (tests/bench/train_reference.py run with Debian's python3-torch): same weights,
// batches, batch size, optimiser and threads, images or pages per second for training and
// inference (targets: Annotune >= 1.2x PyTorch training, >= 1.5x inference), and a check that both
// sides have the same parameter count and the same first-step loss.
// Default (CTest): --quick, a small demo, a few steps, the fast presets: checks the pipeline, not
// the targets. --full: the whole demo with the balanced presets (targets: mAP50 >= 0.90 within 10
// minutes on 2 CPU cores; field F1 >= 0.95) and enough steps for stable throughput figures.
// --compare-only skips the real training runs; --keep DIR writes the demo and the prepared batches,
// weights and manifests into DIR (kept: run train_reference.py on DIR/detector or DIR/extractor).
// ANNOTUNE_PYTHON names the interpreter (default /usr/bin/python3); without it or without torch the
// benchmark fails and says so.

#include "core/eval/projecteval.h"
#include "core/store/project.h"
#include "labeling/demoproject.h"
#include "training/engine/engine.h"
#include "training/engine/modelbench.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <cmath>
#include <cstdio>

using namespace annotune;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

class ThroughputSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        if (e.kind == ct::EventKind::Started)
            clock.start();
        if (e.kind == ct::EventKind::Progress) {
            itemsPerSecond += e.itemsPerSecond;
            dataWait += e.dataWait;
            ++steps;
        } else if (e.kind == ct::EventKind::Metric && e.name != QLatin1String("train_loss")) {
            if (!clock.isValid())
                clock.start();
            std::printf("  epoch %d %s %.4f  (%.0f s)\n", e.epoch, qPrintable(e.name), e.value, clock.elapsed() / 1000.0);
            if (target > 0 && e.value >= target && reachedAt < 0)
                reachedAt = clock.elapsed() / 1000.0;
            std::fflush(stdout);
        }
    }
    double itemsPerSecond = 0, dataWait = 0;
    int steps = 0;
    double target = 0, reachedAt = -1; // seconds from the run's start to the first epoch at the target
    QElapsedTimer clock;
};

// Runs a real training job; returns its mean share of step time spent waiting for data (< 0: failed).
double runTask(core::store::Project &project, ct::TrainTask task, bool full, const char *unit, const char *metric, double target,
               core::Id *runId = nullptr)
{
    auto spec = ct::presetSpec(task, full ? QStringLiteral("balanced") : QStringLiteral("fast"));
    if (!spec)
        return std::fprintf(stderr, "%s\n", qPrintable(spec.error().message)), -1;
    spec->device = ct::DevicePreference::Cpu;
    if (!full) {
        spec->epochs = 2;
        spec->pretrainEpochs = std::min(spec->pretrainEpochs, 1);
    }
    ThroughputSink sink;
    sink.target = target;
    ct::CancelToken cancel;
    QElapsedTimer clock;
    clock.start();
    auto outcome = engine::train(project, *spec, sink, cancel);
    if (!outcome)
        return std::fprintf(stderr, "%s\n", qPrintable(outcome.error().message)), -1;
    if (runId)
        *runId = outcome->runId;
    const double seconds = clock.elapsed() / 1000.0;
    const double value = outcome->metrics.value(QLatin1String(metric)).toDouble();
    std::printf("%s (%s preset, %lld steps, %.1f s): %s %.4f (target >= %.2f%s), %.1f %s/s, data wait %.1f%% of step time\n",
                qPrintable(ct::toText(task)), qPrintable(spec->preset), outcome->steps, seconds, metric, value, target,
                full ? "" : ", not comparable in --quick mode", sink.itemsPerSecond / std::max(1, sink.steps), unit,
                100.0 * sink.dataWait / std::max(1, sink.steps));
    if (sink.reachedAt >= 0)
        std::printf("  %s first reached %.2f after %.0f s of training\n", metric, target, sink.reachedAt);
    std::fflush(stdout);
    return sink.dataWait / std::max(1, sink.steps);
}

// The trained detector's test-split COCO AP when predict computes in float and in its default
// precision (bfloat16 on a CPU with bfloat16 arithmetic, else float again). False on failure.
bool comparePrecisions(core::store::Project &project, core::Id runId)
{
    std::printf("detection predictions on the test split by precision (predict --precision):\n");
    for (const bool float32 : {true, false}) {
        engine::PredictOptions options;
        options.runId = runId;
        options.items = engine::PredictItems::TestSplit;
        options.float32 = float32;
        QElapsedTimer clock;
        clock.start();
        auto report = engine::predict(project, options);
        if (!report)
            return std::fprintf(stderr, "train_bench: %s\n", qPrintable(report.error().message)), false;
        const double seconds = clock.elapsed() / 1000.0;
        auto evaluation = core::eval::evaluateRun(project, runId);
        if (!evaluation)
            return std::fprintf(stderr, "train_bench: %s\n", qPrintable(evaluation.error().message)), false;
        std::printf("  %-8s AP %.4f  AP50 %.4f  (%lld predictions on %lld items, %.1f s with loading)\n",
                    float32 ? "float32" : "auto", evaluation->metrics.value(QStringLiteral("AP")),
                    evaluation->metrics.value(QStringLiteral("AP50")), report->predictions, report->items, seconds);
    }
    std::fflush(stdout);
    return true;
}

// The PyTorch side's figures for one prepared folder, or why there are none.
struct Reference {
    QJsonObject figures;
    QString error;
};

Reference runReference(const QString &folder)
{
    const QString python = qEnvironmentVariableIsSet("ANNOTUNE_PYTHON") ? qEnvironmentVariable("ANNOTUNE_PYTHON") : QStringLiteral("/usr/bin/python3");
    QProcess process;
    process.start(python, {QStringLiteral(ANNOTUNE_TRAIN_REFERENCE), folder});
    if (!process.waitForStarted(20000))
        return {{}, QStringLiteral("cannot start %1 (%2): install python3 and python3-torch, or set ANNOTUNE_PYTHON").arg(python, process.errorString())};
    if (!process.waitForFinished(480000)) {
        process.kill();
        process.waitForFinished();
        return {{}, QStringLiteral("%1 %2 did not finish within 8 minutes").arg(python, QStringLiteral(ANNOTUNE_TRAIN_REFERENCE))};
    }
    const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString why = err.contains(QLatin1String("No module named 'torch'"))
                                ? QStringLiteral("%1 cannot import torch: install Debian's python3-torch (./test.sh does)").arg(python)
                                : QStringLiteral("%1 failed: %2").arg(python, err.right(1500));
        return {{}, why};
    }
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QJsonDocument doc = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last());
    if (!doc.isObject())
        return {{}, QStringLiteral("%1 printed no figures: %2").arg(python, err.right(500))};
    return {doc.object(), {}};
}

// One model on both sides.
struct Comparison {
    engine::ModelBenchResult annotune;
    QJsonObject pytorch;
};

bool compareModel(core::store::Project &project, ct::TrainTask task, bool full, const QString &folder, Comparison &out)
{
    auto spec = ct::presetSpec(task, full ? QStringLiteral("balanced") : QStringLiteral("fast"));
    if (!spec)
        return std::fprintf(stderr, "%s\n", qPrintable(spec.error().message)), false;
    engine::ModelBenchOptions options;
    options.spec = *spec;
    options.folder = folder;
    options.batches = full ? 4 : 2;
    options.warmup = full ? 3 : 2;
    options.steps = full ? 12 : 6;
    // The machine may be shared: both sides are timed in turn, and each keeps its fastest round.
    options.rounds = full ? 3 : 1;
    QJsonObject best;
    options.afterRound = [&]() -> core::Status {
        Reference reference = runReference(folder);
        if (!reference.error.isEmpty())
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("PyTorch reference NOT RUN: %1").arg(reference.error));
        for (const char *key : {"train_items_per_second", "infer_items_per_second"})
            reference.figures[QLatin1String(key)] = std::max(reference.figures[QLatin1String(key)].toDouble(), best[QLatin1String(key)].toDouble());
        best = reference.figures;
        return {};
    };
    auto annotune = engine::benchModel(project, options);
    if (!annotune)
        return std::fprintf(stderr, "train_bench: %s\n", qPrintable(annotune.error().message)), false;
    out = {*annotune, best};
    return true;
}

void printRow(const char *what, double ours, double theirs, const QString &unit, double target)
{
    const double ratio = ours / std::max(1e-9, theirs);
    std::printf("  %-20s %9.1f %-7s %9.1f %-7s %6.2fx   >= %.1fx  %s\n", what, ours, qPrintable(unit + QStringLiteral("/s")), theirs,
                qPrintable(unit + QStringLiteral("/s")), ratio, target, ratio >= target ? "met" : "NOT met");
}

// Prints the table; false when the two sides are not the same model (parameters or first loss differ).
bool printComparison(const Comparison &det, const Comparison &ext, double detWait, double extWait, bool full)
{
    std::printf("\nAnnotune (libtorch %s) vs PyTorch %s (python), same architecture, weights, batches, batch size, "
                "optimiser; %d threads; fastest timed step on each side over %d alternating round(s)%s:\n",
                TORCH_VERSION_TEXT, qPrintable(det.pytorch.value(QLatin1String("torch")).toString()), det.annotune.threads,
                full ? 3 : 1, full ? "" : " (--quick: few steps, figures are rough)");
    std::printf("  %-20s %17s %17s %7s   %s\n", "", "Annotune", "PyTorch", "ratio", "target");
    const auto py = [](const Comparison &c, const char *key) { return c.pytorch.value(QLatin1String(key)).toDouble(); };
    printRow("detector train", det.annotune.trainItemsPerSecond, py(det, "train_items_per_second"), det.annotune.itemName, 1.2);
    printRow("detector inference", det.annotune.inferItemsPerSecond, py(det, "infer_items_per_second"), det.annotune.itemName, 1.5);
    if (det.annotune.inferBfloat16ItemsPerSecond > 0)
        printRow("detector inf. bf16", det.annotune.inferBfloat16ItemsPerSecond, py(det, "infer_items_per_second"), det.annotune.itemName, 1.5);
    printRow("extractor train", ext.annotune.trainItemsPerSecond, py(ext, "train_items_per_second"), ext.annotune.itemName, 1.2);
    printRow("extractor inference", ext.annotune.inferItemsPerSecond, py(ext, "infer_items_per_second"), ext.annotune.itemName, 1.5);
    if (det.annotune.inferBfloat16ItemsPerSecond > 0)
        std::printf("  detector inf. bf16: what `annotune-cli predict` runs on this CPU (it computes in bfloat16: AVX512-BF16/AMX), "
                    "against PyTorch's float; its accuracy against float: the test-split AP by precision above (--full)\n");
    if (!std::isnan(detWait))
        std::printf("  data wait in the real training loop: detection %.1f%%, extraction %.1f%% of step time (target < 5%%): %s\n",
                100 * detWait, 100 * extWait, detWait < 0.05 && extWait < 0.05 ? "met" : "NOT met");
    std::printf("  Annotune's inference: eval mode, InferenceMode; detector: %s; extractor: %s\n",
                qPrintable(det.annotune.inference.join(QStringLiteral(", "))), qPrintable(ext.annotune.inference.join(QStringLiteral(", "))));
    std::printf("  Annotune's training step: AdamW's update fused into one pass per parameter; gradients released instead of "
                "zeroed; SiLU and GELU by AVX2 kernels where the CPU has them; freed memory kept for the next step (glibc); "
                "extractor: attention by our own function (each page and head's products on the BLAS, in parallel); detector: %s\n",
                qPrintable(det.annotune.training.join(QStringLiteral(", "))));
    bool same = true;
    for (const auto &[name, c] : {std::pair{"detector", &det}, {"extractor", &ext}}) {
        const qint64 theirs = qint64(c->pytorch.value(QLatin1String("parameters")).toDouble());
        const double loss = py(*c, "first_loss"), diff = std::abs(loss - c->annotune.firstLoss) / std::max(1e-9, std::abs(loss));
        const bool ok = theirs == c->annotune.parameters && diff < 1e-3;
        std::printf("  %s: %lld parameters (PyTorch %lld), first-step loss %.6f (PyTorch %.6f, relative difference %.1e): %s\n", name,
                    c->annotune.parameters, theirs, c->annotune.firstLoss, loss, diff, ok ? "same model" : "MISMATCH");
        same = same && ok;
    }
    std::fflush(stdout);
    return same;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const bool full = app.arguments().contains(QStringLiteral("--full"));
    engine::setupRuntime(0);
    std::printf("train_bench: %s mode%s\n", full ? "full" : "quick",
                full ? "" : " (a small demo and 2 epochs; run `train_bench --full` for the target figures)");
    QTemporaryDir temporary;
    const qsizetype keepAt = app.arguments().indexOf(QStringLiteral("--keep"));
    const QString keep = keepAt > 0 && keepAt + 1 < app.arguments().size() ? app.arguments().at(keepAt + 1) : QString();
    if (!keep.isEmpty() && !QDir().mkpath(keep))
        return std::fprintf(stderr, "train_bench: cannot create %s\n", qPrintable(keep)), 1;
    const QDir dir(keep.isEmpty() ? temporary.path() : keep);
    QFile::remove(dir.filePath(QStringLiteral("bench.annotune")));
    labeling::DemoOptions demo;
    if (!full) {
        demo.shapes = 60;
        demo.invoices = 30;
    }
    const QString path = dir.filePath(QStringLiteral("bench.annotune"));
    if (auto report = labeling::generateDemo(path, demo); !report)
        return std::fprintf(stderr, "%s\n", qPrintable(report.error().message)), 1;
    auto project = core::store::Project::open(path);
    if (!project)
        return 1;
    // --compare-only skips the real training runs (a quicker loop when working on throughput).
    const bool compareOnly = app.arguments().contains(QStringLiteral("--compare-only"));
    core::Id detectionRun = 0;
    const double detWait = compareOnly ? NAN : runTask(**project, ct::TrainTask::Detection, full, "images", "map50", 0.90, &detectionRun);
    if (detectionRun && !comparePrecisions(**project, detectionRun))
        return 1;
    const double extWait = compareOnly ? NAN : detWait < 0 ? -1 : runTask(**project, ct::TrainTask::Extraction, full, "pages", "f1", 0.95);
    if (detWait < 0 || extWait < 0)
        return 1;
    Comparison det, ext;
    if (!compareModel(**project, ct::TrainTask::Detection, full, dir.filePath(QStringLiteral("detector")), det) ||
        !compareModel(**project, ct::TrainTask::Extraction, full, dir.filePath(QStringLiteral("extractor")), ext))
        return 1;
    return printComparison(det, ext, detWait, extWait, full) ? 0 : 1;
}
