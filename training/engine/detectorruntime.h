#pragma once
// What keeps the detector busy: batches assembled (image tensor and targets) away from the step
// that uses them, and the inference-time form of a trained detector (BatchNorm folded into convs).

#include "training/engine/detector.h"

namespace annotune::training::engine {

// A batch ready for the model.
struct DetectionBatch {
    torch::Tensor images;      // [B, 3, size, size]
    DetectionTargets targets;  // on the same device
    int64_t count = 0;
};

// The samples' pixels as one [B, 3, size, size] tensor on device (channels-last on the CPU).
torch::Tensor imageTensor(const std::vector<ImageSample> &samples, int64_t size, const torch::Device &device);
// Images and targets of samples, on device.
DetectionBatch makeDetectionBatch(const std::vector<ImageSample> &samples, int64_t numClasses, int64_t size,
                                  const torch::Device &device);

// Whether this CPU computes in bfloat16 natively (AVX512-BF16, and AMX where present): there
// oneDNN's bfloat16 convolutions run several times faster than its float ones.
bool cpuHasBfloat16();

enum class InferencePrecision {
    Float32,
    // bfloat16 for a detector on a CPU with cpuHasBfloat16() (see DetectorImpl::computeInBfloat16),
    // else float.
    Auto,
};

// Puts model in eval mode, folds every ConvBnAct's BatchNorm into its conv and makes conv weights
// channels-last. For prediction and benchmarks only: the model must not be trained or saved after.
// Returns the precision the model computes in afterwards (float, or bfloat16 with Auto).
torch::ScalarType prepareForInference(torch::nn::Module &model, InferencePrecision precision = InferencePrecision::Float32);

} // namespace annotune::training::engine
