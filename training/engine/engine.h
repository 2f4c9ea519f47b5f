#pragma once
// The training engine's public face: train a model from a project, predict with a finished run.
// Torch and OpenCV stay behind this header; callers (annotune-cli, tests, benchmarks) see only core
// types.

#include "core/progress.h"
#include "core/result.h"
#include "core/training/events.h"
#include "core/training/jobspec.h"
#include "core/types.h"

#include <QJsonObject>

namespace annotune::core::store {
class Project;
}

namespace annotune::training::engine {

// Sets the CPU thread count once at start-up (0 = all cores), and keeps freed memory for reuse
// (glibc: no trimming, heap blocks up to 32 MB). For worker processes: call before any training.
void setupRuntime(int threads = 0);
// The device a spec resolves to on this machine ("cpu", "cuda"); fails when cuda is asked and absent.
core::Result<QString> resolveDevice(core::training::DevicePreference preference);

struct TrainOutcome {
    core::Id runId = 0;
    core::RunStatus status = core::RunStatus::Finished;
    qint64 steps = 0;
    QString runFolder;
    QJsonObject metrics; // the last evaluation ("map50" or "f1", ...)
};

// Trains spec.task on project's labelled items. Creates a run (or resumes spec.resumeRunId), reports
// events to sink, records metrics, writes checkpoints under "<folder>/<name>-runs/<run id>/", and
// on cancel checkpoints and returns status Cancelled. Fails (and marks the run failed) on bad data.
core::Result<TrainOutcome> train(core::store::Project &project, const core::training::JobSpec &spec,
                                 core::training::ProgressSink &sink, core::training::CancelToken &cancel);

enum class PredictItems { Unlabeled, TestSplit, All };

struct PredictOptions {
    core::Id runId = 0;
    PredictItems items = PredictItems::Unlabeled;
    double minScore = -1;    // < 0: the run's own threshold
    int batchSize = 8;
    // Detection on a CPU with bfloat16 arithmetic (AVX512-BF16, AMX) computes in bfloat16 unless
    // this is set (annotune-cli predict --precision float32).
    bool float32 = false;
    core::ProgressFn progress;
};

struct PredictReport {
    qint64 items = 0;
    qint64 predictions = 0;
};

// Runs a finished run's model over the chosen items and stores its predictions (run id, score).
core::Result<PredictReport> predict(core::store::Project &project, const PredictOptions &options,
                                    const core::training::CancelToken *cancel = nullptr);

// The folder holding a run's checkpoints and exported model.
QString runFolder(const core::store::Project &project, core::Id runId);

} // namespace annotune::training::engine
