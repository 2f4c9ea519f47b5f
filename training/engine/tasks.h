#pragma once
// What engine.cpp hands to a task: the open project, the run, its spec and data, and where to
// report. Torch-free, so the orchestration compiles without torch headers.

#include "training/engine/engine.h"
#include "training/engine/snapshot.h"

namespace annotune::training::engine {

struct RunContext {
    core::store::Project &project;
    core::Id runId = 0;
    QString folder;               // the run's checkpoint folder
    core::training::JobSpec spec;
    DatasetSnapshot snapshot;
    QString device;               // "cpu" | "cuda"
    qint64 startStep = 0;         // > 0: resume from the folder's checkpoint
    core::training::ProgressSink &sink;
    core::training::CancelToken &cancel;
};

// Each runs the whole loop (or the rest of it) and returns how it ended.
core::Result<TrainOutcome> trainDetection(RunContext &ctx);
core::Result<TrainOutcome> trainExtraction(RunContext &ctx);

struct PredictContext {
    core::store::Project &project;
    core::Run run;
    QString folder;
    QVector<core::Item> items;
    PredictOptions options;
    const core::training::CancelToken *cancel = nullptr;
};

core::Result<PredictReport> predictDetection(PredictContext &ctx);
core::Result<PredictReport> predictExtraction(PredictContext &ctx);

} // namespace annotune::training::engine
