#pragma once
// Throughput of the engine's two models on fixed batches, for train_bench's comparison with a
// PyTorch script: prepares batches from a project the way training does, writes them, the initial
// weights and a manifest into a folder (torch.load reads the .pt files), and times Annotune's own
// training step and inference on exactly those batches. Torch-free header.

#include "core/result.h"
#include "core/training/jobspec.h"

#include <QStringList>

#include <functional>

namespace annotune::core::store {
class Project;
}

namespace annotune::training::engine {

struct ModelBenchOptions {
    core::training::JobSpec spec; // task, model size, batch size, learning rate
    QString folder;               // receives manifest.json, weights.pt and batch-N.pt
    int batches = 4;              // distinct batches, used in turn
    int warmup = 2;               // untimed steps first
    int steps = 10;               // timed steps (training) and timed forward passes (inference)
    // Rounds of timing from the same initial weights; after each, afterRound (if set) runs (the
    // reference, so that both sides are measured in turn while the machine's other load changes).
    // A failing afterRound ends the benchmark with its error.
    int rounds = 1;
    std::function<core::Status()> afterRound;
};

struct ModelBenchResult {
    qint64 parameters = 0;          // elements of all parameters
    double firstLoss = 0;           // loss of step 0 (initial weights, batch 0)
    double trainItemsPerSecond = 0; // batch size / fastest timed step of all rounds
    double inferItemsPerSecond = 0; // batch size / fastest timed forward pass of all rounds
    int threads = 0;
    QString itemName;               // "images" or "pages"
    QStringList inference;          // what inference does beyond eval mode without autograd
    QStringList training;           // what the training step does beyond the model's plain forward
    // Detector only, on a CPU with bfloat16 arithmetic: inference at InferencePrecision::Auto (0 if
    // not run). Its accuracy is train_bench's test-split AP by precision (--full).
    double inferBfloat16ItemsPerSecond = 0;
};

// Fails when the project has no labelled items for the task or the folder cannot be written.
core::Result<ModelBenchResult> benchModel(core::store::Project &project, const ModelBenchOptions &options);

} // namespace annotune::training::engine
