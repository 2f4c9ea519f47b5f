#include "detectorruntime.h"

#include <algorithm>
#include <cstring>

namespace annotune::training::engine {

torch::Tensor imageTensor(const std::vector<ImageSample> &samples, int64_t size, const torch::Device &device)
{
    const int64_t B = int64_t(samples.size()), pixels = size * size;
    const size_t plane = size_t(3 * pixels);
    if (device.is_cpu()) {
        // Channels-last, the layout the detector computes in on the CPU (see DetectorImpl::forward):
        // written here, on the thread that assembles batches, it costs the step nothing.
        torch::Tensor batch = torch::empty({B, 3, size, size}, torch::MemoryFormat::ChannelsLast);
        float *out = batch.data_ptr<float>();
        for (size_t i = 0; i < samples.size(); ++i) {
            const std::vector<float> &chw = samples[i].chw;
            float *hwc = out + i * plane;
            if (chw.size() < plane)
                std::fill(hwc, hwc + plane, 0.f);
            for (int64_t c = 0; c < 3; ++c)
                for (int64_t p = 0; p < pixels && size_t(c * pixels + p) < chw.size(); ++p)
                    hwc[p * 3 + c] = chw[size_t(c * pixels + p)];
        }
        return batch;
    }
    torch::Tensor batch = torch::empty({B, 3, size, size});
    float *out = batch.data_ptr<float>();
    for (size_t i = 0; i < samples.size(); ++i)
        std::memcpy(out + i * plane, samples[i].chw.data(), std::min(plane, samples[i].chw.size()) * sizeof(float));
    return batch.to(device);
}

DetectionBatch makeDetectionBatch(const std::vector<ImageSample> &samples, int64_t numClasses, int64_t size,
                                  const torch::Device &device)
{
    const DetectionTargets t = buildTargets(samples, numClasses, size);
    return {imageTensor(samples, size, device), {t.heatmap.to(device), t.boxes.to(device), t.weight.to(device)},
            int64_t(samples.size())};
}

bool cpuHasBfloat16()
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool has = __builtin_cpu_supports("avx512bf16");
    return has;
#else
    return false;
#endif
}

torch::ScalarType prepareForInference(torch::nn::Module &model, InferencePrecision precision)
{
    model.eval();
    auto *detector = dynamic_cast<DetectorImpl *>(&model);
    const bool onCpu = !model.parameters().empty() && model.parameters().front().is_cpu();
    const bool bfloat16 = precision == InferencePrecision::Auto && detector && onCpu && cpuHasBfloat16() &&
                          !detector->options().backbone();
    const torch::ScalarType dtype = bfloat16 ? torch::kBFloat16 : torch::kFloat;
    for (const std::shared_ptr<torch::nn::Module> &m : model.modules())
        if (auto *block = dynamic_cast<ConvBnActImpl *>(m.get()))
            block->foldBatchNorm(dtype);
    if (bfloat16)
        detector->computeInBfloat16();
    if (detector)
        detector->useInferencePlan(!bfloat16 && onCpu);
    // Channels-last conv weights make oneDNN's convolutions run in NHWC end to end (the activations
    // follow the weights' layout), which is faster on CPU than NCHW with its reorders.
    torch::NoGradGuard noGrad;
    for (torch::Tensor &p : model.parameters())
        if (p.dim() == 4)
            p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    return dtype;
}

} // namespace annotune::training::engine
