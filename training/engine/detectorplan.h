#pragma once
// The built-in detector's float inference on the CPU as one oneDNN graph: activations stay in
// oneDNN's blocked layout from the first conv to the two output convs (no reorder between layers),
// the 3x3 stride-1 convs run as Winograd F(4x4, 3x3) where the CPU has it (AVX-512: about 2.25x
// fewer multiplies than direct, which is what libtorch's oneDNN calls always run), and SiLU is a
// post-op of the direct convs. Same weights and outputs as DetectorImpl::forward within float
// rounding (tested in test_models).

#include "training/engine/detector.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <vector>

namespace annotune::training::engine {

// One conv of the graph: OIHW float weight with its bias (BatchNorm folded in where it had one).
struct PlanConv {
    torch::Tensor weight, bias;
    int64_t stride = 1;
    bool silu = true;
};

// The built-in detector's layers, in DetectorImpl::forward's order.
struct DetectorPlanSpec {
    struct Stage {
        PlanConv down, a, b; // b(a(down(x))) + down(x)
    };
    PlanConv stem0, stem1;
    Stage s8, s16, s32;
    PlanConv lat8, lat16, lat32, neck, clsTower, regTower, clsOut, regOut;
    int64_t stride = 8; // of the outputs: sides are exp(clamp(regOut, -6, 6)) * 2 * stride
};

class DetectorPlan {
public:
    explicit DetectorPlan(DetectorPlanSpec spec);
    ~DetectorPlan();
    DetectorPlan(const DetectorPlan &) = delete;
    DetectorPlan &operator=(const DetectorPlan &) = delete;

    // Whether images (float, CPU, [B, 3, H, W] with H and W multiples of 32, where every level's
    // nearest upsampling is an exact 2x as in the torch graph) can run here.
    static bool accepts(const torch::Tensor &images);
    // The outputs of DetectorImpl::forward for images (accepts() must hold; the heatmap comes back
    // NCHW). The graph of each input shape is built on first use (weights reordered once); two are
    // kept (a prediction's full batches and its last one), each holding all its activations;
    // calls are serialised. Nothing where oneDNN has no graph for the shape (logged once).
    std::optional<DetectorOutput> run(const torch::Tensor &images);
    // How many of the 3x3 stride-1 convs run as Winograd in the graphs built so far (0 on CPUs
    // without it, where every conv runs direct).
    int winogradConvs() const;
    // How many input shapes have a graph (built and kept).
    int graphs() const;

private:
    struct Graph;
    std::shared_ptr<Graph> graphFor(const torch::Tensor &images, bool nhwc);

    DetectorPlanSpec m_spec;
    mutable std::mutex m_mutex;
    std::map<std::tuple<int64_t, int64_t, int64_t, bool>, std::shared_ptr<Graph>> m_graphs;
    int m_winograd = 0;
};

} // namespace annotune::training::engine
