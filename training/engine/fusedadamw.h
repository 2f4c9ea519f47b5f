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

} // namespace annotune::training::engine
