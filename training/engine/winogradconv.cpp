#include "winogradconv.h"

#include "training/engine/onednn.h"

#include <array>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

namespace annotune::training::engine {

#if ANNOTUNE_WITH_ONEDNN

namespace {

using namespace onednn;

using Key = std::array<int64_t, 5>; // B, C, O, H, W

// The three Winograd primitives of one shape.
struct Kernel {
    dnnl::convolution_forward::primitive_desc forwardPd;
    dnnl::convolution_backward_data::primitive_desc dataPd;
    dnnl::convolution_backward_weights::primitive_desc weightsPd;
    dnnl::convolution_forward forward;
    dnnl::convolution_backward_data data;
    dnnl::convolution_backward_weights weights;
};

// The shape's kernel, made on first use; nullptr (also remembered) where oneDNN has no Winograd
// convolution for it on this CPU.
const Kernel *kernelFor(const Key &key)
{
    static std::mutex mutex;
    static std::map<Key, std::unique_ptr<Kernel>> kernels;
    std::lock_guard lock(mutex);
    auto [at, inserted] = kernels.try_emplace(key);
    if (!inserted)
        return at->second.get();
    const auto [B, C, O, H, W] = key;
    const memory::desc src({B, C, H, W}, kF32, Tag::any), weights({O, C, 3, 3}, kF32, Tag::any),
        dst({B, O, H, W}, kF32, Tag::any);
    const memory::dims one{1, 1};
    const dnnl::algorithm winograd = dnnl::algorithm::convolution_winograd;
    try {
        const dnnl::convolution_forward::primitive_desc f(
            {dnnl::prop_kind::forward_training, winograd, src, weights, dst, one, one, one}, cpuEngine());
        const dnnl::convolution_backward_data::primitive_desc d({winograd, src, weights, dst, one, one, one}, cpuEngine(), f);
        const dnnl::convolution_backward_weights::primitive_desc w({winograd, src, weights, dst, one, one, one}, cpuEngine(), f);
        at->second.reset(new Kernel{f, d, w, dnnl::convolution_forward(f), dnnl::convolution_backward_data(d),
                                    dnnl::convolution_backward_weights(w)});
    } catch (const dnnl::error &) {
        // No Winograd here (a CPU without AVX-512, or a shape it does not take): conv2d runs.
    }
    return at->second.get();
}

Key keyOf(const torch::Tensor &x, const torch::Tensor &weight)
{
    return {x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3)};
}

memory::desc nhwc(const memory::dims &dims) { return memory::desc(dims, kF32, Tag::nhwc); }

// A buffer for a oneDNN layout (a torch tensor, so the worker's allocator keeps it between steps).
torch::Tensor bufferFor(const memory::desc &desc)
{
    return torch::empty({int64_t((desc.get_size() + sizeof(float) - 1) / sizeof(float))});
}

void reorder(const memory::desc &fromDesc, const torch::Tensor &from, const memory::desc &toDesc, const torch::Tensor &to)
{
    memory a(fromDesc, cpuEngine(), from.data_ptr()), b(toDesc, cpuEngine(), to.data_ptr());
    dnnl::reorder(a, b).execute(cpuStream(), a, b);
}

memory at(const memory::desc &desc, const torch::Tensor &t) { return memory(desc, cpuEngine(), t.data_ptr()); }

// The weight's own layout: OIHW, or OHWI when it is channels-last (weight is made one of the two).
memory::desc weightDesc(torch::Tensor &weight)
{
    const memory::dims dims(weight.sizes().begin(), weight.sizes().end());
    if (weight.is_contiguous())
        return memory::desc(dims, kF32, Tag::oihw);
    if (!weight.is_contiguous(torch::MemoryFormat::ChannelsLast))
        weight = weight.contiguous();
    return memory::desc(dims, kF32, weight.is_contiguous() ? Tag::oihw : Tag::ohwi);
}

class WinogradConv : public torch::autograd::Function<WinogradConv> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x, const torch::Tensor &weight)
    {
        const Key key = keyOf(x, weight);
        const Kernel &k = *kernelFor(key);
        const auto [B, C, O, H, W] = key;
        const torch::Tensor input = x.contiguous(torch::MemoryFormat::ChannelsLast);
        torch::Tensor w = weight;
        const memory::desc wDesc = weightDesc(w);
        const torch::Tensor xb = bufferFor(k.forwardPd.src_desc()), wb = bufferFor(k.forwardPd.weights_desc()),
                            yb = bufferFor(k.forwardPd.dst_desc());
        reorder(nhwc({B, C, H, W}), input, k.forwardPd.src_desc(), xb);
        reorder(wDesc, w, k.forwardPd.weights_desc(), wb);
        k.forward.execute(cpuStream(), {{DNNL_ARG_SRC, at(k.forwardPd.src_desc(), xb)},
                                        {DNNL_ARG_WEIGHTS, at(k.forwardPd.weights_desc(), wb)},
                                        {DNNL_ARG_DST, at(k.forwardPd.dst_desc(), yb)}});
        torch::Tensor y = torch::empty({B, O, H, W}, x.options().memory_format(torch::MemoryFormat::ChannelsLast));
        reorder(k.forwardPd.dst_desc(), yb, nhwc({B, O, H, W}), y);
        cpuStream().wait();
        ctx->save_for_backward({xb, weight});
        ctx->saved_data["key"] = std::vector<int64_t>(key.begin(), key.end());
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &xb = saved[0];
        torch::Tensor w = saved[1];
        const std::vector<int64_t> shape = ctx->saved_data["key"].toIntVector();
        const Key key{shape[0], shape[1], shape[2], shape[3], shape[4]};
        const Kernel &k = *kernelFor(key);
        const auto [B, C, O, H, W] = key;
        if (!grads[0].defined())
            return {torch::Tensor(), torch::Tensor()};
        const torch::Tensor dy = grads[0].contiguous(torch::MemoryFormat::ChannelsLast);
        const torch::Tensor dyb = bufferFor(k.dataPd.diff_dst_desc());
        reorder(nhwc({B, O, H, W}), dy, k.dataPd.diff_dst_desc(), dyb);
        torch::Tensor dx, dw;
        if (ctx->needs_input_grad(0)) {
            const memory::desc wDesc = weightDesc(w);
            const torch::Tensor wb = bufferFor(k.dataPd.weights_desc()), dxb = bufferFor(k.dataPd.diff_src_desc());
            reorder(wDesc, w, k.dataPd.weights_desc(), wb);
            k.data.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, at(k.dataPd.diff_dst_desc(), dyb)},
                                         {DNNL_ARG_WEIGHTS, at(k.dataPd.weights_desc(), wb)},
                                         {DNNL_ARG_DIFF_SRC, at(k.dataPd.diff_src_desc(), dxb)}});
            dx = torch::empty({B, C, H, W}, dy.options().memory_format(torch::MemoryFormat::ChannelsLast));
            reorder(k.dataPd.diff_src_desc(), dxb, nhwc({B, C, H, W}), dx);
        }
        if (ctx->needs_input_grad(1)) {
            // The weights' backward reads the forward's reordered input and this reordered
            // gradient, each copied again only where it wants another layout.
            torch::Tensor src = xb, diff = dyb;
            if (k.weightsPd.src_desc() != k.forwardPd.src_desc()) {
                src = bufferFor(k.weightsPd.src_desc());
                reorder(k.forwardPd.src_desc(), xb, k.weightsPd.src_desc(), src);
            }
            if (k.weightsPd.diff_dst_desc() != k.dataPd.diff_dst_desc()) {
                diff = bufferFor(k.weightsPd.diff_dst_desc());
                reorder(k.dataPd.diff_dst_desc(), dyb, k.weightsPd.diff_dst_desc(), diff);
            }
            const torch::Tensor dwb = bufferFor(k.weightsPd.diff_weights_desc());
            k.weights.execute(cpuStream(), {{DNNL_ARG_SRC, at(k.weightsPd.src_desc(), src)},
                                            {DNNL_ARG_DIFF_DST, at(k.weightsPd.diff_dst_desc(), diff)},
                                            {DNNL_ARG_DIFF_WEIGHTS, at(k.weightsPd.diff_weights_desc(), dwb)}});
            dw = torch::empty({O, C, 3, 3}, dy.options());
            reorder(k.weightsPd.diff_weights_desc(), dwb, memory::desc({O, C, 3, 3}, kF32, Tag::oihw), dw);
        }
        cpuStream().wait();
        return {dx, dw};
    }
};

} // namespace

#endif

bool winogradConvFits(const torch::Tensor &x, const torch::Tensor &weight)
{
#if ANNOTUNE_WITH_ONEDNN
    static const bool disabled = std::getenv("ANNOTUNE_TORCH_CONV") != nullptr;
    return !disabled && x.is_cpu() && weight.is_cpu() && x.scalar_type() == torch::kFloat &&
           weight.scalar_type() == torch::kFloat && x.dim() == 4 && weight.dim() == 4 && weight.size(1) == x.size(1) &&
           weight.size(2) == 3 && weight.size(3) == 3 && x.size(2) * x.size(3) >= 256 && x.size(0) > 0 &&
           kernelFor(keyOf(x, weight)) != nullptr;
#else
    (void)x;
    (void)weight;
    return false; // built without oneDNN's headers (scripts/device_check.sh)
#endif
}

torch::Tensor winogradConv3x3(const torch::Tensor &x, const torch::Tensor &weight)
{
#if ANNOTUNE_WITH_ONEDNN
    if (winogradConvFits(x, weight))
        return WinogradConv::apply(x, weight);
#endif
    return torch::nn::functional::conv2d(x, weight, torch::nn::functional::Conv2dFuncOptions().padding(1));
}

} // namespace annotune::training::engine
