#pragma once
// A linear layer at inference on the CPU through oneDNN's matmul: at the extraction model's sizes
// (hundreds of word rows, 96 to 288 columns, two threads) it ran in 0.2 to 0.6 of the time
// OpenBLAS takes for libtorch's addmm (train_bench's pages: 107 against 184 us for q/k/v).

#include <torch/torch.h>

namespace annotune::training::engine {

// x weight^T + bias (bias may be undefined) without autograd: x [N, in], weight [out, in], float
// CPU tensors. With grad recorded, other devices, dtypes or layouts, or a build without oneDNN,
// torch's linear.
torch::Tensor inferenceLinear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias);
// Whether this build has oneDNN's matmul for it.
bool inferenceLinearOnOneDnn();

} // namespace annotune::training::engine
