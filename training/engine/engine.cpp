// Orchestration of a run: the run record, its folder, the data snapshot, resume, and the status
// the run ends with. Torch-free: the tasks do the torch work.

#include "training/engine/engine.h"

#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "core/training/workerlock.h"
#include "training/engine/modelfile.h"
#include "training/engine/tasks.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <spdlog/spdlog.h>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

namespace {

Run newRun(const ct::JobSpec &spec, const QString &device, const QString &hash)
{
    Run run;
    run.name = QStringLiteral("%1-%2-%3").arg(ct::toText(spec.task), spec.preset,
                                             QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss")));
    run.task = ct::toText(spec.task);
    run.status = RunStatus::Running;
    run.configJson = QString::fromUtf8(QJsonDocument(spec.toJson()).toJson(QJsonDocument::Compact));
    run.seed = spec.seed;
    run.codeVersion = QStringLiteral(ANNOTUNE_VERSION);
    run.device = device;
    run.datasetHash = hash;
    bool numeric = false;
    const Id parent = spec.base.toLongLong(&numeric);
    if (numeric && parent > 0)
        run.parentRunId = parent;
    return run;
}

// Reads the checkpoint state of a run to resume: its spec and step.
Result<std::pair<ct::JobSpec, qint64>> resumeState(store::Project &project, Id runId)
{
    auto run = project.runs().get(runId);
    if (!run)
        return run.error();
    if (run->status == RunStatus::Finished)
        return makeError(ErrorCode::Conflict, QStringLiteral("run %1: already finished").arg(runId));
    auto state = readJsonFile(runFolder(project, runId) + QStringLiteral("/checkpoint.json"));
    if (!state)
        return makeError(ErrorCode::NotFound, QStringLiteral("run %1: no checkpoint to resume from (%2)").arg(runId).arg(state.error().message));
    auto spec = ct::JobSpec::fromJson(state->value(QStringLiteral("spec")).toObject());
    if (!spec)
        return spec.error();
    spec->resumeRunId = runId;
    return std::make_pair(*spec, qint64(state->value(QStringLiteral("step")).toDouble()));
}

void reportEnd(ct::ProgressSink &sink, const TrainOutcome &outcome)
{
    ct::Event e;
    e.kind = ct::EventKind::Finished;
    e.runId = outcome.runId;
    e.status = toText(outcome.status);
    e.step = outcome.steps;
    sink.report(e);
}

Result<TrainOutcome> runTask(RunContext &ctx)
{
    try {
        return ctx.spec.task == ct::TrainTask::Detection ? trainDetection(ctx) : trainExtraction(ctx);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("run %1: %2").arg(ctx.runId).arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

} // namespace

QString runFolder(const store::Project &project, Id runId)
{
    return project.runFolder(runId);
}

Result<TrainOutcome> train(store::Project &project, const ct::JobSpec &requested, ct::ProgressSink &sink, ct::CancelToken &cancel)
{
    ct::JobSpec spec = requested;
    qint64 startStep = 0;
    if (requested.resumeRunId > 0) {
        auto state = resumeState(project, requested.resumeRunId);
        if (!state)
            return state.error();
        std::tie(spec, startStep) = *state;
    }
    auto device = resolveDevice(spec.device);
    if (!device)
        return device.error();
    const bool pretrain = spec.task == ct::TrainTask::Extraction && spec.pretrainEpochs > 0;
    auto snapshot = takeSnapshot(project, spec, pretrain);
    if (!snapshot)
        return snapshot.error();
    Id runId = spec.resumeRunId;
    if (runId == 0) {
        auto created = project.runs().create(newRun(spec, *device, snapshot->hash), project.author());
        if (!created)
            return created.error();
        runId = *created;
    } else if (auto old = project.runs().get(runId); old && old->datasetHash != snapshot->hash) {
        spdlog::warn("training.engine: run {}: the labels changed since it started; resuming on the new data", runId);
    }
    const QString folder = runFolder(project, runId);
    if (!QDir().mkpath(folder))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the run folder").arg(folder));
    auto workerLock = ct::lockRunForWorker(folder); // held until this function returns
    if (!workerLock)
        return workerLock.error();
    if (Status st = project.runs().setStatus(runId, RunStatus::Running, project.author()); !st)
        return st.error();
    RunContext ctx{project, runId, folder, spec, std::move(*snapshot), *device, startStep, sink, cancel};
    auto outcome = runTask(ctx);
    if (!outcome) {
        (void)project.runs().setStatus(runId, RunStatus::Failed, project.author());
        ct::Event e;
        e.kind = ct::EventKind::Error;
        e.runId = runId;
        e.message = outcome.error().message;
        sink.report(e);
        return outcome.error();
    }
    if (Status st = project.runs().setStatus(runId, outcome->status, project.author()); !st)
        return st.error();
    reportEnd(sink, *outcome);
    return outcome;
}

Result<PredictReport> predict(store::Project &project, const PredictOptions &options, const ct::CancelToken *cancel)
{
    auto run = project.runs().get(options.runId);
    if (!run)
        return run.error();
    if (run->status != RunStatus::Finished)
        return makeError(ErrorCode::BadInput, QStringLiteral("run %1: not finished (%2)").arg(run->id).arg(toText(run->status)));
    store::ItemFilter filter;
    filter.kind = run->task == QLatin1String("extraction") ? ItemKind::DocumentPage : ItemKind::Image;
    if (options.items == PredictItems::Unlabeled)
        filter.status = ItemStatus::Unlabeled;
    else if (options.items == PredictItems::TestSplit)
        filter.split = Split::Test;
    QVector<Item> items;
    if (Status st = project.items().forEach(filter, [&](const Item &i) { items.append(i); return true; }); !st)
        return st.error();
    PredictContext ctx{project, *run, runFolder(project, run->id), items, options, cancel};
    try {
        return run->task == QLatin1String("extraction") ? predictExtraction(ctx) : predictDetection(ctx);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("run %1: %2").arg(run->id).arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

} // namespace annotune::training::engine
