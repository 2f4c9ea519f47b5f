#include "inferencelinear.h"

#include "training/engine/onednn.h"

namespace annotune::training::engine {

torch::Tensor inferenceLinear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias)
{
#if ANNOTUNE_WITH_ONEDNN
    const auto plainFloat = [](const torch::Tensor &t) {
        return t.is_cpu() && t.scalar_type() == torch::kFloat && t.is_contiguous();
    };
    if (!torch::GradMode::is_enabled() && x.dim() == 2 && weight.dim() == 2 && x.size(1) == weight.size(1) && x.size(0) > 0 &&
        plainFloat(x) && plainFloat(weight) && (!bias.defined() || (plainFloat(bias) && bias.numel() == weight.size(0)))) {
        using namespace onednn;
        const int64_t rows = x.size(0), in = x.size(1), out = weight.size(0);
        torch::Tensor y = torch::empty({rows, out}, x.options());
        // The weight as it lies ([out, in] row-major is [in, out] with tag ba): no copy, and
        // oneDNN's primitive cache makes the per-call descriptor cheap (about 1 us).
        const memory::desc src({rows, in}, kF32, Tag::ab), w({in, out}, kF32, Tag::ba), dst({rows, out}, kF32, Tag::ab);
        const memory::desc b = bias.defined() ? memory::desc({1, out}, kF32, Tag::ab) : memory::desc();
        const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, w, b, dst), cpuEngine());
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(src, cpuEngine(), x.data_ptr())},
                                             {DNNL_ARG_WEIGHTS, memory(w, cpuEngine(), weight.data_ptr())},
                                             {DNNL_ARG_DST, memory(dst, cpuEngine(), y.data_ptr())}};
        if (bias.defined())
            args.emplace(DNNL_ARG_BIAS, memory(b, cpuEngine(), bias.data_ptr()));
        dnnl::matmul(pd).execute(cpuStream(), args);
        cpuStream().wait();
        return y;
    }
#endif
    return torch::nn::functional::linear(x, weight, bias);
}

bool inferenceLinearOnOneDnn()
{
#if ANNOTUNE_WITH_ONEDNN
    return true;
#else
    return false;
#endif
}

} // namespace annotune::training::engine
