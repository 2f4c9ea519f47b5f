#include "modelbench.h"

#include "training/engine/activations.h"

#include "training/engine/detectorplan.h"
#include "training/engine/detectorruntime.h"
#include "training/engine/extractor.h"
#include "training/engine/inferencelinear.h"
#include "training/engine/modelfile.h"
#include "training/engine/snapshot.h"
#include "training/engine/trainer.h"
#include "training/engine/winogradconv.h"

#include <QDir>
#include <QJsonArray>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <numeric>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

namespace {

using TensorDict = c10::Dict<std::string, torch::Tensor>;

// Writes tensors so that Python's torch.load returns a dict of them.
Status saveTensors(const TensorDict &tensors, const QString &path)
{
    try {
        const std::vector<char> bytes = torch::pickle_save(c10::IValue(tensors));
        std::ofstream out(path.toStdString(), std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out)
            return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write").arg(path));
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot save: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

Status saveWeights(torch::nn::Module &model, const QString &path)
{
    TensorDict dict;
    for (const auto &p : model.named_parameters())
        dict.insert(p.key(), p.value().detach());
    for (const auto &b : model.named_buffers())
        dict.insert(b.key(), b.value());
    return saveTensors(dict, path);
}

qint64 parameterCount(torch::nn::Module &model)
{
    qint64 n = 0;
    for (const torch::Tensor &p : model.parameters())
        n += p.numel();
    return n;
}

// The fastest of the timed steps: on a shared machine the least disturbed one (the reference
// script measures the same way).
double fastest(const std::vector<double> &v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }

// Seconds of each call of fn(i) for i in [0, warmup + steps), the warm-up ones left out.
template<typename Fn>
std::vector<double> timeSteps(int warmup, int steps, Fn &&fn)
{
    std::vector<double> seconds;
    for (int i = 0; i < warmup + steps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn(i);
        const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
        if (i >= warmup)
            seconds.push_back(dt.count());
    }
    return seconds;
}

// Times training steps (as Trainer::run makes them, at a constant learning rate) on batches in
// turn; loss(batch index) is the task's forward pass and objective.
template<typename LossFn>
void timeTraining(torch::nn::Module &model, const ModelBenchOptions &o, int batchCount, int64_t batchSize, LossFn &&loss,
                  ModelBenchResult &result)
{
    FusedAdamW optimizer(model.parameters(), torch::optim::AdamWOptions(o.spec.learningRate).weight_decay(o.spec.weightDecay));
    model.train();
    const auto seconds = timeSteps(o.warmup, o.steps, [&](int i) {
        releaseGradients(optimizer);
        const double value = applyGradients(loss(i % batchCount), model, optimizer);
        if (i == 0)
            result.firstLoss = value;
    });
    result.trainItemsPerSecond = std::max(result.trainItemsPerSecond, double(batchSize) / std::max(1e-9, fastest(seconds)));
}

// Rounds of: a fresh model (the same initial weights each time), training steps, inference passes,
// then options.afterRound.
template<typename MakeModel, typename LossFn, typename InferFn>
Status timeRounds(const ModelBenchOptions &o, int64_t batchSize, MakeModel &&make, LossFn &&loss, InferFn &&infer,
                  ModelBenchResult &result)
{
    for (int round = 0; round < o.rounds; ++round) {
        const double firstLoss = result.firstLoss;
        auto model = make();
        timeTraining(*model, o, o.batches, batchSize, [&](int b) { return loss(model, b); }, result);
        if (round > 0)
            result.firstLoss = firstLoss;
        const auto seconds = infer(model);
        result.inferItemsPerSecond = std::max(result.inferItemsPerSecond, double(batchSize) / std::max(1e-9, fastest(seconds)));
        if (o.afterRound)
            if (Status st = o.afterRound(); !st)
                return st;
    }
    return {};
}

QJsonObject manifest(const ModelBenchOptions &o, int64_t classes, int batchCount, int threads)
{
    const ct::JobSpec &s = o.spec;
    return {{QStringLiteral("task"), ct::toText(s.task)}, {QStringLiteral("classes"), double(classes)},
            {QStringLiteral("batch_size"), s.batchSize}, {QStringLiteral("batches"), batchCount},
            {QStringLiteral("warmup"), o.warmup}, {QStringLiteral("steps"), o.steps}, {QStringLiteral("threads"), threads},
            {QStringLiteral("learning_rate"), s.learningRate}, {QStringLiteral("weight_decay"), s.weightDecay},
            {QStringLiteral("clip_norm"), kClipNorm}, {QStringLiteral("image_size"), s.imageSize}, {QStringLiteral("width"), s.width},
            {QStringLiteral("stride"), double(DetectorImpl::kStride)}, {QStringLiteral("model_dim"), s.modelDim},
            {QStringLiteral("layers"), s.layers}, {QStringLiteral("heads"), s.heads}, {QStringLiteral("hash_buckets"), s.hashBuckets},
            {QStringLiteral("spatial_bias"), s.spatialBias},
            {QStringLiteral("lora_rank"), s.loraRank}, {QStringLiteral("lora_alpha"), s.loraAlpha},
            {QStringLiteral("lora_targets"), QJsonArray::fromStringList(s.loraTargets)},
            {QStringLiteral("position_bins"), double(kPositionBins)}, {QStringLiteral("word_targets"), double(kWordTargets)}};
}

QString batchFile(const QString &folder, int i) { return QStringLiteral("%1/batch-%2.pt").arg(folder).arg(i); }

Result<ModelBenchResult> benchDetector(const DatasetSnapshot &snap, const ModelBenchOptions &o)
{
    const int64_t classes = snap.classes.size(), size = o.spec.imageSize, batchSize = o.spec.batchSize;
    ImageData data(snap.train, [&snap](Id id) { return snap.classIndex(id); }, {int(size), o.spec.loaderThreads, true});
    if (Status st = data.preload(); !st)
        return st.error();
    std::vector<DetectionBatch> batches;
    for (int b = 0; b < o.batches; ++b) {
        std::vector<int> indices;
        for (int64_t i = 0; i < batchSize; ++i)
            indices.push_back(int((b * batchSize + i) % data.count()));
        batches.push_back(makeDetectionBatch(data.load(indices, true, o.spec.mosaic, quint64(o.spec.seed + b)), classes, size, torch::kCPU));
        const DetectionBatch &d = batches.back();
        TensorDict dict;
        dict.insert("images", d.images.contiguous()); // NCHW, as a PyTorch user's loader gives it
        dict.insert("heatmap", d.targets.heatmap);
        dict.insert("boxes", d.targets.boxes);
        dict.insert("weight", d.targets.weight);
        if (Status st = saveTensors(dict, batchFile(o.folder, b)); !st)
            return st.error();
    }
    const auto make = [&] {
        torch::manual_seed(uint64_t(o.spec.seed));
        return Detector(DetectorOptions(classes).width(o.spec.width));
    };
    Detector initial = make();
    if (Status st = saveWeights(*initial, o.folder + QStringLiteral("/weights.pt")); !st)
        return st.error();
    ModelBenchResult result;
    result.itemName = QStringLiteral("images");
    result.parameters = parameterCount(*initial);
    const auto loss = [&](Detector &model, int b) {
        return detectionLoss(model->forward(batches[size_t(b)].images), batches[size_t(b)].targets)[0];
    };
    int winograd = -1; // 3x3 stride-1 convs run as Winograd by the oneDNN graph (-1: no graph)
    const auto infer = [&](Detector &model) {
        prepareForInference(*model);
        c10::InferenceMode inference;
        const auto seconds = timeSteps(o.warmup, o.steps, [&](int i) { model->forward(batches[size_t(i % o.batches)].images); });
        if (const DetectorPlan *plan = model->inferencePlan(); plan && plan->graphs() > 0)
            winograd = plan->winogradConvs();
        if (cpuHasBfloat16()) {
            prepareForInference(*model, InferencePrecision::Auto);
            const auto low = timeSteps(o.warmup, o.steps, [&](int i) { model->forward(batches[size_t(i % o.batches)].images); });
            result.inferBfloat16ItemsPerSecond = std::max(result.inferBfloat16ItemsPerSecond, double(batchSize) / std::max(1e-9, fastest(low)));
        }
        return seconds;
    };
    if (Status st = timeRounds(o, batchSize, make, loss, infer, result); !st)
        return st.error();
    result.training = QStringList{QStringLiteral("channels-last"), QStringLiteral("BatchNorm and SiLU in one function")};
    const int64_t c8 = 3 * o.spec.width, cells = size / DetectorImpl::kStride;
    if (winogradConvFits(torch::empty({batchSize, c8, cells, cells}), torch::empty({c8, c8, 3, 3})))
        result.training << QStringLiteral("3x3 stride-1 convs on maps of 16x16 cells or more as oneDNN Winograd "
                                          "(forward and backward)");
    result.inference = QStringList{QStringLiteral("BatchNorm folded into conv")};
    if (winograd >= 0)
        result.inference << QStringLiteral("one oneDNN graph (blocked layout end to end, SiLU fused into direct convs, "
                                           "%1 of 9 3x3 stride-1 convs as Winograd F(4x4,3x3))").arg(winograd);
    else
        result.inference << QStringLiteral("channels-last") << QStringLiteral("SiLU in place");
    return result;
}

Result<ModelBenchResult> benchExtractor(const DatasetSnapshot &snap, const ModelBenchOptions &o)
{
    const int64_t classes = snap.classes.size(), batchSize = o.spec.batchSize;
    std::vector<PageFeatures> pages;
    for (const SnapshotItem &item : snap.train)
        pages.push_back(pageFeatures(item, o.spec.hashBuckets, [&snap](Id id) { return snap.classIndex(id); }));
    std::vector<PageBatch> batches;
    for (int b = 0; b < o.batches; ++b) {
        std::vector<const PageFeatures *> chosen;
        for (int64_t i = 0; i < batchSize; ++i)
            chosen.push_back(&pages[size_t((b * batchSize + i) % int64_t(pages.size()))]);
        batches.push_back(makeBatch(chosen, torch::kCPU));
        const PageBatch &p = batches.back();
        TensorDict dict;
        for (const auto &[name, t] : {std::pair{"ngrams", p.ngrams}, {"offsets", p.offsets}, {"context", p.context},
                                      {"context_offsets", p.contextOffsets}, {"boxes", p.boxes},
                                      {"pad", p.pad}, {"flat", p.flat}, {"tags", p.tags}})
            dict.insert(name, t);
        if (Status st = saveTensors(dict, batchFile(o.folder, b)); !st)
            return st.error();
    }
    // Without dropout: both sides must compute the same losses from the same weights.
    ct::JobSpec spec = o.spec;
    spec.dropout = 0;
    const auto make = [&] {
        torch::manual_seed(uint64_t(o.spec.seed));
        return Extractor(extractorOptions(spec, classes, o.spec.loraRank));
    };
    Extractor initial = make();
    if (Status st = saveWeights(*initial, o.folder + QStringLiteral("/weights.pt")); !st)
        return st.error();
    ModelBenchResult result;
    result.itemName = QStringLiteral("pages");
    result.parameters = parameterCount(*initial);
    const auto loss = [&](Extractor &model, int b) { return tagLoss(model, batches[size_t(b)]); };
    const auto infer = [&](Extractor &model) {
        model->eval();
        c10::InferenceMode inference;
        return timeSteps(o.warmup, o.steps, [&](int i) {
            model->wordTagProbabilities(batches[size_t(i % o.batches)]).max(-1);
        });
    };
    if (Status st = timeRounds(o, batchSize, make, loss, infer, result); !st)
        return st.error();
    result.inference = QStringList{QStringLiteral("words only (no padding, tag head and softmax included)"), QStringLiteral("one q/k/v product"),
                                   QStringLiteral("pages' attention heads in parallel, each two BLAS products on the rows in place"), QStringLiteral("n-gram bags averaged by our own loop (rows prefetched)")};
    if (fastActivations())
        result.inference << QStringLiteral("GELU and LayerNorm by AVX2 kernels");
    if (inferenceLinearOnOneDnn())
        result.inference << QStringLiteral("dense layers by oneDNN's matmul");
    return result;
}

} // namespace

Result<ModelBenchResult> benchModel(store::Project &project, const ModelBenchOptions &options)
{
    if (!QDir().mkpath(options.folder))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the folder").arg(options.folder));
    auto snap = takeSnapshot(project, options.spec, false);
    if (!snap)
        return snap.error();
    if (snap->train.isEmpty() || snap->classes.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("benchmark: no labelled %1 items to train on").arg(ct::toText(options.spec.task)));
    const bool detection = options.spec.task == ct::TrainTask::Detection;
    const int threads = torch::get_num_threads();
    if (Status st = writeJsonFile(options.folder + QStringLiteral("/manifest.json"), manifest(options, snap->classes.size(), options.batches, threads));
        !st)
        return st.error();
    Result<ModelBenchResult> result = makeError(ErrorCode::Internal, QStringLiteral("benchmark: not run"));
    try {
        result = detection ? benchDetector(*snap, options) : benchExtractor(*snap, options);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("benchmark: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!result)
        return result;
    result->threads = threads;
    return result;
}

} // namespace annotune::training::engine
