// The engine's models on a compute device: trains the detector and the extraction model (with and
// without LoRA adapters) for some steps on a fixed synthetic batch on --device (cpu or cuda) the way
// the tasks do (bfloat16 autocast on CUDA, the shared update step), then checks that the losses are
// finite and fall, that inference on the device equals inference on the CPU with the same weights,
// and that decoding works on the device's outputs. Prints what it measured; exit status 0 only when
// every check holds, 2 when the device is not there.
//
// CTest runs it on the CPU. scripts/device_check.sh builds it against another libtorch (an official
// CUDA build) from the torch-only sources and runs it on a GPU.

#include "training/engine/detectorruntime.h"
#include "training/engine/extractor.h"
#include "training/engine/fusedadamw.h"
#include "training/engine/trainer.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>

using namespace annotune::training::engine;

namespace {

int g_failures = 0;

void check(bool ok, const char *what, const std::string &detail)
{
    std::printf("  %-52s %s  %s\n", what, ok ? "ok  " : "FAIL", detail.c_str());
    if (!ok)
        ++g_failures;
}

std::string fmt(const char *format, double a, double b = 0, double c = 0)
{
    char text[160];
    std::snprintf(text, sizeof text, format, a, b, c);
    return text;
}

// Images with one to three filled rectangles each (class 0 light, class 1 dark) on a mid-grey ground.
std::vector<ImageSample> shapeSamples(int count, int size, std::mt19937 &rng)
{
    std::vector<ImageSample> samples(static_cast<size_t>(count));
    std::uniform_int_distribution<int> side(size / 8, size / 3), shapes(1, 3), cls(0, 1);
    const size_t plane = size_t(size) * size_t(size);
    for (ImageSample &s : samples) {
        s.chw.assign(3 * plane, 0.0f);
        for (int k = shapes(rng); k > 0; --k) {
            const int w = side(rng), h = side(rng);
            const int x = std::uniform_int_distribution<int>(0, size - w - 1)(rng);
            const int y = std::uniform_int_distribution<int>(0, size - h - 1)(rng);
            const int c = cls(rng);
            for (int ch = 0; ch < 3; ++ch)
                for (int row = y; row < y + h; ++row)
                    for (int col = x; col < x + w; ++col)
                        s.chw[size_t(ch) * plane + size_t(row) * size_t(size) + size_t(col)] = c == 0 ? 1.5f : -1.5f;
            s.boxes.push_back({float(x), float(y), float(x + w), float(y + h), c});
        }
    }
    return samples;
}

// Pages of words whose n-grams say what they are: a key word ("total") followed by a value, the
// rest filler; tags B-0 on the value after the key, O elsewhere.
std::vector<PageFeatures> synthPages(int count, int words, std::mt19937 &rng)
{
    std::vector<PageFeatures> pages(static_cast<size_t>(count));
    std::uniform_int_distribution<int64_t> filler(100, 4000), pos(0, kPositionBins - 8);
    for (PageFeatures &p : pages) {
        const int key = std::uniform_int_distribution<int>(0, words - 2)(rng);
        for (int w = 0; w < words; ++w) {
            p.offsets.push_back(int64_t(p.ngrams.size()));
            const int64_t id = w == key ? 7 : (w == key + 1 ? 11 + (filler(rng) % 5) : filler(rng));
            for (int g = 0; g < 3; ++g)
                p.ngrams.push_back((id * 31 + g) % 8192);
            p.contextOffsets.push_back(int64_t(p.context.size()));
            p.context.push_back(w > 0 && w - 1 == key ? 7 : (id * 17) % 8192);
            p.wordHash.push_back(id % kWordTargets);
            const int64_t x = pos(rng), y = pos(rng);
            p.boxes.insert(p.boxes.end(), {x, y, x + 6, y + 2});
            p.tags.push_back(w == key + 1 ? 1 : 0);
            p.wordIds.push_back(w + 1);
        }
    }
    return pages;
}

template<typename Module>
void copyWeights(Module &from, Module &to)
{
    std::stringstream buffer;
    torch::save(from, buffer);
    torch::load(to, buffer, torch::kCPU);
}

double relativeDifference(const torch::Tensor &device, const torch::Tensor &cpu)
{
    const torch::Tensor a = device.to(torch::kCPU, torch::kFloat), b = cpu.to(torch::kFloat);
    return (a - b).abs().max().item<double>() / std::max(1e-6, b.abs().max().item<double>());
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One training step as the tasks make it: the forward pass under autocast (CUDA), then the update
// (the trainer's optimizer: its fused pass on the CPU, AdamW's own step elsewhere).
template<typename LossFn>
double trainStep(torch::nn::Module &model, torch::optim::Optimizer &optimizer, const torch::Device &device, LossFn &&loss)
{
    optimizer.zero_grad();
    torch::Tensor value;
    {
        AutocastScope autocast(device.is_cuda());
        value = loss();
    }
    return applyGradients(value, model, optimizer);
}

// Steps of the shared update on one batch; returns the losses of the first and the last step.
template<typename LossFn>
std::pair<double, double> train(torch::nn::Module &model, const torch::Device &device, int steps, double lr, LossFn &&loss,
                                double &msPerStep)
{
    FusedAdamW optimizer(model.parameters(), torch::optim::AdamWOptions(lr).weight_decay(0.01));
    model.train();
    double first = 0, last = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int step = 0; step < steps; ++step) {
        if (step == 2)
            t0 = std::chrono::steady_clock::now(); // leave out the first steps' set-up
        const double v = trainStep(model, optimizer, device, loss);
        if (!std::isfinite(v))
            return {v, v};
        (step == 0 ? first : last) = v;
    }
    msPerStep = 1000 * seconds(t0) / std::max(1, steps - 2);
    return {first, last};
}

void checkDetector(const torch::Device &device, int steps)
{
    std::printf("detector\n");
    std::mt19937 rng(7);
    constexpr int kSize = 128, kClasses = 2;
    const std::vector<ImageSample> samples = shapeSamples(8, kSize, rng);
    const DetectionBatch batch = makeDetectionBatch(samples, kClasses, kSize, device);
    check(batch.images.device().type() == device.type() && batch.targets.heatmap.device().type() == device.type(),
          "batch on the device", batch.images.device().str());

    torch::manual_seed(3);
    Detector model(DetectorOptions(kClasses).width(16));
    model->to(device);
    double ms = 0;
    const auto [first, last] = train(*model, device, steps, 2e-3, [&] { return detectionLoss(model->forward(batch.images), batch.targets)[0]; }, ms);
    check(std::isfinite(first) && std::isfinite(last), "training losses finite", fmt("first %.4f last %.4f", first, last));
    check(last < 0.7 * first, "training loss falls on a fixed batch", fmt("%.4f -> %.4f (%.1f ms/step)", first, last, ms));

    Detector cpuModel(DetectorOptions(kClasses).width(16));
    copyWeights(model, cpuModel);
    prepareForInference(*model);
    prepareForInference(*cpuModel);
    c10::InferenceMode inference;
    const DetectorOutput onDevice = model->forward(batch.images);
    const DetectorOutput onCpu = cpuModel->forward(batch.images.to(torch::kCPU));
    const double heatDiff = relativeDifference(onDevice.heatmap, onCpu.heatmap);
    const double sideDiff = relativeDifference(onDevice.sides, onCpu.sides);
    // TF32 convolutions on recent GPUs round inputs to 10 bits of mantissa.
    check(heatDiff < 2e-2 && sideDiff < 2e-2, "inference equals the CPU's", fmt("relative max diff heatmap %.2e sides %.2e", heatDiff, sideDiff));
    const auto detsDevice = decode(onDevice, 0.05f), detsCpu = decode(onCpu, 0.05f);
    size_t nDevice = 0, nCpu = 0, matched = 0;
    for (size_t b = 0; b < detsDevice.size(); ++b) {
        nDevice += detsDevice[b].size();
        nCpu += detsCpu[b].size();
        for (const Detection &d : detsDevice[b])
            for (const Detection &c : detsCpu[b])
                if (d.cls == c.cls && boxIou(d, c) > 0.9f) {
                    ++matched;
                    break;
                }
    }
    check(nDevice > 0 && matched + 1 >= std::max(nDevice, nCpu), "decoded detections match the CPU's",
          fmt("%.0f on the device, %.0f on the CPU, %.0f matched", double(nDevice), double(nCpu), double(matched)));
    {
        AutocastScope autocast(device.is_cuda());
        const DetectorOutput mixed = model->forward(batch.images);
        const double diff = relativeDifference(mixed.heatmap, onCpu.heatmap);
        check(std::isfinite(diff) && diff < 0.1, "mixed-precision inference close to fp32", fmt("relative max diff %.2e", diff));
    }
}

void checkExtractor(const torch::Device &device, int steps, int64_t loraRank)
{
    std::printf("extractor%s\n", loraRank > 0 ? ", LoRA adapters only" : "");
    std::mt19937 rng(11);
    const std::vector<PageFeatures> pages = synthPages(8, 40, rng);
    std::vector<const PageFeatures *> pointers;
    for (const PageFeatures &p : pages)
        pointers.push_back(&p);
    const PageBatch batch = makeBatch(pointers, device);
    const auto options = [&](int64_t rank) { return ExtractorOptions(1).dim(64).layers(2).heads(4).dropout(0).loraRank(rank); };

    torch::manual_seed(5);
    Extractor model(options(loraRank));
    model->to(device);
    if (loraRank > 0) {
        // Adapters only: the base stays as it is (LoRA fine-tuning of an earlier model).
        std::vector<torch::Tensor> before;
        for (const auto &p : model->named_parameters())
            if (p.key().find("lora") == std::string::npos) {
                p.value().set_requires_grad(false);
                before.push_back(p.value().detach().clone());
            }
        double ms = 0;
        const auto [first, last] = train(*model, device, steps, 5e-3, [&] { return tagLoss(model, batch); }, ms);
        check(std::isfinite(last) && last < first, "adapter training loss falls", fmt("%.4f -> %.4f (%.1f ms/step)", first, last, ms));
        size_t i = 0;
        bool same = true;
        for (const auto &p : model->named_parameters())
            if (p.key().find("lora") == std::string::npos)
                same = same && torch::equal(p.value().detach(), before[i++]);
        check(same, "base weights unchanged by adapter training", "");
        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor withAdapters = model->tagLogits(model->encode(batch));
        for (const auto &m : model->modules())
            if (auto *linear = dynamic_cast<LoraLinearImpl *>(m.get()))
                linear->merge();
        const double diff = relativeDifference(model->tagLogits(model->encode(batch)), withAdapters.cpu());
        check(diff < 1e-3, "merged adapters give the same outputs", fmt("relative max diff %.2e", diff));
        return;
    }
    double ms = 0;
    const auto [first, last] = train(*model, device, steps, 3e-3, [&] { return tagLoss(model, batch); }, ms);
    check(std::isfinite(first) && std::isfinite(last), "training losses finite", fmt("first %.4f last %.4f", first, last));
    check(last < 0.5 * first, "training loss falls on a fixed batch", fmt("%.4f -> %.4f (%.1f ms/step)", first, last, ms));

    Extractor cpuModel(options(0));
    copyWeights(model, cpuModel);
    const auto onDevice = predictTagProbs(model, pointers, device);
    const auto onCpu = predictTagProbs(cpuModel, pointers, torch::kCPU);
    double worst = 0;
    size_t agree = 0, words = 0;
    for (size_t p = 0; p < onDevice.size(); ++p) {
        for (size_t i = 0; i < onDevice[p].size(); ++i)
            worst = std::max(worst, double(std::abs(onDevice[p][i] - onCpu[p][i])));
        const size_t tags = 3;
        for (size_t w = 0; w * tags < onDevice[p].size(); ++w, ++words) {
            const float *a = &onDevice[p][w * tags], *b = &onCpu[p][w * tags];
            agree += std::max_element(a, a + tags) - a == std::max_element(b, b + tags) - b;
        }
    }
    check(worst < 1e-2, "tag probabilities equal the CPU's", fmt("max abs diff %.2e", worst));
    check(words > 0 && agree == words, "same tag for every word", fmt("%.0f of %.0f words", double(agree), double(words)));
    size_t right = 0, fields = 0;
    for (size_t p = 0; p < pages.size(); ++p)
        for (const FieldSpan &span : decodeSpans(onDevice[p].data(), pages[p].count(), 3, {true})) {
            ++fields;
            right += span.words.size() == 1 && pages[p].tags[size_t(span.words[0])] == 1;
        }
    check(right == pages.size(), "decoded field values right", fmt("%.0f right of %.0f pages (%.0f spans)", double(right), double(pages.size()), double(fields)));
}

// Items per second of training steps and of inference at the default (balanced) presets' sizes.
void throughput(const torch::Device &device, int steps)
{
    std::printf("throughput at the balanced presets' sizes (fastest of %d timed steps)\n", steps);
    const auto fastest = [&](auto &&fn) {
        double best = 1e9;
        for (int i = 0; i < steps + 2; ++i) {
            if (device.is_cuda())
                torch::cuda::synchronize();
            const auto t0 = std::chrono::steady_clock::now();
            fn();
            if (device.is_cuda())
                torch::cuda::synchronize();
            if (i >= 2)
                best = std::min(best, seconds(t0));
        }
        return best;
    };
    std::mt19937 rng(13);
    for (const int batchSize : {8, 64}) {
        const std::vector<ImageSample> samples = shapeSamples(batchSize, 320, rng);
        const DetectionBatch batch = makeDetectionBatch(samples, 2, 320, device);
        torch::manual_seed(3);
        Detector model(DetectorOptions(2).width(24));
        model->to(device);
        FusedAdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-3));
        const double train = fastest([&] {
            trainStep(*model, optimizer, device, [&] { return detectionLoss(model->forward(batch.images), batch.targets)[0]; });
        });
        prepareForInference(*model);
        c10::InferenceMode inference;
        const double infer = fastest([&] { decode(model->forward(batch.images), 0.25f); });
        std::printf("  detector 320 px, batch %2d: train %8.1f images/s, inference with decoding %8.1f images/s\n", batchSize,
                    batchSize / train, batchSize / infer);
    }
    for (const int batchSize : {8, 64}) {
        const std::vector<PageFeatures> pages = synthPages(batchSize, 200, rng);
        std::vector<const PageFeatures *> pointers;
        for (const PageFeatures &p : pages)
            pointers.push_back(&p);
        const PageBatch batch = makeBatch(pointers, device);
        torch::manual_seed(5);
        Extractor model(ExtractorOptions(1).dim(96).layers(3).heads(4).buckets(16384));
        model->to(device);
        FusedAdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-3));
        const double train = fastest([&] { trainStep(*model, optimizer, device, [&] { return tagLoss(model, batch); }); });
        const double infer = fastest([&] { predictTagProbs(model, pointers, device); });
        std::printf("  extractor 200 words, batch %2d: train %8.1f pages/s, inference %8.1f pages/s\n", batchSize, batchSize / train,
                    batchSize / infer);
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::string deviceName = "cpu";
    int steps = 60;
    bool speed = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--device") && i + 1 < argc)
            deviceName = argv[++i];
        else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc)
            steps = std::max(4, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--throughput"))
            speed = true;
        else {
            std::fprintf(stderr, "usage: %s [--device cpu|cuda] [--steps N] [--throughput]\n", argv[0]);
            return 1;
        }
    }
    if (deviceName != "cpu" && deviceName != "cuda") {
        std::fprintf(stderr, "--device: %s is not cpu or cuda\n", deviceName.c_str());
        return 1;
    }
    if (deviceName == "cuda" && !torch::cuda::is_available()) {
        std::fprintf(stderr, "no CUDA device: this libtorch has %s, %d devices\n", torch::cuda::is_available() ? "CUDA" : "no CUDA",
                     int(torch::cuda::device_count()));
        return 2;
    }
    const torch::Device device(deviceName == "cuda" ? torch::kCUDA : torch::kCPU);
    std::printf("libtorch %s, device %s (%d CUDA devices), %d CPU threads, %d steps\n", TORCH_VERSION, deviceName.c_str(),
                int(torch::cuda::device_count()), torch::get_num_threads(), steps);
    try {
        checkDetector(device, steps);
        checkExtractor(device, steps, 0);
        checkExtractor(device, steps, 4);
        if (speed)
            throughput(device, 5);
    } catch (const std::exception &e) {
        std::printf("error: %s\n", e.what());
        return 1;
    }
    if (g_failures)
        std::printf("%d checks failed\n", g_failures);
    else
        std::printf("every check held\n");
    return g_failures ? 1 : 0;
}
