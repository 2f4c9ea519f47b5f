#include "detector.h"

#include "training/engine/activations.h"
#include "training/engine/backbone.h"
#include "training/engine/detectorplan.h"
#include "training/engine/winogradconv.h"

#include <algorithm>
#include <cmath>

namespace annotune::training::engine {

namespace F = torch::nn::functional;

ConvBnActImpl::ConvBnActImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride)
    : conv(register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                          .stride(stride).padding(kernel / 2).bias(false)))),
      bn(register_module("bn", torch::nn::BatchNorm2d(out)))
{
}

torch::Tensor ConvBnActImpl::forward(const torch::Tensor &x)
{
    const auto &o = conv->options;
    if (!m_foldedWeight.defined()) {
        // Training on the CPU: the 3x3 stride-1 convs as Winograd where it fits (winogradconv.h).
        if (is_training() && torch::GradMode::is_enabled() && o.kernel_size()->at(0) == 3 && o.stride()->at(0) == 1 &&
            winogradConvFits(x, conv->weight))
            return engine::batchNormSilu(winogradConv3x3(x, conv->weight), *bn);
        return engine::batchNormSilu(conv(x), *bn);
    }
    // Inference only: the activation may overwrite the conv's output. libtorch's in-place SiLU
    // measured faster here (on two threads, within the model) than engine::silu_.
    torch::Tensor y = F::conv2d(x, m_foldedWeight, F::Conv2dFuncOptions().bias(m_foldedBias).stride(o.stride()).padding(o.padding()));
    return torch::silu_(y);
}

PlanConv ConvBnActImpl::folded() const
{
    torch::NoGradGuard guard;
    const torch::Tensor scale = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
    return {conv->weight * scale.view({-1, 1, 1, 1}), bn->bias - bn->running_mean * scale, conv->options.stride()->at(0), true};
}

void ConvBnActImpl::foldBatchNorm(torch::ScalarType dtype)
{
    torch::NoGradGuard guard;
    const PlanConv f = folded();
    m_foldedWeight = f.weight.to(dtype).contiguous(torch::MemoryFormat::ChannelsLast);
    m_foldedBias = f.bias.to(dtype);
}

ResidualImpl::ResidualImpl(int64_t channels)
    : a(register_module("a", ConvBnAct(channels, channels, 3, 1))),
      b(register_module("b", ConvBnAct(channels, channels, 3, 1)))
{
}

// The sum goes into b's output (a fresh tensor that SiLU's backward does not need).
torch::Tensor ResidualImpl::forward(const torch::Tensor &x) { return b(a(x)).add_(x); }

DetectorImpl::DetectorImpl(const DetectorOptions &options) : m_options(options)
{
    const int64_t w = options.width();
    const int64_t c4 = 2 * w, c8 = 3 * w;
    int64_t c16 = 5 * w, c32 = 8 * w, in8 = c8;
    if (options.backbone()) {
        backbone = register_module("backbone", options.backbone());
        std::tie(in8, c16, c32) = std::tuple_cat(backbone->channels());
    } else {
        stem = register_module("stem", torch::nn::Sequential(ConvBnAct(3, w, 3, 2), ConvBnAct(w, c4, 3, 2)));
        stage8 = register_module("stage8", torch::nn::Sequential(ConvBnAct(c4, c8, 3, 2), Residual(c8)));
        stage16 = register_module("stage16", torch::nn::Sequential(ConvBnAct(c8, c16, 3, 2), Residual(c16)));
        stage32 = register_module("stage32", torch::nn::Sequential(ConvBnAct(c16, c32, 3, 2), Residual(c32)));
    }
    lat8 = register_module("lat8", torch::nn::Conv2d(torch::nn::Conv2dOptions(in8, c8, 1)));
    lat16 = register_module("lat16", torch::nn::Conv2d(torch::nn::Conv2dOptions(c16, c8, 1)));
    lat32 = register_module("lat32", torch::nn::Conv2d(torch::nn::Conv2dOptions(c32, c8, 1)));
    neck = register_module("neck", ConvBnAct(c8, c8, 3, 1));
    clsTower = register_module("cls_tower", ConvBnAct(c8, c8, 3, 1));
    regTower = register_module("reg_tower", ConvBnAct(c8, c8, 3, 1));
    clsOut = register_module("cls_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c8, options.numClasses(), 1)));
    regOut = register_module("reg_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c8, 4, 1)));
    torch::NoGradGuard guard;
    clsOut->bias.fill_(-2.19); // prior 0.1: the heatmap starts mostly empty
    regOut->bias.zero_();
}

DetectorOutput DetectorImpl::forward(const torch::Tensor &images)
{
    const auto up = [](const torch::Tensor &x, const torch::Tensor &like) {
        return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{like.size(2), like.size(3)})
                                     .mode(torch::kNearest));
    };
    if (m_plan && !is_training() && !torch::GradMode::is_enabled() && DetectorPlan::accepts(images))
        if (std::optional<DetectorOutput> out = m_plan->run(images))
            return *out;
    // On the CPU, oneDNN's convolutions (forward and backward) run fastest on NHWC activations;
    // from a channels-last input every layer keeps that layout, so nothing is reordered per call.
    torch::Tensor x = images.is_cpu() ? images.contiguous(torch::MemoryFormat::ChannelsLast) : images;
    if (m_bfloat16)
        x = x.to(torch::kBFloat16);
    torch::Tensor f8, f16, f32;
    if (backbone) {
        std::tie(f8, f16, f32) = std::tuple_cat(backbone->forward(x));
    } else {
        f8 = stage8->forward(stem->forward(x));
        f16 = stage16->forward(f8);
        f32 = stage32->forward(f16);
    }
    // Sums into the lateral convs' outputs (fresh tensors that the convs' backward does not need).
    torch::Tensor p = lat16(f16).add_(up(lat32(f32), f16));
    p = neck(lat8(f8).add_(up(p, f8)));
    const auto head = [this](const torch::Tensor &t) { return m_bfloat16 ? t.to(torch::kFloat) : t; };
    const torch::Tensor heat = clsOut(head(clsTower(p)));
    const torch::Tensor sides = torch::exp(regOut(head(regTower(p))).clamp(-6, 6)) * double(2 * kStride);
    return {heat, sides};
}

bool DetectorImpl::computeInBfloat16()
{
    if (backbone)
        return false;
    torch::NoGradGuard noGrad;
    for (torch::nn::Conv2d *lateral : {&lat8, &lat16, &lat32}) {
        (*lateral)->weight.set_data((*lateral)->weight.to(torch::kBFloat16));
        (*lateral)->bias.set_data((*lateral)->bias.to(torch::kBFloat16));
    }
    m_bfloat16 = true;
    return true;
}

bool DetectorImpl::useInferencePlan(bool on)
{
    m_plan = nullptr;
    if (!on || backbone || m_bfloat16 || !clsOut->weight.is_cpu())
        return false;
    const auto block = [](const torch::nn::Sequential &s, size_t i) -> const ConvBnActImpl & {
        return *s->ptr(i)->as<ConvBnActImpl>();
    };
    const auto stage = [&](const torch::nn::Sequential &s) {
        const ResidualImpl &r = *s->ptr(1)->as<ResidualImpl>();
        return DetectorPlanSpec::Stage{block(s, 0).folded(), r.first().folded(), r.second().folded()};
    };
    const auto plain = [](const torch::nn::Conv2d &c) {
        return PlanConv{c->weight.detach(), c->bias.detach(), c->options.stride()->at(0), false};
    };
    DetectorPlanSpec spec;
    spec.stem0 = block(stem, 0).folded();
    spec.stem1 = block(stem, 1).folded();
    spec.s8 = stage(stage8);
    spec.s16 = stage(stage16);
    spec.s32 = stage(stage32);
    spec.lat8 = plain(lat8);
    spec.lat16 = plain(lat16);
    spec.lat32 = plain(lat32);
    spec.neck = neck->folded();
    spec.clsTower = clsTower->folded();
    spec.regTower = regTower->folded();
    spec.clsOut = plain(clsOut);
    spec.regOut = plain(regOut);
    spec.stride = kStride;
    m_plan = std::make_shared<DetectorPlan>(std::move(spec));
    return true;
}

namespace {

// Writes one box's Gaussian into the class heatmap and its side targets where it is the smallest box.
void drawBox(const LabelBox &b, int64_t H, int64_t W, float *heat, float *boxes, float *weight, float *areaOf)
{
    const float s = float(DetectorImpl::kStride);
    const float cx = (b.x0 + b.x1) / 2 / s, cy = (b.y0 + b.y1) / 2 / s;
    const float sx = std::max(0.5f, 0.8f * (b.x1 - b.x0) / s / 6), sy = std::max(0.5f, 0.8f * (b.y1 - b.y0) / s / 6);
    const int64_t ci = std::clamp<int64_t>(int64_t(cx), 0, W - 1), cj = std::clamp<int64_t>(int64_t(cy), 0, H - 1);
    const float area = (b.x1 - b.x0) * (b.y1 - b.y0);
    for (int64_t y = std::max<int64_t>(0, int64_t(b.y0 / s)); y < std::min<int64_t>(H, int64_t(b.y1 / s) + 1); ++y)
        for (int64_t x = std::max<int64_t>(0, int64_t(b.x0 / s)); x < std::min<int64_t>(W, int64_t(b.x1 / s) + 1); ++x) {
            const float dx = (x + 0.5f - cx) / sx, dy = (y + 0.5f - cy) / sy;
            const float g = (x == ci && y == cj) ? 1.f : std::exp(-0.5f * (dx * dx + dy * dy));
            const int64_t at = y * W + x;
            heat[b.cls * H * W + at] = std::max(heat[b.cls * H * W + at], g);
            if (g < 0.1f || (weight[at] > 0 && areaOf[at] < area))
                continue;
            weight[at] = g;
            areaOf[at] = area;
            const float v[4] = {b.x0, b.y0, b.x1, b.y1};
            for (int k = 0; k < 4; ++k)
                boxes[k * H * W + at] = v[k];
        }
}

// Boxes from sides at every cell: [B, 4, H, W] x0, y0, x1, y1.
torch::Tensor sidesToBoxes(const torch::Tensor &sides)
{
    const int64_t H = sides.size(2), W = sides.size(3);
    const double s = double(DetectorImpl::kStride);
    const auto opts = sides.options();
    const torch::Tensor xs = (torch::arange(W, opts) + 0.5) * s, ys = (torch::arange(H, opts) + 0.5) * s;
    const torch::Tensor cx = xs.view({1, 1, W}).expand({1, H, W}), cy = ys.view({1, H, 1}).expand({1, H, W});
    return torch::stack({cx - sides.select(1, 0), cy - sides.select(1, 1), cx + sides.select(1, 2), cy + sides.select(1, 3)}, 1);
}

} // namespace

DetectionTargets buildTargets(const std::vector<ImageSample> &samples, int64_t numClasses, int64_t size)
{
    const int64_t B = int64_t(samples.size()), H = size / DetectorImpl::kStride, W = H;
    torch::Tensor heat = torch::zeros({B, numClasses, H, W}), boxes = torch::zeros({B, 4, H, W});
    torch::Tensor weight = torch::zeros({B, H, W}), area = torch::zeros({H, W});
    for (int64_t i = 0; i < B; ++i) {
        area.zero_();
        for (const LabelBox &b : samples[size_t(i)].boxes)
            drawBox(b, H, W, heat[i].data_ptr<float>(), boxes[i].data_ptr<float>(), weight[i].data_ptr<float>(),
                    area.data_ptr<float>());
    }
    return {heat, boxes, weight};
}

std::array<torch::Tensor, 3> detectionLoss(const DetectorOutput &out, const DetectionTargets &t)
{
    const torch::Tensor logits = out.heatmap.to(torch::kFloat);
    const torch::Tensor p = torch::sigmoid(logits).clamp(1e-4, 1 - 1e-4);
    const torch::Tensor pos = t.heatmap.eq(1).to(torch::kFloat);
    const torch::Tensor posLoss = -torch::log(p) * (1 - p).pow(2) * pos;
    const torch::Tensor negLoss = -torch::log(1 - p) * p.pow(2) * (1 - t.heatmap).pow(4) * (1 - pos);
    const torch::Tensor focal = (posLoss.sum() + negLoss.sum()) / pos.sum().clamp_min(1);

    const torch::Tensor pred = sidesToBoxes(out.sides.to(torch::kFloat));
    const auto c = [](const torch::Tensor &b, int k) { return b.select(1, k); };
    const torch::Tensor ix0 = torch::max(c(pred, 0), c(t.boxes, 0)), iy0 = torch::max(c(pred, 1), c(t.boxes, 1));
    const torch::Tensor ix1 = torch::min(c(pred, 2), c(t.boxes, 2)), iy1 = torch::min(c(pred, 3), c(t.boxes, 3));
    const torch::Tensor inter = (ix1 - ix0).clamp_min(0) * (iy1 - iy0).clamp_min(0);
    const torch::Tensor ap = (c(pred, 2) - c(pred, 0)) * (c(pred, 3) - c(pred, 1));
    const torch::Tensor at = (c(t.boxes, 2) - c(t.boxes, 0)) * (c(t.boxes, 3) - c(t.boxes, 1));
    const torch::Tensor uni = ap + at - inter + 1e-6;
    const torch::Tensor hull = (torch::max(c(pred, 2), c(t.boxes, 2)) - torch::min(c(pred, 0), c(t.boxes, 0))) *
                               (torch::max(c(pred, 3), c(t.boxes, 3)) - torch::min(c(pred, 1), c(t.boxes, 1))) + 1e-6;
    const torch::Tensor giou = inter / uni - (hull - uni) / hull;
    const torch::Tensor giouLoss = ((1 - giou) * t.weight).sum() / t.weight.sum().clamp_min(1e-6);
    return {focal + 2 * giouLoss, focal, giouLoss};
}

float boxIou(const Detection &a, const Detection &b)
{
    const float iw = std::min(a.x1, b.x1) - std::max(a.x0, b.x0), ih = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
    if (iw <= 0 || ih <= 0)
        return 0;
    const float inter = iw * ih;
    return inter / ((a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter);
}

std::vector<Detection> nms(std::vector<Detection> dets, float iou)
{
    std::stable_sort(dets.begin(), dets.end(), [](const Detection &a, const Detection &b) { return a.score > b.score; });
    std::vector<Detection> kept;
    for (const Detection &d : dets) {
        const bool suppressed = std::any_of(kept.begin(), kept.end(),
                                            [&](const Detection &k) { return k.cls == d.cls && boxIou(k, d) > iou; });
        if (!suppressed)
            kept.push_back(d);
    }
    return kept;
}

std::vector<std::vector<Detection>> decode(const DetectorOutput &out, float minScore, float iou, int topK)
{
    const torch::Tensor heat = torch::sigmoid(out.heatmap.to(torch::kFloat)).cpu().contiguous(); // channels-last at inference
    const torch::Tensor peaks = heat * (F::max_pool2d(heat, F::MaxPool2dFuncOptions(3).stride(1).padding(1)) == heat);
    const torch::Tensor boxes = sidesToBoxes(out.sides.to(torch::kFloat).cpu());
    const int64_t B = heat.size(0), C = heat.size(1), H = heat.size(2), W = heat.size(3);
    const int64_t k = std::min<int64_t>(topK, C * H * W);
    const auto [scores, index] = peaks.view({B, -1}).topk(k, 1);
    std::vector<std::vector<Detection>> result(static_cast<size_t>(B));
    for (int64_t b = 0; b < B; ++b) {
        const torch::Tensor scoresB = scores[b].contiguous(), indexB = index[b].contiguous(), boxesB = boxes[b].contiguous();
        const auto sc = scoresB.accessor<float, 1>();
        const auto ix = indexB.accessor<int64_t, 1>();
        const auto bx = boxesB.accessor<float, 3>();
        std::vector<Detection> dets;
        for (int64_t i = 0; i < k && sc[i] >= minScore; ++i) {
            const int64_t cls = ix[i] / (H * W), cell = ix[i] % (H * W), row = cell / W, col = cell % W;
            dets.push_back({bx[0][row][col], bx[1][row][col], bx[2][row][col], bx[3][row][col], sc[i], int(cls)});
        }
        result[size_t(b)] = nms(std::move(dets), iou);
    }
    return result;
}

} // namespace annotune::training::engine
