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

// Puts model in eval mode, folds every ConvBnAct's BatchNorm into its conv and makes conv weights
// channels-last. For prediction and benchmarks only: the model must not be trained or saved after.
void prepareForInference(torch::nn::Module &model);

} // namespace annotune::training::engine
