#pragma once
// torch::optim::AdamW whose step updates each parameter in one pass over its memory (weight decay,
// both moments and the parameter together) instead of a chain of whole-tensor operations, each
// reading and writing every element again. Same options, same state (exp_avg, exp_avg_sq, step),
// so checkpoints of either load into the other; same update up to float rounding. Parameters it
// does not cover (not float on the CPU, layouts that differ, amsgrad, sparse gradients) take
// AdamW's own operations.

#include <torch/torch.h>

namespace annotune::training::engine {

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;

private:
    // False when p needs AdamW's own step (see the class comment).
    static bool fusable(const torch::Tensor &p, const torch::optim::AdamWOptions &options);
};

// zero_grad without the zeros: every parameter's gradient undefined, so the next backward hands
// each its gradient tensor as it is (no fill before, no add into it). FusedAdamW::step treats a
// missing gradient of a parameter it has updated before as zeros, so the steps are those after
// zero_grad. For FusedAdamW only (AdamW's own step would skip those parameters).
void releaseGradients(torch::optim::Optimizer &optimizer);

} // namespace annotune::training::engine
