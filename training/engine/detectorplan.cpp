#include "detectorplan.h"

#include "training/engine/detector.h"

#include "training/engine/onednn.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace annotune::training::engine {

#if ANNOTUNE_WITH_ONEDNN

namespace {

using namespace onednn;

// An activation of the graph: its memory (oneDNN's layout of choice) and logical size.
struct Act {
    memory mem;
    int64_t c = 0, h = 0, w = 0;
};

} // namespace

struct DetectorPlan::Graph {
    dnnl::engine engine = cpuEngine();
    dnnl::stream stream{engine};
    int64_t batch = 0;
    memory input, heat, sides; // the caller's tensors: their data handles are set per run
    int64_t classes = 0, outH = 0, outW = 0;
    std::vector<std::pair<dnnl::primitive, std::unordered_map<int, memory>>> steps;
    std::vector<torch::Tensor> biases; // memory the bias descriptors point into
    int winograd = 0;

    void add(dnnl::primitive p, std::unordered_map<int, memory> args) { steps.emplace_back(std::move(p), std::move(args)); }

    // from in to's layout: from itself where the layouts agree, else a reorder step (one per
    // source and layout: a second reader of the same copy shares it).
    memory as(const memory &from, const memory::desc &to)
    {
        if (from.get_desc() == to)
            return from;
        for (const auto &[source, copy] : copies)
            if (source.get() == from.get() && copy.get_desc() == to)
                return copy;
        memory out(to, engine);
        add(dnnl::reorder(from, out), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, out}});
        copies.emplace_back(from, out);
        return out;
    }
    std::vector<std::pair<memory, memory>> copies;

    // A conv step reading in. With addUp, the output first holds addUp's nearest 2x upsampling and
    // the conv adds onto it (a sum post-op). With skip, skip is added after the activation. With
    // output, the result lands in that memory (the caller's plain tensor) through a reorder.
    Act conv(const Act &in, const PlanConv &p, const Act *addUp = nullptr, const memory *output = nullptr,
             const Act *skip = nullptr)
    {
        const int64_t oc = p.weight.size(0), k = p.weight.size(2), pad = k / 2, s = p.stride;
        const int64_t oh = (in.h + 2 * pad - k) / s + 1, ow = (in.w + 2 * pad - k) / s + 1;
        const memory::desc weights({oc, in.c, k, k}, kF32, Tag::any), bias({oc}, kF32, Tag::x);
        const memory::desc anyDst({batch, oc, oh, ow}, kF32, Tag::any);
        const memory::dims strides{s, s}, padding{pad, pad};
        const auto describe = [&](dnnl::algorithm alg, const memory::desc &src, const memory::desc &dst, bool silu) {
            dnnl::post_ops ops;
            if (addUp)
                ops.append_sum(1.f);
            if (silu)
                ops.append_eltwise(1.f, dnnl::algorithm::eltwise_swish, 1.f, 0.f);
            dnnl::primitive_attr attr;
            attr.set_post_ops(ops);
            const dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, src, weights, bias, dst,
                                                    strides, padding, padding);
            return dnnl::convolution_forward::primitive_desc(d, attr, engine, true);
        };
        // The input as it lies first (every layer after the first gets its producer's layout);
        // oneDNN's layout of choice, through a reorder, only where no optimised conv reads it as it
        // is. Outputs go to the caller's plain tensors through a reorder: a conv writing plain NCHW
        // itself is oneDNN's reference loop (measured 40x slower than the reorder).
        const auto optimised = [](const dnnl::convolution_forward::primitive_desc &pd) {
            return pd && std::string_view(pd.impl_info_str()).substr(0, 3) != "ref";
        };
        const auto make = [&](dnnl::algorithm alg, bool silu) {
            auto pd = describe(alg, in.mem.get_desc(), anyDst, silu);
            if (!optimised(pd))
                pd = describe(alg, memory::desc({batch, in.c, in.h, in.w}, kF32, Tag::any), anyDst, silu);
            return pd;
        };
        bool winograd = false;
        dnnl::convolution_forward::primitive_desc pd;
        if (k == 3 && s == 1 && !addUp) {
            pd = make(dnnl::algorithm::convolution_winograd, false);
            winograd = bool(pd);
        }
        if (!pd)
            pd = make(dnnl::algorithm::convolution_direct, p.silu);
        if (!pd)
            throw dnnl::error(dnnl_unimplemented, "no convolution for this shape");
        this->winograd += winograd ? 1 : 0;

        const memory src = as(in.mem, pd.src_desc());
        // Weights and bias: reordered into the conv's layout once, here.
        torch::Tensor w = p.weight.to(torch::kFloat).contiguous(), b = p.bias.to(torch::kFloat).contiguous();
        memory plainW(memory::desc({oc, in.c, k, k}, kF32, Tag::oihw), engine, w.data_ptr<float>());
        memory W(pd.weights_desc(), engine);
        dnnl::reorder(plainW, W).execute(stream, plainW, W);
        stream.wait();
        biases.push_back(b);
        memory B(bias, engine, b.data_ptr<float>());

        memory D(pd.dst_desc(), engine);
        if (addUp) {
            const dnnl::resampling_forward::desc up(dnnl::prop_kind::forward_inference, dnnl::algorithm::resampling_nearest,
                                                    addUp->mem.get_desc(), D.get_desc());
            add(dnnl::resampling_forward({up, engine}), {{DNNL_ARG_SRC, addUp->mem}, {DNNL_ARG_DST, D}});
        }
        add(dnnl::convolution_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, W}, {DNNL_ARG_BIAS, B}, {DNNL_ARG_DST, D}});
        // Winograd takes no SiLU post-op: an in-place step follows it. Then the skip, in the
        // output's layout (a reorder of it where that differs).
        if (winograd && p.silu) {
            const dnnl::eltwise_forward::desc e(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_swish,
                                                D.get_desc(), 1.f, 0.f);
            add(dnnl::eltwise_forward({e, engine}), {{DNNL_ARG_SRC, D}, {DNNL_ARG_DST, D}});
        }
        if (skip) {
            const memory S = as(skip->mem, D.get_desc());
            const dnnl::binary::desc d(dnnl::algorithm::binary_add, D.get_desc(), D.get_desc(), D.get_desc());
            add(dnnl::binary({d, engine}), {{DNNL_ARG_SRC_0, D}, {DNNL_ARG_SRC_1, S}, {DNNL_ARG_DST, D}});
        }
        if (output)
            add(dnnl::reorder(D, *output), {{DNNL_ARG_FROM, D}, {DNNL_ARG_TO, *output}});
        return {output ? *output : D, oc, oh, ow};
    }

    Act stage(const Act &in, const DetectorPlanSpec::Stage &s)
    {
        const Act down = conv(in, s.down);
        return conv(conv(down, s.a), s.b, nullptr, nullptr, &down);
    }
};

std::shared_ptr<DetectorPlan::Graph> DetectorPlan::graphFor(const torch::Tensor &images, bool nhwc)
{
    const auto key = std::make_tuple(images.size(0), images.size(2), images.size(3), nhwc);
    if (auto found = m_graphs.find(key); found != m_graphs.end())
        return found->second;
    std::shared_ptr<Graph> g;
    try {
        g = std::make_shared<Graph>();
        const int64_t B = images.size(0), H = images.size(2), W = images.size(3);
        g->batch = B;
        g->input = memory(memory::desc({B, 3, H, W}, kF32, nhwc ? Tag::nhwc : Tag::nchw), g->engine, DNNL_MEMORY_NONE);
        const DetectorPlanSpec &s = m_spec;
        const Act x{g->input, 3, H, W};
        const Act f8 = g->stage(g->conv(g->conv(x, s.stem0), s.stem1), s.s8);
        const Act f16 = g->stage(f8, s.s16);
        const Act f32 = g->stage(f16, s.s32);
        // The light FPN: each lateral conv adds onto the level above, upsampled.
        const Act l32 = g->conv(f32, s.lat32);
        const Act p16 = g->conv(f16, s.lat16, &l32);
        const Act p8 = g->conv(f8, s.lat8, &p16);
        const Act p = g->conv(p8, s.neck);
        g->classes = s.clsOut.weight.size(0);
        g->outH = p.h;
        g->outW = p.w;
        g->heat = memory(memory::desc({B, g->classes, p.h, p.w}, kF32, Tag::nchw), g->engine, DNNL_MEMORY_NONE);
        g->sides = memory(memory::desc({B, 4, p.h, p.w}, kF32, Tag::nchw), g->engine, DNNL_MEMORY_NONE);
        g->conv(g->conv(p, s.clsTower), s.clsOut, nullptr, &g->heat);
        g->conv(g->conv(p, s.regTower), s.regOut, nullptr, &g->sides);
        m_winograd = std::max(m_winograd, g->winograd);
    } catch (const dnnl::error &e) {
        spdlog::warn("training.engine: no oneDNN graph for detector input {}x3x{}x{} ({}); libtorch's ops run instead",
                     images.size(0), images.size(2), images.size(3), e.what());
        g = nullptr;
    }
    if (m_graphs.size() >= 2)
        m_graphs.erase(m_graphs.begin());
    m_graphs[key] = g;
    return g;
}

std::optional<DetectorOutput> DetectorPlan::run(const torch::Tensor &images)
{
    std::lock_guard lock(m_mutex);
    const bool nhwc = images.is_contiguous(torch::MemoryFormat::ChannelsLast) && !images.is_contiguous();
    const std::shared_ptr<Graph> g = graphFor(images, nhwc);
    if (!g)
        return std::nullopt;
    const torch::Tensor x = nhwc ? images : images.contiguous();
    const int64_t B = images.size(0);
    torch::Tensor heat = torch::empty({B, g->classes, g->outH, g->outW}), sides = torch::empty({B, 4, g->outH, g->outW});
    g->input.set_data_handle(x.data_ptr());
    g->heat.set_data_handle(heat.data_ptr());
    g->sides.set_data_handle(sides.data_ptr());
    for (auto &[primitive, args] : g->steps)
        primitive.execute(g->stream, args);
    g->stream.wait();
    sides.clamp_(-6, 6).exp_().mul_(double(2 * m_spec.stride));
    return DetectorOutput{heat, sides};
}

#else // built without oneDNN's headers (scripts/device_check.sh): libtorch's ops run instead

struct DetectorPlan::Graph {};

std::shared_ptr<DetectorPlan::Graph> DetectorPlan::graphFor(const torch::Tensor &, bool) { return nullptr; }

std::optional<DetectorOutput> DetectorPlan::run(const torch::Tensor &) { return std::nullopt; }

#endif

DetectorPlan::DetectorPlan(DetectorPlanSpec spec) : m_spec(std::move(spec)) {}

DetectorPlan::~DetectorPlan() = default;

bool DetectorPlan::accepts(const torch::Tensor &images)
{
    return images.is_cpu() && images.scalar_type() == torch::kFloat && images.dim() == 4 && images.size(1) == 3 &&
           images.size(0) > 0 && images.size(2) > 0 && images.size(2) % 32 == 0 && images.size(3) > 0 &&
           images.size(3) % 32 == 0;
}

int DetectorPlan::winogradConvs() const
{
    std::lock_guard lock(m_mutex);
    return m_winograd;
}

int DetectorPlan::graphs() const
{
    std::lock_guard lock(m_mutex);
    return int(std::count_if(m_graphs.begin(), m_graphs.end(), [](const auto &entry) { return entry.second != nullptr; }));
}

} // namespace annotune::training::engine
