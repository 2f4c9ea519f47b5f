#pragma once
// The training job spec: everything a run needs to be reproduced, as plain data with a JSON form.
// The GUI and the CLI build one (from a preset, a config file and flags) and hand it to the worker.

#include "core/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace annotune::core::training {

enum class TrainTask { Detection, Extraction };
// Which labelled items train: only approved ones, or everything labelled (labeled, in review, approved).
enum class LabelSelection { Approved, Labeled };
enum class DevicePreference { Auto, Cpu, Cuda };

QString toText(TrainTask v);
QString toText(LabelSelection v);
QString toText(DevicePreference v);
std::optional<TrainTask> trainTaskFromString(const QString &s);
std::optional<LabelSelection> labelSelectionFromString(const QString &s);
std::optional<DevicePreference> devicePreferenceFromString(const QString &s);

struct JobSpec {
    TrainTask task = TrainTask::Detection;
    QString preset = QStringLiteral("balanced");
    LabelSelection labels = LabelSelection::Labeled;
    DevicePreference device = DevicePreference::Auto;
    qint64 seed = 1;
    int epochs = 10;
    int batchSize = 8;
    double learningRate = 2e-3;
    double weightDecay = 1e-4;
    int warmupSteps = 20;
    int loaderThreads = 2;       // data loader workers
    int checkpointEvery = 0;     // steps between checkpoints; 0 = at the end of each epoch
    qint64 maxSteps = 0;         // stop after this many steps (0 = run all epochs); for tests
    QStringList classes;         // names of the classes to train (empty: every class of the task)
    int folds = 0;               // > 1: k-fold cross-validation over all labelled items, ignoring splits
    int fold = 0;                // the fold validated on (the others train)
    // Detection
    int imageSize = 320;         // square network input (letterboxed)
    int width = 32;              // backbone base channels
    bool mosaic = true;
    double minScore = 0.25;
    QString backbonePath;        // optional TorchScript backbone to import (see README)
    int freezeBackboneEpochs = 0; // the imported backbone is not trained for the first epochs
    // Extraction
    int pretrainEpochs = 0;      // masked-word pretraining epochs on all pages before fine-tuning
    int modelDim = 64;
    int layers = 2;
    int heads = 4;
    int hashBuckets = 8192;
    double dropout = 0.1;        // encoder dropout while training
    bool spatialBias = false;    // attention scores get a learnt bias by the words' distance across and down the page
    double transitionWeight = 0.75; // decoding: weight of the tag transitions counted by layout step (0: off)
    int loraRank = 0;            // > 0: fine-tune low-rank adapters only (plus the task head)
    double loraAlpha = 16;
    QStringList loraTargets{QStringLiteral("q"), QStringLiteral("v")};
    // Lineage
    QString base;                // a run id or a model file to start from
    qint64 resumeRunId = 0;

    QJsonObject toJson() const;
    // Reads the keys present in o over the current values; bad values fail, unknown keys are
    // ignored (specs stored by other versions; mergeConfig refuses them).
    Status merge(const QJsonObject &o);
    static Result<JobSpec> fromJson(const QJsonObject &o);
};

// The built-in preset for a task ("fast", "balanced", "accurate"), from resources/presets.
Result<JobSpec> presetSpec(TrainTask task, const QString &preset);
// The keys a built-in preset sets, as its JSON file has them.
Result<QJsonObject> presetKeys(TrainTask task, const QString &preset);
// Reads a JSON config file (one object of spec keys).
Result<QJsonObject> readConfigFile(const QString &path);
// Merges a config's keys (a file's, the preset editor's) over spec as JobSpec::merge does, and
// refuses a key that is not a spec key (a typo would otherwise change nothing, silently).
Status mergeConfig(JobSpec &spec, const QJsonObject &keys);
// Reads a JSON config file and merges it over spec (mergeConfig).
Status mergeConfigFile(JobSpec &spec, const QString &path);

} // namespace annotune::core::training
