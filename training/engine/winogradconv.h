#pragma once
// A 3x3 stride-1 convolution (padding 1, no bias) for training on the CPU, run as oneDNN's
// Winograd F(4x4, 3x3) forward and backward (data and weights) where the CPU has it (AVX-512):
// about half the time of the direct convolutions libtorch's conv2d always runs, for the detector's
// 3x3 convs at stride 8 and 16 (train_bench's detector step). Activations come and go
// channels-last (the detector's layout on the CPU) and are reordered to oneDNN's blocked layout and
// back around each call; the reordered input is what the backward keeps. Same values as conv2d
// within float rounding (tests/training/test_models).

#include <torch/torch.h>

namespace annotune::training::engine {

// conv2d(x, weight, padding 1) with autograd: x [B, C, H, W] float on the CPU, weight [O, C, 3, 3].
// Runs as Winograd where winogradConvFits(x, weight) holds, else as torch's conv2d.
torch::Tensor winogradConv3x3(const torch::Tensor &x, const torch::Tensor &weight);

// Whether winogradConv3x3 runs Winograd for these: float CPU tensors, a map of at least 16x16 cells
// (smaller maps measured slower than direct), and a CPU where oneDNN has the kernel. False when
// the environment sets ANNOTUNE_TORCH_CONV (to compare).
bool winogradConvFits(const torch::Tensor &x, const torch::Tensor &weight);

} // namespace annotune::training::engine
