// The parts of a training step that every task shares and that touch nothing but torch: the
// autocast scope and the update. Kept apart from the run loop so that a device check can build them
// against any libtorch without the project's store.

#include "trainer.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace annotune::training::engine {

// libtorch 2.4 made autocast per device type; the older calls are deprecated there.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define ANNOTUNE_AUTOCAST_PER_DEVICE 1
#endif

AutocastScope::AutocastScope(bool on) : m_on(on)
{
    if (!m_on)
        return;
#ifdef ANNOTUNE_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(true);
#endif
}

AutocastScope::~AutocastScope()
{
    if (!m_on)
        return;
#ifdef ANNOTUNE_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
    at::autocast::clear_cache();
}

double applyGradients(const torch::Tensor &loss, torch::nn::Module &model, torch::optim::Optimizer &optimizer)
{
    loss.backward();
    torch::nn::utils::clip_grad_norm_(model.parameters(), kClipNorm);
    optimizer.step();
    return loss.item<double>();
}

} // namespace annotune::training::engine
