#include "trainer.h"

#include "core/store/project.h"
#include "training/engine/modelfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QThread>
#include <cmath>
#include <limits>
#include <mutex>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <spdlog/spdlog.h>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

namespace {

constexpr int kMetricEvery = 5; // record the step loss every few steps

struct Position {
    size_t phase = 0;
    int epoch = 0;          // global epoch over all phases
    int64_t index = 0;      // batch within the epoch
    int64_t phaseStep = 0;  // step within the phase
    int64_t phaseSteps = 0;
};

Position locate(const std::vector<Phase> &phases, int64_t step)
{
    Position p;
    for (size_t i = 0; i < phases.size(); ++i) {
        const int64_t steps = phases[i].epochs * phases[i].stepsPerEpoch;
        if (step < steps || i + 1 == phases.size()) {
            p.phase = i;
            p.epoch += int(step / std::max<int64_t>(1, phases[i].stepsPerEpoch));
            p.index = step % std::max<int64_t>(1, phases[i].stepsPerEpoch);
            p.phaseStep = step;
            p.phaseSteps = steps;
            return p;
        }
        step -= steps;
        p.epoch += phases[i].epochs;
    }
    return p;
}

} // namespace

torch::Device torchDevice(const QString &device)
{
    return device == QLatin1String("cuda") ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

torch::Device predictionDevice(const Run &run)
{
    return run.device == QLatin1String("cuda") && torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

Status Trainer::saveModule(torch::nn::Module &module, const QString &path)
{
    try {
        torch::serialize::OutputArchive archive;
        module.save(archive);
        archive.save_to((path + QStringLiteral(".tmp")).toStdString());
        QFile::remove(path);
        if (!QFile::rename(path + QStringLiteral(".tmp"), path))
            return makeError(ErrorCode::Io, QStringLiteral("%1: cannot replace").arg(path));
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot save: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

Status Trainer::loadModule(torch::nn::Module &module, const QString &path, const torch::Device &device)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.toStdString(), device);
        module.load(archive);
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: cannot load: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

double Trainer::learningRate(const std::vector<Phase> &phases, int64_t step) const
{
    const Position p = locate(phases, step);
    const double base = m_ctx.spec.learningRate;
    const int64_t warmup = std::min<int64_t>(m_ctx.spec.warmupSteps, std::max<int64_t>(1, p.phaseSteps / 4));
    if (p.phaseStep < warmup)
        return base * double(p.phaseStep + 1) / double(warmup);
    const double t = double(p.phaseStep - warmup) / double(std::max<int64_t>(1, p.phaseSteps - warmup));
    return base * (0.02 + 0.98 * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t))));
}

void Trainer::metric(int64_t step, int epoch, const QString &name, double value, bool event)
{
    m_pending.append({step, epoch, name, value});
    if (!event)
        return;
    ct::Event e;
    e.kind = ct::EventKind::Metric;
    e.step = step;
    e.epoch = epoch;
    e.name = name;
    e.value = value;
    m_ctx.sink.report(e);
    m_last.insert(name, value);
}

Status Trainer::flushMetrics()
{
    Status st = m_ctx.project.runs().addMetrics(m_ctx.runId, m_pending);
    m_pending.clear();
    return st;
}

Status Trainer::checkpoint(int64_t step, int epoch)
{
    const QString dir = m_ctx.folder;
    if (Status st = saveModule(m_task.model(), dir + QStringLiteral("/checkpoint.pt")); !st)
        return st;
    try {
        torch::save(*m_optimizer, (dir + QStringLiteral("/optimizer.pt")).toStdString());
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot save the optimizer: %2").arg(dir, QString::fromUtf8(e.what())));
    }
    const QJsonObject state{{QStringLiteral("step"), double(step)}, {QStringLiteral("epoch"), epoch},
                            {QStringLiteral("run"), double(m_ctx.runId)}, {QStringLiteral("spec"), m_ctx.spec.toJson()}};
    if (Status st = writeJsonFile(dir + QStringLiteral("/checkpoint.json"), state); !st)
        return st;
    ct::Event e;
    e.kind = ct::EventKind::Checkpoint;
    e.step = step;
    e.path = dir + QStringLiteral("/checkpoint.pt");
    m_ctx.sink.report(e);
    return flushMetrics();
}

Status Trainer::resume()
{
    const torch::Device device = torchDevice(m_ctx.device);
    if (Status st = loadModule(m_task.model(), m_ctx.folder + QStringLiteral("/checkpoint.pt"), device); !st)
        return st;
    try {
        torch::load(*m_optimizer, (m_ctx.folder + QStringLiteral("/optimizer.pt")).toStdString(), device);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: cannot load the optimizer: %2").arg(m_ctx.folder, QString::fromUtf8(e.what())));
    }
    return {};
}

Result<TrainOutcome> Trainer::run()
{
    const std::vector<Phase> phases = m_task.phases();
    int64_t total = 0;
    for (const Phase &p : phases)
        total += p.epochs * p.stepsPerEpoch;
    if (m_ctx.spec.maxSteps > 0)
        total = std::min<int64_t>(total, m_ctx.spec.maxSteps);
    m_optimizer = std::make_unique<FusedAdamW>(
        m_task.model().parameters(), torch::optim::AdamWOptions(m_ctx.spec.learningRate).weight_decay(m_ctx.spec.weightDecay));
    int64_t step = m_ctx.startStep;
    if (step > 0)
        if (Status st = resume(); !st)
            return st.error();
    ct::Event started;
    started.kind = ct::EventKind::Started;
    started.runId = m_ctx.runId;
    started.task = ct::toText(m_ctx.spec.task);
    started.device = m_ctx.device;
    started.totalSteps = total;
    started.step = step;
    started.message = m_ctx.folder;
    m_ctx.sink.report(started);
    m_task.model().train();
    QElapsedTimer clock;
    while (step < total) {
        const Position pos = locate(phases, step);
        if (m_ctx.cancel.isCancelled()) {
            if (Status st = checkpoint(step, pos.epoch); !st)
                return st.error();
            return TrainOutcome{m_ctx.runId, RunStatus::Cancelled, step, m_ctx.folder, m_last};
        }
        m_task.enterPhase(pos.phase);
        torch::manual_seed(uint64_t(m_ctx.spec.seed) * 1000003ull + uint64_t(step));
        const double lr = learningRate(phases, step);
        for (auto &group : m_optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
        clock.start();
        releaseGradients(*m_optimizer);
        StepOutput out = m_task.step(pos.phase, pos.epoch, pos.index);
        const double loss = applyGradients(out.loss, m_task.model(), *m_optimizer);
        const double seconds = std::max(1e-9, clock.nsecsElapsed() / 1e9);
        if (!std::isfinite(loss))
            return makeError(ErrorCode::BadInput, QStringLiteral("run %1: the loss is not finite at step %2").arg(m_ctx.runId).arg(step));
        ++step;
        ct::Event e;
        e.kind = ct::EventKind::Progress;
        e.step = step;
        e.totalSteps = total;
        e.epoch = pos.epoch;
        e.loss = loss;
        e.learningRate = lr;
        e.itemsPerSecond = double(out.items) / seconds;
        e.dataWait = std::min(1.0, m_task.lastDataWait() / seconds);
        m_ctx.sink.report(e);
        if (step % kMetricEvery == 0) {
            metric(step, pos.epoch, QStringLiteral("loss"), loss, false);
            metric(step, pos.epoch, QStringLiteral("lr"), lr, false); // the chart of a finished run
        }
        const bool epochEnd = pos.index + 1 == phases[pos.phase].stepsPerEpoch || step == total;
        if (epochEnd) {
            metric(step, pos.epoch, QStringLiteral("train_loss"), loss, true);
            for (const auto &[name, value] : m_task.evaluate())
                metric(step, pos.epoch, name, value, true);
            m_task.model().train();
        }
        const bool due = m_ctx.spec.checkpointEvery > 0 ? step % m_ctx.spec.checkpointEvery == 0 : epochEnd;
        if (due || step == total)
            if (Status st = checkpoint(step, pos.epoch); !st)
                return st.error();
    }
    if (Status st = m_task.exportModel(m_ctx.folder); !st)
        return st.error();
    if (Status st = flushMetrics(); !st)
        return st.error();
    return TrainOutcome{m_ctx.runId, RunStatus::Finished, step, m_ctx.folder, m_last};
}

} // namespace annotune::training::engine

namespace annotune::training::engine {

void setupRuntime(int threads)
{
    static std::once_flag once;
    std::call_once(once, [threads] {
        const int n = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
        torch::set_num_threads(n);
        try {
            torch::set_num_interop_threads(std::max(1, n / 2));
        } catch (const std::exception &) {
            // Already fixed by earlier parallel work: keep what it is.
        }
#if defined(__GLIBC__)
        // A training step allocates and frees the same large activation buffers over and over. By
        // default glibc serves blocks above a threshold with fresh mappings and hands a heap's free
        // top back to the system, so every step page-faults its activations in again (a tenth of a
        // CPU step's time in a profile). Keep them: heap blocks up to 32 MB (glibc's largest
        // threshold) and no trimming. The worker's memory then stays at its peak, which it reaches
        // again at every step anyway.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
        mallopt(M_TOP_PAD, 64 * 1024 * 1024);
#endif
        spdlog::debug("training.engine: {} threads", n);
    });
}

Result<QString> resolveDevice(ct::DevicePreference preference)
{
    const bool cuda = torch::cuda::is_available();
    if (preference == ct::DevicePreference::Cuda && !cuda)
        return makeError(ErrorCode::BadInput, QStringLiteral("--device cuda: no CUDA device (this libtorch is %1)")
                                                  .arg(torch::cuda::device_count() > 0 ? QStringLiteral("CUDA-enabled") : QStringLiteral("CPU-only or sees no GPU")));
    if (preference == ct::DevicePreference::Cpu || !cuda)
        return QStringLiteral("cpu");
    return QStringLiteral("cuda");
}

} // namespace annotune::training::engine
