#pragma once
// A compact single-stage anchor-free detector of the CenterNet family: a small strided conv
// backbone, a light FPN merged down to stride 8, and a head predicting per-class centre heatmaps
// and the distances from each cell to the four box sides. Losses: penalty-reduced focal loss on the
// heatmap and GIoU on the boxes. Decoding: heatmap peaks, then class-wise NMS (written here).

#include "training/engine/imagedata.h"

#include <torch/torch.h>

namespace annotune::training::engine {

class ScriptedBackboneImpl; // backbone.h
class DetectorPlan;         // detectorplan.h
struct PlanConv;

struct DetectorOptions {
    DetectorOptions(int64_t numClasses) : numClasses_(numClasses) {}
    TORCH_ARG(int64_t, numClasses);
    TORCH_ARG(int64_t, width) = 24;
    // An imported backbone in place of the built-in stages (buildDetector() in backbone.h).
    TORCH_ARG(std::shared_ptr<ScriptedBackboneImpl>, backbone) = nullptr;
};

class ConvBnActImpl : public torch::nn::Module {
public:
    ConvBnActImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride);
    torch::Tensor forward(const torch::Tensor &x);
    // For inference only: folds the BatchNorm's running statistics into a copy of the conv weight
    // (channels-last) and a bias, so forward is one conv and the activation. Not for training (the copy is not a
    // parameter); a freshly loaded module is unfolded.
    void foldBatchNorm(torch::ScalarType dtype = torch::kFloat);
    // The conv with its BatchNorm folded in, in float (for DetectorPlan).
    PlanConv folded() const;

private:
    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
    torch::Tensor m_foldedWeight, m_foldedBias;
};
TORCH_MODULE(ConvBnAct);

// Two 3x3 convs with a skip.
class ResidualImpl : public torch::nn::Module {
public:
    explicit ResidualImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor &x);
    const ConvBnActImpl &first() const { return *a; }
    const ConvBnActImpl &second() const { return *b; }

private:
    ConvBnAct a{nullptr}, b{nullptr};
};
TORCH_MODULE(Residual);

struct DetectorOutput {
    torch::Tensor heatmap; // [B, C, H, W] logits
    torch::Tensor sides;   // [B, 4, H, W] distances to left, top, right, bottom in pixels
};

class DetectorImpl : public torch::nn::Module {
public:
    explicit DetectorImpl(const DetectorOptions &options);
    // images [B, 3, H, W]; on the CPU the outputs are channels-last (see forward's note).
    DetectorOutput forward(const torch::Tensor &images);

    static constexpr int64_t kStride = 8;
    const DetectorOptions &options() const { return m_options; }
    // Inference only, after the BatchNorms are folded in bfloat16 (prepareForInference): the
    // lateral convs in bfloat16 too and forward computing in bfloat16 up to the two output convs,
    // which stay in float. False (nothing changed) with an imported backbone.
    bool computeInBfloat16();
    // Inference only, in float on the CPU: with on, forward (in eval mode, without grad) runs the
    // built-in detector as one oneDNN graph (detectorplan.h) wherever it takes the input. False
    // (nothing changed) with an imported backbone or off the CPU.
    bool useInferencePlan(bool on);
    const DetectorPlan *inferencePlan() const { return m_plan.get(); }

private:
    DetectorOptions m_options;
    bool m_bfloat16 = false;
    std::shared_ptr<DetectorPlan> m_plan;
    torch::nn::Sequential stem{nullptr}, stage8{nullptr}, stage16{nullptr}, stage32{nullptr};
    std::shared_ptr<ScriptedBackboneImpl> backbone;
    torch::nn::Conv2d lat8{nullptr}, lat16{nullptr}, lat32{nullptr};
    ConvBnAct neck{nullptr}, clsTower{nullptr}, regTower{nullptr};
    torch::nn::Conv2d clsOut{nullptr}, regOut{nullptr};
};
TORCH_MODULE(Detector);

struct Detection {
    float x0, y0, x1, y1; // network pixels
    float score;
    int cls;
};

// Heatmap and side targets for a batch of samples at the detector's stride.
struct DetectionTargets {
    torch::Tensor heatmap; // [B, C, H, W] in [0, 1], 1 at object centres
    torch::Tensor boxes;   // [B, 4, H, W] target x0, y0, x1, y1 in pixels
    torch::Tensor weight;  // [B, H, W] regression weight (0 where no object)
};

DetectionTargets buildTargets(const std::vector<ImageSample> &samples, int64_t numClasses, int64_t size);
// Returns {total, focal, giou}; all scalars.
std::array<torch::Tensor, 3> detectionLoss(const DetectorOutput &out, const DetectionTargets &targets);
// Peaks above minScore, then NMS per class at iou; per image in the batch.
std::vector<std::vector<Detection>> decode(const DetectorOutput &out, float minScore, float iou = 0.5f, int topK = 100);
// Greedy NMS: keeps the highest-scoring box of each overlapping group (same class).
std::vector<Detection> nms(std::vector<Detection> dets, float iou);
float boxIou(const Detection &a, const Detection &b);
// mAP50 of model on letterboxed samples (their boxes are the truth), in eval mode without grad.
double validationMap(Detector &model, const std::vector<ImageSample> &samples, int64_t size, const torch::Device &device);

} // namespace annotune::training::engine
