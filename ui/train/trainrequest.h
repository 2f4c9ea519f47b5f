#pragma once
// What the new-run dialog asks for, the worker command line it becomes, and the time estimate.
// Presets are read through core (no torch here).

#include "core/training/jobspec.h"

#include <QString>
#include <QStringList>

namespace annotune::core::store {
class Project;
}

namespace annotune::ui::train {

struct TrainRequest {
    core::training::TrainTask task = core::training::TrainTask::Detection;
    QString preset = QStringLiteral("balanced"); // the default preset, as annotune-cli train
    QString base;                 // a run id or a model file; empty = from scratch
    int epochs = 0;               // 0 = the preset's
    int loraRank = 0;
    core::training::LabelSelection labels = core::training::LabelSelection::Labeled;
    core::training::DevicePreference device = core::training::DevicePreference::Auto;
    QString configFile;           // optional JSON over the preset
    QString backbone;             // detection: optional TorchScript backbone file to import
    qint64 maxSteps = 0;

    // `train PROJECT --task ... --events jsonl` for annotune-cli.
    QStringList arguments(const QString &projectPath) const;
    // The preset's epoch count (for the dialog's default); 0 when the preset cannot be read.
    int presetEpochs() const;
};

// `train PROJECT --resume RUN --events jsonl`.
QStringList resumeArguments(const QString &projectPath, qint64 runId);
// `predict PROJECT --run RUN --items unlabeled`.
QStringList predictArguments(const QString &projectPath, qint64 runId);

// A rough duration: items that would train × epochs × seconds per item, the rate measured from
// the project's finished runs of the task (duration over epochs × items) or a default.
struct TrainEstimate {
    qint64 items = 0;
    double seconds = 0;
    bool measured = false;
};
TrainEstimate estimate(core::store::Project &project, const TrainRequest &request);
// The task a new run most likely wants: extraction when the project has more labelled document
// pages than labelled images, else detection.
core::training::TrainTask suggestedTask(core::store::Project &project);

} // namespace annotune::ui::train
