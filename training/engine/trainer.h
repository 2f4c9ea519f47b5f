#pragma once
// The run loop shared by the tasks: AdamW with linear warmup and cosine decay (per phase), seeded
// steps, progress and metric events, metrics into the run, checkpoints (model, optimizer, step,
// spec) and cancel -> checkpoint -> return. A resumed run continues to the same weights.

#include "core/store/runrepository.h"
#include "training/engine/fusedadamw.h"
#include "training/engine/tasks.h"

#include <torch/torch.h>

#include <map>

namespace annotune::training::engine {

// One stretch of training with its own objective and learning-rate schedule.
struct Phase {
    int epochs = 0;
    int64_t stepsPerEpoch = 0;
};

struct StepOutput {
    torch::Tensor loss;
    int64_t items = 0;
};

// What a task gives the loop.
class Task {
public:
    virtual ~Task() = default;
    virtual torch::nn::Module &model() = 0;
    virtual std::vector<Phase> phases() const = 0;
    // Called before each step of a phase (e.g. to freeze the base for LoRA).
    virtual void enterPhase(size_t phase) {}
    // Forward pass and loss of one batch; deterministic in (phase, epoch, index).
    virtual StepOutput step(size_t phase, int epoch, int64_t index) = 0;
    // Validation metrics after an epoch (name -> value); the first is the headline.
    virtual std::vector<std::pair<QString, double>> evaluate() = 0;
    // Seconds the last step spent waiting for data.
    virtual double lastDataWait() const { return 0; }
    // Writes the exported model (merged, ready for prediction) into folder.
    virtual core::Status exportModel(const QString &folder) = 0;
};

class Trainer {
public:
    Trainer(RunContext &ctx, Task &task) : m_ctx(ctx), m_task(task) {}
    core::Result<TrainOutcome> run();

    static core::Status saveModule(torch::nn::Module &module, const QString &path);
    static core::Status loadModule(torch::nn::Module &module, const QString &path, const torch::Device &device);

private:
    double learningRate(const std::vector<Phase> &phases, int64_t step) const;
    core::Status checkpoint(int64_t step, int epoch);
    core::Status resume();
    void metric(int64_t step, int epoch, const QString &name, double value, bool event);
    core::Status flushMetrics();

    RunContext &m_ctx;
    Task &m_task;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    QVector<core::store::MetricPoint> m_pending;
    QJsonObject m_last;
};

torch::Device torchDevice(const QString &device);
// Where a run's model predicts: the device it trained on when that is still there, else the CPU.
torch::Device predictionDevice(const core::Run &run);

// Gradient norm every step is clipped to.
inline constexpr double kClipNorm = 10.0;
// The update of every training step: backward of loss, clipping to kClipNorm, the optimizer's step.
// Returns the loss as a number (the one synchronisation of the step). Grads must be zeroed before the
// forward pass.
double applyGradients(const torch::Tensor &loss, torch::nn::Module &model, torch::optim::Optimizer &optimizer);

} // namespace annotune::training::engine

namespace annotune::training::engine {

// Mixed precision (bfloat16 autocast) for the scope's forward passes when on (CUDA only).
class AutocastScope {
public:
    explicit AutocastScope(bool on);
    ~AutocastScope();

private:
    bool m_on;
};

} // namespace annotune::training::engine
