// The engine's models from the inside (this test links torch itself): LoRA fine-tuning moves only
// the adapters and the tag head, merging adapters keeps the outputs, the extractor's eval form
// matches its training form, the fused AdamW step follows torch's, the SiLU and GELU kernels give
// torch's values and gradients; the detector's shapes, NMS
// and the private AP50.

#include "training/engine/activations.h"
#include "training/engine/apmetric.h"
#include "training/engine/detector.h"
#include "training/engine/detectorplan.h"
#include "training/engine/detectorruntime.h"
#include "training/engine/extractor.h"
#include "training/engine/fusedadamw.h"
#include "training/engine/inferencelinear.h"
#include "training/engine/winogradconv.h"
#include "training/engine/modelfile.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::training::engine;

namespace {

PageFeatures page(int n)
{
    PageFeatures f;
    for (int w = 0; w < 5 + n; ++w) {
        f.offsets.push_back(int64_t(f.ngrams.size()));
        f.ngrams.insert(f.ngrams.end(), {int64_t((w * 7 + n) % 200), int64_t((w * 13) % 200)});
        f.wordHash.push_back(w % 50);
        f.boxes.insert(f.boxes.end(), {w * 3, n, w * 3 + 2, n + 1});
        f.tags.push_back(w == 2 ? 1 : 0);
        f.wordIds.push_back(w);
        f.texts.push_back(QString::number(w));
    }
    return f;
}

// to's parameters and buffers (BatchNorm statistics) made from's.
void copyState(torch::nn::Module &from, torch::nn::Module &to)
{
    torch::NoGradGuard guard;
    const auto params = to.named_parameters(), buffers = to.named_buffers();
    for (const auto &item : from.named_parameters())
        params[item.key()].copy_(item.value());
    for (const auto &item : from.named_buffers())
        buffers[item.key()].copy_(item.value());
}

// The same detections, in any order (an untrained model's scores tie to the 5th digit): each of a
// has one of b with its class, and its box and score within tolerance.
bool sameDetections(const std::vector<Detection> &a, const std::vector<Detection> &b, float tolerance)
{
    const auto close = [tolerance](const Detection &x, const Detection &y) {
        return x.cls == y.cls && std::abs(x.score - y.score) < tolerance && std::abs(x.x0 - y.x0) < tolerance &&
               std::abs(x.y0 - y.y0) < tolerance && std::abs(x.x1 - y.x1) < tolerance && std::abs(x.y1 - y.y1) < tolerance;
    };
    return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&](const Detection &x) {
               return std::any_of(b.begin(), b.end(), [&](const Detection &y) { return close(x, y); });
           });
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Values and gradients against torch's own functions, over the whole float range that matters
    // (tails included), on contiguous, channels-last and odd-sized tensors and a strided view.
    // The fused BatchNorm and SiLU of training against torch's BatchNorm2d then SiLU: outputs,
    // gradients of the input, weight and bias, and the running statistics afterwards.
    void batchNormSiluMatchesTorch()
    {
        for (const int64_t channels : {24, 13}) {
            torch::manual_seed(5);
            torch::nn::BatchNorm2d ours(channels), theirs(channels);
            {
                torch::NoGradGuard noGrad;
                ours->weight.uniform_(0.5, 1.5);
                ours->bias.uniform_(-0.5, 0.5);
                theirs->weight.copy_(ours->weight);
                theirs->bias.copy_(ours->bias);
            }
            const torch::Tensor input = (torch::randn({4, channels, 9, 11}) * 3 + 1).contiguous(torch::MemoryFormat::ChannelsLast);
            const torch::Tensor a = input.clone().requires_grad_(), b = input.clone().requires_grad_();
            const torch::Tensor ya = annotune::training::engine::batchNormSilu(a, *ours), yb = torch::silu(theirs(b));
            QVERIFY(torch::allclose(ya, yb, 1e-5, 1e-5));
            const torch::Tensor g = torch::randn(ya.sizes());
            ya.backward(g);
            yb.backward(g);
            QVERIFY(torch::allclose(a.grad(), b.grad(), 1e-4, 1e-5));
            QVERIFY(torch::allclose(ours->weight.grad(), theirs->weight.grad(), 1e-4, 1e-4));
            QVERIFY(torch::allclose(ours->bias.grad(), theirs->bias.grad(), 1e-4, 1e-4));
            QVERIFY(torch::allclose(ours->running_mean, theirs->running_mean, 1e-5, 1e-6));
            QVERIFY(torch::allclose(ours->running_var, theirs->running_var, 1e-5, 1e-6));
            QCOMPARE(ours->num_batches_tracked.item<int64_t>(), theirs->num_batches_tracked.item<int64_t>());
            // Eval mode uses the running statistics, as torch does.
            ours->eval();
            theirs->eval();
            torch::NoGradGuard noGrad;
            QVERIFY(torch::allclose(annotune::training::engine::batchNormSilu(input, *ours), torch::silu(theirs(input)), 1e-5, 1e-5));
        }
    }

    void activationsMatchTorch()
    {
        torch::manual_seed(11);
        const torch::Tensor wide = torch::cat({torch::linspace(-100, 100, 4001), torch::randn({5003}) * 4});
        const std::vector<torch::Tensor> inputs = {wide, torch::randn({3, 5, 7, 9}).contiguous(torch::MemoryFormat::ChannelsLast),
                                                   torch::randn({6, 40}).t(), torch::randn({6, 40}).slice(1, 0, 40, 3)};
        using Fn = torch::Tensor (*)(const torch::Tensor &);
        const std::vector<std::tuple<const char *, Fn, Fn>> functions = {
            {"silu", [](const torch::Tensor &x) { return annotune::training::engine::silu(x); }, [](const torch::Tensor &x) { return torch::silu(x); }},
            {"gelu", [](const torch::Tensor &x) { return annotune::training::engine::gelu(x); }, [](const torch::Tensor &x) { return torch::gelu(x); }}};
        for (const auto &[name, ours, theirs] : functions)
            for (const torch::Tensor &input : inputs) {
                const torch::Tensor a = input.detach().clone().requires_grad_(), b = input.detach().clone().requires_grad_();
                const torch::Tensor ya = ours(a), yb = theirs(b);
                QCOMPARE(ya.sizes(), yb.sizes());
                QVERIFY2(torch::allclose(ya, yb, 2e-6, 2e-6), name);
                const torch::Tensor g = torch::randn(ya.sizes());
                ya.backward(g);
                yb.backward(g);
                QVERIFY2(torch::allclose(a.grad(), b.grad(), 2e-6, 2e-6), name);
                if (input.is_contiguous(torch::MemoryFormat::ChannelsLast) && input.dim() == 4)
                    QVERIFY(ya.is_contiguous(torch::MemoryFormat::ChannelsLast)); // the layout is kept
            }
        torch::Tensor x = torch::randn({1000});
        const torch::Tensor expected = torch::silu(x);
        QCOMPARE(&annotune::training::engine::silu_(x), &x);
        QVERIFY(torch::allclose(x, expected, 2e-6, 2e-6));
        // Softmax over the last dimension, in place, including rows of odd length and large values.
        for (const int64_t n : {1, 7, 8, 200}) {
            torch::Tensor scores = torch::randn({5, n}) * 30;
            const torch::Tensor reference = torch::softmax(scores, -1);
            torch::NoGradGuard noGrad;
            QVERIFY(torch::allclose(annotune::training::engine::softmaxLastDim_(scores), reference, 1e-5, 1e-6));
        }
        {
            torch::Tensor rows = torch::randn({6, 13}) * 10;
            const torch::Tensor reference = torch::softmax(rows, -1);
            annotune::training::engine::softmaxRows(rows.data_ptr<float>(), 6, 13);
            QVERIFY(torch::allclose(rows, reference, 1e-5, 1e-6));
        }
        // LayerNorm over the last dimension, rows of odd and vector widths, an offset and a scale
        // that are not the identity; with autograd on, the module's own path (gradients flow).
        for (const int64_t n : {5, 16, 96, 100}) {
            torch::nn::LayerNorm ln(torch::nn::LayerNormOptions({n}));
            {
                torch::NoGradGuard noGrad;
                ln->weight.normal_(1, 0.3);
                ln->bias.normal_(0, 0.3);
            }
            const torch::Tensor rows = torch::randn({3, 7, n}) * 4 + 2;
            const torch::Tensor reference = ln->forward(rows);
            torch::NoGradGuard noGrad;
            QVERIFY2(torch::allclose(annotune::training::engine::layerNorm(rows, *ln), reference, 1e-5, 1e-5), qPrintable(QString::number(n)));
        }
        {
            torch::nn::LayerNorm ln(torch::nn::LayerNormOptions({8}));
            annotune::training::engine::layerNorm(torch::randn({4, 8}), *ln).sum().backward();
            QVERIFY(ln->weight.grad().defined());
        }
        // Other dtypes take torch's path.
        const torch::Tensor d = torch::randn({64}, torch::kDouble);
        QVERIFY(torch::equal(annotune::training::engine::gelu(d), torch::gelu(d)));
        qInfo("AVX2 kernels %s", annotune::training::engine::fastActivations() ? "in use" : "not available: torch's functions ran");
    }

    void loraTrainsOnlyAdaptersAndMergesToTheSameOutputs()
    {
        torch::manual_seed(3);
        Extractor model(ExtractorOptions(2).dim(16).layers(1).heads(2).buckets(256).loraRank(4).loraTargets({"q", "v", "ff1"}));
        const PageFeatures a = page(0), b = page(3);
        const PageBatch batch = makeBatch({&a, &b}, torch::kCPU);
        std::map<std::string, torch::Tensor> before;
        for (const auto &p : model->named_parameters())
            before[p.key()] = p.value().clone();
        model->setBaseFrozen(true);
        torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(0.05).weight_decay(0.1));
        for (int i = 0; i < 5; ++i) {
            optimizer.zero_grad();
            const torch::Tensor logits = model->tagLogits(model->encode(batch));
            torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), batch.tags.reshape({-1})).backward();
            optimizer.step();
        }
        int adapters = 0;
        for (const auto &p : model->named_parameters()) {
            const bool trainable = p.key().find("lora_") != std::string::npos || p.key().rfind("tag_head", 0) == 0;
            const bool changed = !torch::equal(before[p.key()], p.value());
            QVERIFY2(changed == trainable || (trainable && p.key().find("lora_a") != std::string::npos), p.key().c_str());
            adapters += p.key().find("lora_b") != std::string::npos && changed;
        }
        QCOMPARE(adapters, 3);
        model->eval();
        torch::NoGradGuard guard;
        const torch::Tensor adapted = model->tagLogits(model->encode(batch));
        model->mergeAdapters();
        const torch::Tensor merged = model->tagLogits(model->encode(batch));
        QVERIFY(torch::allclose(adapted, merged, 1e-4, 1e-5));
    }

    void extractorEvalFormGivesTheSameOutputs()
    {
        // Eval mode runs the layers on the words alone with one q/k/v product; training mode pads.
        torch::manual_seed(5);
        Extractor model(ExtractorOptions(2).dim(16).layers(2).heads(2).buckets(256).dropout(0).loraRank(4));
        {
            torch::NoGradGuard guard;
            for (const LoraLinear &l : model->loraLinears())
                if (l->hasAdapter())
                    l->loraB.normal_(0, 0.1); // adapters that change the outputs
        }
        const PageFeatures a = page(0), b = page(4), empty;
        const PageBatch batch = makeBatch({&a, &empty, &b}, torch::kCPU);
        torch::Tensor masked = torch::zeros_like(batch.pad);
        masked[0][1] = true;
        masked[2][3] = true;
        torch::NoGradGuard guard;
        const torch::Tensor words = ~batch.pad;
        words[1][0] = false; // the empty page's placeholder position
        for (const torch::Tensor &m : {torch::Tensor(), masked}) {
            model->train();
            const torch::Tensor padded = model->encode(batch, m);
            model->eval();
            const torch::Tensor packed = model->encode(batch, m);
            QCOMPARE(packed.sizes().vec(), padded.sizes().vec());
            QVERIFY(torch::allclose(padded.index({words}), packed.index({words}), 1e-4, 1e-5));
            QVERIFY(packed.index({~words}).abs().max().item<float>() == 0);
        }
    }

    void extractorSpatialBiasByDistance()
    {
        // The bias between two words is the learnt value of their centres' distance bucket across
        // plus down, by head and by direction; both forms of the encoder apply it alike.
        torch::manual_seed(11);
        Extractor plain(ExtractorOptions(2).dim(16).layers(1).heads(2).buckets(256));
        QVERIFY(!plain->named_parameters().contains("across.weight")); // earlier model files still load
        Extractor model(ExtractorOptions(2).dim(16).layers(2).heads(2).buckets(256).dropout(0).spatialBias(true));
        const torch::Tensor across = model->named_parameters()["across.weight"], down = model->named_parameters()["down.weight"];
        QCOMPARE(across.sizes().vec(), (std::vector<int64_t>{36, 2}));
        {
            torch::NoGradGuard guard;
            across.normal_(0, 1);
            down.normal_(0, 1);
        }
        torch::NoGradGuard guard;
        // Centres (doubled) 10 and 50 across, the same height: 40 apart is level 8 + 2 * (5 - 3) = 12.
        const torch::Tensor boxes = torch::tensor({0, 0, 10, 10, 20, 0, 30, 10}, torch::kLong).view({2, 4});
        const torch::Tensor bias = model->spatialBias(boxes);
        QCOMPARE(bias.sizes().vec(), (std::vector<int64_t>{2, 2, 2}));
        for (int64_t h = 0; h < 2; ++h) {
            QCOMPARE(bias[h][0][1].item<float>(), (across[12][h] + down[0][h]).item<float>());
            QCOMPARE(bias[h][1][0].item<float>(), (across[18 + 12][h] + down[0][h]).item<float>());
            QCOMPARE(bias[h][0][0].item<float>(), (across[0][h] + down[0][h]).item<float>());
        }
        const PageFeatures a = page(0), b = page(4);
        const PageBatch batch = makeBatch({&a, &b}, torch::kCPU);
        const torch::Tensor words = ~batch.pad;
        model->train();
        const torch::Tensor padded = model->encode(batch);
        model->eval();
        const torch::Tensor packed = model->encode(batch);
        QVERIFY(torch::allclose(padded.index({words}), packed.index({words}), 1e-4, 1e-5));
        {
            torch::NoGradGuard inner;
            across.zero_();
            down.zero_();
        }
        QVERIFY(!torch::allclose(model->encode(batch).index({words}), packed.index({words}), 1e-3, 1e-3));
    }

    // releaseGradients then FusedAdamW::step takes the steps zero_grad then AdamW::step takes,
    // also for a parameter that gets no gradient in some steps after its first (zeros then).
    void releasedGradientsStepLikeZeroedOnes()
    {
        torch::manual_seed(8);
        std::vector<torch::Tensor> a{torch::randn({300}).requires_grad_(), torch::randn({7}).requires_grad_()}, b, c;
        for (const torch::Tensor &t : a) {
            b.push_back(t.detach().clone().requires_grad_());
            c.push_back(t.detach().clone().requires_grad_());
        }
        const auto options = torch::optim::AdamWOptions(0.01).weight_decay(0.05);
        torch::optim::AdamW plain(a, options), skipping(c, options);
        FusedAdamW fused(b, options);
        const auto loss = [](const std::vector<torch::Tensor> &p, int i) {
            const torch::Tensor first = (p[0] * double(i + 1)).sin().sum();
            return i % 2 == 0 ? first + p[1].pow(2).sum() : first; // p[1]: a gradient every other step
        };
        for (int i = 0; i < 5; ++i) {
            plain.zero_grad();
            releaseGradients(fused);
            for (torch::Tensor &t : c)
                t.mutable_grad() = torch::Tensor();
            QVERIFY(!b[0].grad().defined() && !b[1].grad().defined());
            loss(a, i).backward();
            loss(b, i).backward();
            loss(c, i).backward();
            plain.step();
            fused.step();
            skipping.step(); // skips p[1] in the steps without its gradient
        }
        QVERIFY(torch::allclose(a[0], b[0], 1e-5, 1e-6));
        QVERIFY(torch::allclose(a[1], b[1], 1e-5, 1e-6));
        QVERIFY(!torch::allclose(a[1], c[1], 1e-5, 1e-6)); // skipping would have been visible
    }

    void fusedAdamWFollowsAdamW()
    {
        // Same updates as torch's AdamW (a channels-last weight, a bias, a parameter without a
        // gradient), and each optimizer continues from the other's saved state.
        torch::manual_seed(7);
        const auto params = [] {
            return std::vector<torch::Tensor>{torch::randn({6, 3, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_(),
                                              torch::randn({40000}).requires_grad_(), torch::randn({5}).requires_grad_()};
        };
        std::vector<torch::Tensor> a = params(), b;
        for (const torch::Tensor &t : a)
            b.push_back(t.detach().clone().requires_grad_());
        const auto options = torch::optim::AdamWOptions(0.01).weight_decay(0.05);
        torch::optim::AdamW plain(a, options);
        FusedAdamW fused(b, options);
        const auto loss = [](const std::vector<torch::Tensor> &p, int i) { return (p[0].pow(2).sum() + (p[1] * double(i + 1)).sin().sum()); };
        for (int i = 0; i < 4; ++i) {
            plain.zero_grad();
            fused.zero_grad();
            loss(a, i).backward();
            loss(b, i).backward();
            plain.step();
            fused.step();
        }
        for (size_t k = 0; k < a.size(); ++k) {
            QVERIFY(torch::allclose(a[k], b[k], 1e-5, 1e-6));
            QCOMPARE(a[k].strides().vec(), b[k].strides().vec());
        }
        QVERIFY(torch::equal(a[2], b[2])); // no gradient: neither decayed nor moved
        // State written by one loads into the other.
        std::ostringstream saved;
        torch::serialize::OutputArchive archive;
        plain.save(archive);
        archive.save_to(saved);
        const auto load = [&saved](torch::optim::Optimizer &optimizer) {
            std::istringstream in(saved.str());
            torch::serialize::InputArchive archive;
            archive.load_from(in);
            optimizer.load(archive);
            optimizer.zero_grad();
        };
        FusedAdamW resumed(a, options);
        load(resumed);
        std::vector<torch::Tensor> c;
        for (const torch::Tensor &t : a)
            c.push_back(t.detach().clone().requires_grad_());
        torch::optim::AdamW reference(c, options);
        load(reference);
        loss(a, 5).backward();
        loss(c, 5).backward();
        resumed.step();
        reference.step();
        for (size_t k = 0; k < a.size(); ++k)
            QVERIFY(torch::allclose(a[k], c[k], 1e-5, 1e-6));
    }

    void detectorOutputsOneCellPerStride()
    {
        Detector model(DetectorOptions(3).width(4));
        model->eval();
        torch::NoGradGuard guard;
        const DetectorOutput out = model->forward(torch::zeros({2, 3, 64, 64}));
        QCOMPARE(out.heatmap.sizes().vec(), (std::vector<int64_t>{2, 3, 8, 8}));
        QCOMPARE(out.sides.sizes().vec(), (std::vector<int64_t>{2, 4, 8, 8}));
        QVERIFY(out.sides.min().item<float>() > 0);
    }

    void inferenceFormGivesTheSameOutputs()
    {
        torch::manual_seed(3);
        Detector model(DetectorOptions(2).width(4));
        const torch::Tensor images = torch::randn({2, 3, 64, 64});
        {
            // A few training-mode passes give the BatchNorms non-trivial running statistics.
            torch::NoGradGuard guard;
            for (int i = 0; i < 3; ++i)
                model->forward(images * double(i + 1) + 0.5);
        }
        model->eval();
        torch::NoGradGuard guard;
        const DetectorOutput plain = model->forward(images);
        prepareForInference(*model);
        const DetectorOutput folded = model->forward(images);
        QVERIFY(torch::allclose(plain.heatmap, folded.heatmap, 1e-4, 1e-4));
        QVERIFY(torch::allclose(plain.sides, folded.sides, 1e-3, 1e-4));
        QCOMPARE(decode(plain, 0.0f).size(), decode(folded, 0.0f).size());
    }

    // The padded batch's attention (a function of our own on the CPU) gives torch's ops' outputs and
    // gradients (q, k, v, bias) without dropout; with dropout its backward is the gradient of its
    // forward (finite differences at a fixed seed), and a seed gives the same dropout again.
    void paddedAttentionGivesTorchsGradients()
    {
        torch::manual_seed(7);
        const int64_t B = 3, T = 20, D = 16, heads = 4, dh = D / heads;
        const torch::Tensor pad = torch::zeros({B, T}, torch::kBool);
        pad[0].narrow(0, 15, 5).fill_(true);
        pad[2].narrow(0, 1, 19).fill_(true);
        const torch::Tensor q0 = torch::randn({B, T, D}), k0 = torch::randn({B, T, D}), v0 = torch::randn({B, T, D});
        const torch::Tensor bias0 = torch::randn({B, heads, T, T}), target = torch::randn({B, T, D});
        const auto leaf = [](const torch::Tensor &t) { return t.clone().requires_grad_(); };
        torch::Tensor q1 = leaf(q0), k1 = leaf(k0), v1 = leaf(v0), b1 = leaf(bias0);
        torch::Tensor q2 = leaf(q0), k2 = leaf(k0), v2 = leaf(v0), b2 = leaf(bias0);
        const torch::Tensor ours = paddedAttention(q1, k1, v1, pad, b1, heads, 0.0);
        // torch's ops, as a PyTorch user writes attention
        const auto split = [&](const torch::Tensor &t) { return t.view({B, T, heads, dh}).transpose(1, 2); };
        torch::Tensor scores = torch::matmul(split(q2), split(k2).transpose(-2, -1)) / std::sqrt(double(dh)) + b2;
        scores = scores.masked_fill(pad.view({B, 1, 1, T}), -1e9);
        const torch::Tensor theirs = torch::matmul(torch::softmax(scores, -1), split(v2)).transpose(1, 2).reshape({B, T, D});
        (ours * target).sum().backward();
        (theirs * target).sum().backward();
        const auto diff = [](const torch::Tensor &a, const torch::Tensor &b) { return (a - b).abs().max().item<double>(); };
        qInfo("max diff: output %.1e, dq %.1e, dk %.1e, dv %.1e, dbias %.1e", diff(ours, theirs), diff(q1.grad(), q2.grad()),
              diff(k1.grad(), k2.grad()), diff(v1.grad(), v2.grad()), diff(b1.grad(), b2.grad()));
        QVERIFY(diff(ours, theirs) < 1e-4);
        QVERIFY(diff(q1.grad(), q2.grad()) < 1e-4 && diff(k1.grad(), k2.grad()) < 1e-4);
        QVERIFY(diff(v1.grad(), v2.grad()) < 1e-4 && diff(b1.grad(), b2.grad()) < 1e-4);

        // Dropout: the directional derivative along u against central differences, at one seed.
        const torch::Tensor u = torch::randn({B, T, D});
        const auto loss = [&](const torch::Tensor &q) {
            torch::manual_seed(11);
            return (paddedAttention(q, k0, v0, pad, {}, heads, 0.3) * target).sum();
        };
        torch::Tensor q3 = leaf(q0);
        loss(q3).backward();
        const double analytic = (q3.grad() * u).sum().item<double>();
        const double eps = 1e-2;
        torch::NoGradGuard noGrad;
        const double numeric = (loss(q0 + eps * u).item<double>() - loss(q0 - eps * u).item<double>()) / (2 * eps);
        qInfo("dropout 0.3: directional derivative %.5f, central difference %.5f", analytic, numeric);
        QVERIFY(std::abs(analytic - numeric) < 1e-2 * std::max(1.0, std::abs(numeric)));
        QVERIFY(std::abs(loss(q0).item<double>() - (paddedAttention(q0, k0, v0, pad, {}, heads, 0.0) * target).sum().item<double>()) > 1e-3);
        QCOMPARE(loss(q0).item<double>(), loss(q0).item<double>());
    }

    // inferenceLinear (oneDNN's matmul at inference) gives torch's linear, with and without a bias,
    // on odd sizes; with grad recorded it is torch's linear (the result takes part in autograd).
    void inferenceLinearGivesTorchsLinear()
    {
        torch::manual_seed(9);
        for (const auto &[rows, in, out] : {std::tuple{705, 96, 288}, {13, 7, 5}, {1, 96, 15}}) {
            const torch::Tensor x = torch::randn({rows, in}), w = torch::randn({out, in}), b = torch::randn({out});
            const torch::Tensor expected = torch::nn::functional::linear(x, w, b);
            torch::NoGradGuard noGrad;
            const double withBias = (inferenceLinear(x, w, b) - expected).abs().max().item<double>();
            const double without = (inferenceLinear(x, w, {}) - (expected - b)).abs().max().item<double>();
            QVERIFY2(withBias < 1e-4 && without < 1e-4, qPrintable(QStringLiteral("%1x%2x%3: %4 %5").arg(rows).arg(in).arg(out).arg(withBias).arg(without)));
        }
        const torch::Tensor w = torch::randn({4, 3}, torch::requires_grad());
        QVERIFY(inferenceLinear(torch::randn({2, 3}), w, {}).requires_grad());
    }

    // The training convs run as Winograd where they fit: conv2d's output and gradients (input and
    // weight) within float rounding, from channels-last and NCHW input and either weight layout.
    void winogradConvGivesConv2dsGradients()
    {
        torch::manual_seed(6);
        for (const bool channelsLast : {true, false}) {
            torch::Tensor x = torch::randn({2, 32, 16, 24}), w = torch::randn({48, 32, 3, 3}) * 0.1;
            if (channelsLast) {
                x = x.contiguous(torch::MemoryFormat::ChannelsLast);
                w = w.contiguous(torch::MemoryFormat::ChannelsLast);
            }
            const torch::Tensor x1 = x.clone().requires_grad_(), w1 = w.clone().requires_grad_();
            const torch::Tensor x2 = x.clone().requires_grad_(), w2 = w.clone().requires_grad_();
            const torch::Tensor target = torch::randn({2, 48, 16, 24});
            const torch::Tensor y1 = winogradConv3x3(x1, w1);
            const torch::Tensor y2 = torch::nn::functional::conv2d(x2, w2, torch::nn::functional::Conv2dFuncOptions().padding(1));
            (y1 * target).sum().backward();
            (y2 * target).sum().backward();
            const auto rel = [](const torch::Tensor &a, const torch::Tensor &b) {
                return ((a - b).abs().max() / b.abs().max()).item<double>();
            };
            qInfo("%s, Winograd %s: output %.1e, input grad %.1e, weight grad %.1e (max diff over max)",
                  channelsLast ? "channels-last" : "NCHW", winogradConvFits(x, w) ? "on" : "off (conv2d ran)", rel(y1, y2),
                  rel(x1.grad(), x2.grad()), rel(w1.grad(), w2.grad()));
            QCOMPARE(y1.sizes(), y2.sizes());
            QVERIFY(rel(y1, y2) < 1e-4);
            QVERIFY(rel(x1.grad(), x2.grad()) < 1e-4);
            QVERIFY(rel(w1.grad(), w2.grad()) < 1e-4);
        }
        // Small maps stay on conv2d (Winograd measured slower there).
        QVERIFY(!winogradConvFits(torch::randn({2, 32, 8, 8}), torch::randn({48, 32, 3, 3})));
    }

    // Float inference runs the built-in detector as one oneDNN graph (Winograd 3x3 convs where the
    // CPU has them): the same outputs as libtorch's ops on the same folded weights, for NCHW and
    // channels-last input and each batch size; inputs it does not take run on libtorch's ops.
    void oneDnnGraphGivesLibtorchsOutputs()
    {
        torch::manual_seed(5);
        Detector model(DetectorOptions(3).width(16)), reference(DetectorOptions(3).width(16));
        {
            torch::NoGradGuard guard;
            for (int i = 0; i < 3; ++i)
                model->forward(torch::randn({2, 3, 64, 64}) * double(i + 1));
            copyState(*model, *reference);
        }
        prepareForInference(*model);
        prepareForInference(*reference);
        QVERIFY(model->inferencePlan() != nullptr);
        QVERIFY(reference->useInferencePlan(false) == false && reference->inferencePlan() == nullptr);
        c10::InferenceMode inference;
        const auto compare = [&](const torch::Tensor &images, const char *what) {
            const DetectorOutput graph = model->forward(images), ops = reference->forward(images);
            const double heat = (graph.heatmap - ops.heatmap).abs().max().item<double>();
            const double sides = ((graph.sides - ops.sides).abs() / ops.sides).max().item<double>();
            qInfo("%s: heatmap logits max diff %.2e, sides max relative diff %.2e", what, heat, sides);
            QVERIFY(heat < 1e-3);
            QVERIFY(sides < 1e-3);
            const auto dg = decode(graph, 0.05f), dops = decode(ops, 0.05f);
            for (size_t i = 0; i < dops.size(); ++i)
                QVERIFY(sameDetections(dg[i], dops[i], 1e-2f));
        };
        const torch::Tensor images = torch::rand({3, 3, 96, 128});
        compare(images, "3x3x96x128 NCHW");
        QCOMPARE(model->inferencePlan()->graphs(), 1);
        compare(images.contiguous(torch::MemoryFormat::ChannelsLast), "channels-last");
        compare(images.narrow(0, 0, 2), "batch of 2");
        QCOMPARE(model->inferencePlan()->graphs(), 2); // two shapes' graphs are kept
        qInfo("3x3 stride-1 convs as Winograd: %d of 9", model->inferencePlan()->winogradConvs());
        // Not a multiple of 32: libtorch's ops (no graph built).
        compare(torch::rand({1, 3, 80, 80}), "1x3x80x80 (libtorch's ops)");
        QCOMPARE(model->inferencePlan()->graphs(), 2);
    }

    // On a CPU that computes in bfloat16, Auto precision runs the detector in bfloat16 up to its
    // float output convs: outputs close to the float model's, and the same strongest detections.
    void bfloat16InferenceIsCloseToFloat()
    {
        torch::manual_seed(4);
        Detector reference(DetectorOptions(3).width(8)), model(DetectorOptions(3).width(8));
        const torch::Tensor images = torch::rand({2, 3, 96, 96});
        {
            torch::NoGradGuard guard;
            for (int i = 0; i < 3; ++i)
                reference->forward(images * double(i + 1));
            copyState(*reference, *model);
        }
        QCOMPARE(prepareForInference(*reference, InferencePrecision::Float32), torch::kFloat);
        const torch::ScalarType dtype = prepareForInference(*model, InferencePrecision::Auto);
        if (!cpuHasBfloat16()) {
            QCOMPARE(dtype, torch::kFloat);
            QSKIP("this CPU has no bfloat16 arithmetic: Auto precision stays float (checked)");
        }
        QCOMPARE(dtype, torch::kBFloat16);
        c10::InferenceMode inference;
        const DetectorOutput f = reference->forward(images), b = model->forward(images);
        QCOMPARE(b.heatmap.scalar_type(), torch::kFloat);
        const double heatDiff = (torch::sigmoid(f.heatmap) - torch::sigmoid(b.heatmap)).abs().max().item<double>();
        const double sideDiff = ((f.sides - b.sides).abs() / f.sides.abs().clamp_min(1.0)).max().item<double>();
        qInfo("bfloat16 vs float: heatmap probability max diff %.4f, sides max relative diff %.4f", heatDiff, sideDiff);
        QVERIFY(heatDiff > 0); // it did compute in bfloat16
        QVERIFY(heatDiff < 0.03);
        QVERIFY(sideDiff < 0.05);
        const auto strongest = [](const DetectorOutput &o) {
            std::vector<Detection> d = decode(o, 0.0f)[0];
            d.resize(std::min<size_t>(d.size(), 5));
            return d;
        };
        const std::vector<Detection> df = strongest(f), db = strongest(b);
        QCOMPARE(df.size(), db.size());
        for (size_t i = 0; i < df.size(); ++i) {
            QCOMPARE(df[i].cls, db[i].cls);
            QVERIFY(std::abs(df[i].x0 - db[i].x0) < 3 && std::abs(df[i].y1 - db[i].y1) < 3);
        }
    }

    void decodingFollowsBioRulesAndKeepsOneSpanOnlyForSingleValuedClasses()
    {
        // Tags: 0 = O, 1 = B-0, 2 = I-0, 3 = B-1, 4 = I-1. Word 2 prefers I-1 after a B-0 word: not
        // allowed, so the best valid path continues class 0 there.
        const std::vector<std::vector<float>> rows{
            {0.05f, 0.9f, 0.01f, 0.03f, 0.01f},  // B-0
            {0.05f, 0.01f, 0.9f, 0.03f, 0.01f},  // I-0
            {0.05f, 0.01f, 0.4f, 0.04f, 0.5f},   // I-1 is best alone, I-0 is best on a valid path
            {0.9f, 0.02f, 0.02f, 0.03f, 0.03f},  // O
            {0.05f, 0.02f, 0.02f, 0.86f, 0.05f}, // B-1
            {0.9f, 0.02f, 0.02f, 0.03f, 0.03f},  // O
            {0.05f, 0.02f, 0.02f, 0.6f, 0.31f},  // B-1 again, weaker
        };
        std::vector<float> probs;
        for (const auto &r : rows)
            probs.insert(probs.end(), r.begin(), r.end());
        const auto single = decodeSpans(probs.data(), int64_t(rows.size()), 5, {true, true});
        QCOMPARE(single.size(), size_t(2));
        QCOMPARE(single[0].cls, 0);
        QCOMPARE(single[0].words, (std::vector<int>{0, 1, 2}));
        QCOMPARE(single[1].cls, 1);
        QCOMPARE(single[1].words, std::vector<int>{4}); // the stronger of the two class-1 spans
        const auto many = decodeSpans(probs.data(), int64_t(rows.size()), 5, {true, false});
        QCOMPARE(many.size(), size_t(3));
        QCOMPARE(many[2].words, std::vector<int>{6});
        QVERIFY(decodeSpans(probs.data(), 0, 5, {}).empty());
    }

    void stepKindsSortTheGapsOnALineTheNextLineAndJumps()
    {
        const QRectF a(100, 100, 40, 10); // line height 10
        QCOMPARE(stepKind(a, QRectF(141, 100, 30, 10)), 0);   // gap 0.1 line heights
        QCOMPARE(stepKind(a, QRectF(147, 101, 30, 10)), 3);   // 0.7
        QCOMPARE(stepKind(a, QRectF(165, 100, 30, 10)), 7);   // 2.5
        QCOMPARE(stepKind(a, QRectF(400, 100, 30, 10)), 9);   // 26: far along the line
        QCOMPARE(stepKind(a, QRectF(102, 113, 30, 10)), 10);  // next line, starting under a's start
        QCOMPARE(stepKind(a, QRectF(40, 113, 30, 10)), 11);   // next line, further left
        QCOMPARE(stepKind(a, QRectF(100, 300, 30, 10)), kStepElsewhere);
        QCOMPARE(stepKind(a, QRectF(20, 100, 30, 10)), kStepElsewhere); // back along the line
    }

    void transitionsCountedByStepKindJoinWordsThatTheTaggerSplits()
    {
        // Training pages: "Project Title" (one field, a word-space apart), then "Date" on the next
        // line starting another; counted, a B-0 after B-0 a word-space apart is rare.
        PageFeatures page;
        page.tags = {1, 2, 1, 0};
        page.steps = {kStepElsewhere, 0, 10, 12};
        const TagTransitions t = countTransitions(std::vector<PageFeatures>(20, page), 3, 1.0);
        QCOMPARE(t.logp.size(), size_t(kStepKinds * 3 * 3));
        QVERIFY(t.at(0, 1, 2) > t.at(0, 1, 1));      // same line, close: continue
        QVERIFY(t.at(10, 2, 1) > t.at(10, 2, 2));    // next line: a new field
        QCOMPARE(t.at(5, 0, 0), std::log(1.0 / 3)); // never seen: add-one counts, uniform
        // The tagger alone splits the two words of one field (B-0 B-0); the transitions join them.
        const std::vector<float> probs{0.1f, 0.8f, 0.1f, 0.1f, 0.5f, 0.4f};
        const auto alone = decodeSpans(probs.data(), 2, 3, {false});
        QCOMPARE(alone.size(), size_t(2));
        const auto joined = decodeSpans(probs.data(), 2, 3, {false}, {kStepElsewhere, 0}, t);
        QCOMPARE(joined.size(), size_t(1));
        QCOMPARE(joined[0].words, (std::vector<int>{0, 1}));
        // Far apart on the line, the same probabilities stay two fields: 9 was never seen, uniform.
        QCOMPARE(decodeSpans(probs.data(), 2, 3, {false}, {kStepElsewhere, 9}, t).size(), size_t(2));
        // Without step kinds for every word, or with weight 0, nothing changes.
        QCOMPARE(decodeSpans(probs.data(), 2, 3, {false}, {0}, t).size(), size_t(2));
        TagTransitions off = t;
        off.weight = 0;
        QCOMPARE(decodeSpans(probs.data(), 2, 3, {false}, {kStepElsewhere, 0}, off).size(), size_t(2));

        // model.json keeps them; a weight of 0 set by hand reads back (off), a table that does not
        // fit the classes fails naming the file.
        QTemporaryDir dir;
        annotune::core::training::JobSpec spec;
        spec.task = annotune::core::training::TrainTask::Extraction;
        QVector<annotune::core::LabelClass> classes(1);
        classes[0].id = 7;
        classes[0].name = QStringLiteral("title");
        QVERIFY(annotune::training::engine::writeModelMeta(dir.path(), spec, classes, {false}, t));
        auto meta = annotune::training::engine::readModelMeta(dir.path());
        QVERIFY2(meta, meta ? "" : qPrintable(meta.error().message));
        QCOMPARE(meta->transitions.weight, 1.0);
        QCOMPARE(meta->transitions.logp, t.logp);
        const QString file = dir.filePath(QStringLiteral("model.json"));
        QJsonObject json = annotune::training::engine::readJsonFile(file).value();
        QJsonObject table = json.value(QStringLiteral("transitions")).toObject();
        table.insert(QStringLiteral("weight"), 0);
        json.insert(QStringLiteral("transitions"), table);
        QVERIFY(annotune::training::engine::writeJsonFile(file, json));
        meta = annotune::training::engine::readModelMeta(dir.path());
        QVERIFY2(meta, meta ? "" : qPrintable(meta.error().message));
        QVERIFY(meta->transitions.empty());
        table.insert(QStringLiteral("log_p"), QJsonArray{0.0, 0.0});
        json.insert(QStringLiteral("transitions"), table);
        QVERIFY(annotune::training::engine::writeJsonFile(file, json));
        meta = annotune::training::engine::readModelMeta(dir.path());
        QVERIFY(!meta);
        QVERIFY(meta.error().message.contains(QStringLiteral("model.json")));
    }

    void neighboursAreTheNearestWordsLeftRightAndAbove()
    {
        using annotune::core::Word;
        const auto word = [](const char *text, double x, double y, double w) {
            Word out;
            out.text = QString::fromLatin1(text);
            out.box = QRectF(x, y, w, 10);
            return out;
        };
        // "Due Date: 2024-05-01 EUR" on one line, "Amount" above the date, "far" two lines higher.
        const QVector<Word> words{word("Due", 0, 50, 20), word("Date:", 25, 51, 30), word("2024-05-01", 70, 50, 60),
                                  word("EUR", 140, 49, 20), word("Amount", 75, 36, 40), word("far", 70, -20, 20)};
        const auto n = wordNeighbours(words);
        QCOMPARE(n[2].left[0], 1);
        QCOMPARE(n[2].left[1], 0);
        QCOMPARE(n[2].left[2], -1);
        QCOMPARE(n[2].right, 3);
        QCOMPARE(n[2].above, 4);
        QCOMPARE(n[0].left[0], -1);
        QCOMPARE(n[4].above, -1); // "far" is more than three line heights up
    }

    void nmsKeepsTheBestOfOverlappingBoxesPerClass()
    {
        const std::vector<Detection> kept = nms({{0, 0, 10, 10, 0.5f, 0}, {1, 1, 11, 11, 0.9f, 0}, {1, 1, 11, 11, 0.8f, 1}, {20, 20, 30, 30, 0.3f, 0}}, 0.5f);
        QCOMPARE(int(kept.size()), 3);
        QCOMPARE(kept[0].score, 0.9f);
        QCOMPARE(kept[1].cls, 1);
        QCOMPARE(kept[2].score, 0.3f);
    }

    void apIsOneForPerfectAndLowerForMisses()
    {
        ApImage perfect{{{0, 0, 10, 10, 0}}, {{0, 0, 10, 10, 0, 0.9f}}};
        QCOMPARE(meanAveragePrecision({perfect}, 1), 1.0);
        ApImage missed{{{0, 0, 10, 10, 0}, {20, 20, 30, 30, 0}}, {{50, 50, 60, 60, 0, 0.95f}, {0, 0, 10, 10, 0, 0.9f}}};
        QCOMPARE(meanAveragePrecision({missed}, 1), 0.25); // recall 0.5 reached at precision 0.5
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
