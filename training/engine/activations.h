#pragma once
// SiLU and GELU for float CPU tensors with AVX2 kernels of our own: libtorch's CPU kernels for both
// evaluate exp and erf at a few times the cost of the memory traffic, and these two activations
// take a third of the detector's inference time. Each function gives the same values as torch's
// (within a few float ulps; checked by tests/training/test_activations) and falls back to torch's
// own function on other devices, other dtypes, strided views or CPUs without AVX2 and FMA.
// silu() and gelu() take part in autograd (their backward uses the same kernels).

#include <torch/torch.h>

namespace annotune::training::engine {

torch::Tensor silu(const torch::Tensor &x);
// In place, without autograd (inference).
torch::Tensor &silu_(torch::Tensor &x);
// The exact (erf) GELU, as torch::nn::functional::gelu's default.
torch::Tensor gelu(const torch::Tensor &x);

// Softmax over the last dimension in place, without autograd, for a contiguous float CPU tensor
// (the extractor's attention at inference); otherwise torch's softmax copied into x.
torch::Tensor &softmaxLastDim_(torch::Tensor &x);

// The same on rows rows of n floats at x (AVX2 when fastActivations(), else a plain loop).
void softmaxRows(float *x, int64_t rows, int64_t n);

// ln(x) without autograd (inference) for contiguous float CPU rows, normalised over the last
// dimension, by an AVX2 kernel (on train_bench's 700 words x 96, 28 us a call against torch's 35);
// otherwise ln.forward(x).
torch::Tensor layerNorm(const torch::Tensor &x, torch::nn::LayerNormImpl &ln);

// silu(bn(x)) in one function for a BatchNorm in training mode on channels-last float CPU
// activations: the batch statistics in two passes, then normalisation and SiLU in one pass that
// keeps only x for the backward (which recomputes the rest in two passes). Updates bn's running
// statistics as bn.forward does. Otherwise (eval mode, other layouts, devices or dtypes) it is
// silu(bn.forward(x)).
torch::Tensor batchNormSilu(const torch::Tensor &x, torch::nn::BatchNorm2dImpl &bn);

// Whether this machine runs the kernels above (false: torch's functions run instead; also when the
// environment sets ANNOTUNE_TORCH_ACTIVATIONS, to compare).
bool fastActivations();

} // namespace annotune::training::engine
