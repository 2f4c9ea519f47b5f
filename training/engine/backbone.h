#pragma once
// A pretrained feature extractor imported from a TorchScript file, e.g. torchvision's
// mobilenet_v3_small().features or resnet18 without its pooling and classifier, scripted as an
// nn.Sequential. Its children run in order; the outputs of the last child at strides 8, 16 and 32
// (found by a dry run on a dummy image, with their channel counts) feed the detector's FPN in place
// of the built-in stages. Its parameters and buffers are registered here, so the optimiser trains
// them and checkpoints hold them; the scripted file itself is kept in the run folder for the
// architecture (and rewritten with the trained weights at export).

#include "core/result.h"
#include "core/training/jobspec.h"
#include "training/engine/detector.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <array>

namespace annotune::training::engine {

class ScriptedBackboneImpl : public torch::nn::Module {
public:
    // Loads the file at path and finds its stride-8/16/32 outputs. Fails naming the file and why: it
    // is missing, not TorchScript, has no children, a child fails on a dummy image, or a stride is
    // absent.
    static core::Result<std::shared_ptr<ScriptedBackboneImpl>> load(const QString &path);

    // Features at strides 8, 16 and 32.
    std::array<torch::Tensor, 3> forward(const torch::Tensor &images);
    const std::array<int64_t, 3> &channels() const { return m_channels; }
    // Frozen: no gradients and BatchNorm statistics kept (eval mode) whatever the detector's mode.
    void setFrozen(bool frozen);
    bool frozen() const { return m_frozen; }
    void train(bool on = true) override;
    // Writes the scripted module, with the current weights, to path.
    core::Status saveScript(const QString &path);

private:
    ScriptedBackboneImpl() = default;

    torch::jit::Module m_script;
    std::vector<torch::jit::Module> m_children; // run in order, up to the stride-32 tap
    std::array<size_t, 3> m_taps{};            // child whose output is the stride-8/16/32 feature
    std::array<int64_t, 3> m_channels{};
    bool m_frozen = false;
};

// The file name of the run folder's copy of an imported backbone.
inline constexpr const char *kBackboneFile = "backbone.pt";

// The detector spec describes: the built-in backbone, or spec.backbonePath imported. With a backbone,
// runFolder's copy is used when there is one (resume, predict), else the spec's file is loaded and
// copied into runFolder (when runFolder is not empty).
core::Result<Detector> buildDetector(const core::training::JobSpec &spec, int64_t classes, const QString &runFolder);

} // namespace annotune::training::engine
