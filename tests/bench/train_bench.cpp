// Training benchmark on the demo project: detection mAP50 on the shapes' val split (the engine's
// own VOC-style AP, all-point interpolation) and field F1 on the invoices' val split, with images/s,
// pages/s and the share of step time spent waiting for data.
// Default (CTest): --quick, a small demo and a few steps: checks the pipeline, not the targets.
// --full: the whole demo with the balanced presets (targets: mAP50 >= 0.90 within 10 minutes on
// 2 CPU cores; field F1 >= 0.95).

#include "core/store/project.h"
#include "labeling/demoproject.h"
#include "training/engine/engine.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <cstdio>

using namespace annotune;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

class ThroughputSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        if (e.kind == ct::EventKind::Progress) {
            itemsPerSecond += e.itemsPerSecond;
            dataWait += e.dataWait;
            ++steps;
        } else if (e.kind == ct::EventKind::Metric && e.name != QLatin1String("train_loss")) {
            std::printf("  epoch %d %s %.4f\n", e.epoch, qPrintable(e.name), e.value);
            std::fflush(stdout);
        }
    }
    double itemsPerSecond = 0, dataWait = 0;
    int steps = 0;
};

bool runTask(core::store::Project &project, ct::TrainTask task, bool full, const char *unit, const char *metric, double target)
{
    auto spec = ct::presetSpec(task, full ? QStringLiteral("balanced") : QStringLiteral("fast"));
    if (!spec)
        return std::fprintf(stderr, "%s\n", qPrintable(spec.error().message)), false;
    spec->device = ct::DevicePreference::Cpu;
    if (!full) {
        spec->epochs = 2;
        spec->pretrainEpochs = std::min(spec->pretrainEpochs, 1);
    }
    ThroughputSink sink;
    ct::CancelToken cancel;
    QElapsedTimer clock;
    clock.start();
    auto outcome = engine::train(project, *spec, sink, cancel);
    if (!outcome)
        return std::fprintf(stderr, "%s\n", qPrintable(outcome.error().message)), false;
    const double seconds = clock.elapsed() / 1000.0;
    const double value = outcome->metrics.value(QLatin1String(metric)).toDouble();
    std::printf("%s (%s preset, %lld steps, %.1f s): %s %.4f (target >= %.2f%s), %.1f %s/s, data wait %.1f%% of step time\n",
                qPrintable(ct::toText(task)), qPrintable(spec->preset), outcome->steps, seconds, metric, value, target,
                full ? "" : ", not comparable in --quick mode", sink.itemsPerSecond / std::max(1, sink.steps), unit,
                100.0 * sink.dataWait / std::max(1, sink.steps));
    std::fflush(stdout);
    return true;
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
    QTemporaryDir dir;
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
    const bool ok = runTask(**project, ct::TrainTask::Detection, full, "images", "map50", 0.90) &&
                    runTask(**project, ct::TrainTask::Extraction, full, "pages", "f1", 0.95);
    return ok ? 0 : 1;
}
