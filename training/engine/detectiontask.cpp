// The detection task: the shapes-style detector trained on box and polygon labels (polygons as
// their boxes), validated with mAP50, exported as model.pt + model.json, and used for prediction.

#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "training/engine/apmetric.h"
#include "training/engine/backbone.h"
#include "training/engine/detectorruntime.h"
#include "training/engine/modelfile.h"
#include "training/engine/trainer.h"

#include <QDir>
#include <QElapsedTimer>
#include <future>
#include <numeric>
#include <random>
#include <spdlog/spdlog.h>

namespace annotune::training::engine {

using namespace annotune::core;

namespace {

std::vector<int> epochOrder(int count, qint64 seed, int epoch)
{
    std::vector<int> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(uint64_t(seed) * 7919u + uint64_t(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    return order;
}

class DetectionTask : public Task {
public:
    DetectionTask(RunContext &ctx, Detector model)
        : m_ctx(ctx), m_device(torchDevice(ctx.device)), m_size(ctx.spec.imageSize), m_model(std::move(model)),
          m_train(ctx.snapshot.train, classIndexFn(), {m_size, ctx.spec.loaderThreads, true}),
          m_val(ctx.snapshot.val, classIndexFn(), {m_size, ctx.spec.loaderThreads, true})
    {
        m_model->to(m_device);
    }

    Status prepare()
    {
        if (Status st = m_train.preload(); !st)
            return st;
        if (Status st = m_val.preload(); !st)
            return st;
        std::vector<int> all(static_cast<size_t>(m_val.count()));
        std::iota(all.begin(), all.end(), 0);
        m_valSamples = m_val.load(all, false, false, 0);
        return {};
    }

    torch::nn::Module &model() override { return *m_model; }

    std::vector<Phase> phases() const override
    {
        const int64_t batch = m_ctx.spec.batchSize;
        return {{m_ctx.spec.epochs, std::max<int64_t>(1, m_train.count() / batch)}};
    }

    StepOutput step(size_t, int epoch, int64_t index) override
    {
        QElapsedTimer wait;
        wait.start();
        const DetectionBatch batch = batchFor(epoch, index);
        m_wait = wait.nsecsElapsed() / 1e9;
        prefetch(epoch, index + 1);
        if (const auto &backbone = m_model->options().backbone())
            backbone->setFrozen(epoch < m_ctx.spec.freezeBackboneEpochs);
        AutocastScope autocast(m_device.is_cuda());
        return {detectionLoss(m_model->forward(batch.images), batch.targets)[0], batch.count};
    }

    std::vector<std::pair<QString, double>> evaluate() override
    {
        if (m_valSamples.empty())
            return {};
        return {{QStringLiteral("map50"), validationMap(m_model, m_valSamples, m_size, m_device)}};
    }

    double lastDataWait() const override { return m_wait; }

    Status exportModel(const QString &folder) override
    {
        if (Status st = Trainer::saveModule(*m_model, folder + QStringLiteral("/model.pt")); !st)
            return st;
        if (const auto &backbone = m_model->options().backbone())
            if (Status st = backbone->saveScript(QDir(folder).filePath(QLatin1String(kBackboneFile))); !st)
                return st;
        return writeModelMeta(folder, m_ctx.spec, m_ctx.snapshot.classes);
    }

private:
    std::function<int(Id)> classIndexFn() const
    {
        const DatasetSnapshot *snap = &m_ctx.snapshot;
        return [snap](Id id) { return snap->classIndex(id); };
    }

    std::vector<int> indicesFor(int epoch, int64_t index) const
    {
        const std::vector<int> order = epochOrder(m_train.count(), m_ctx.spec.seed, epoch);
        const int64_t batch = m_ctx.spec.batchSize, begin = index * batch;
        const int64_t end = std::min<int64_t>(begin + batch, int64_t(order.size()));
        return std::vector<int>(order.begin() + begin, order.begin() + end);
    }

    quint64 batchSeed(int epoch, int64_t index) const { return quint64(m_ctx.spec.seed) * 1000003ull + quint64(epoch) * 7919ull + quint64(index); }

    // Augmented samples of the batch, as tensors on the device with their targets.
    DetectionBatch prepare(int epoch, int64_t index)
    {
        const auto samples = m_train.load(indicesFor(epoch, index), true, mosaicAt(epoch), batchSeed(epoch, index));
        return makeDetectionBatch(samples, m_model->options().numClasses(), m_size, m_device);
    }

    DetectionBatch batchFor(int epoch, int64_t index)
    {
        if (m_next.valid() && m_nextKey == std::make_pair(epoch, index))
            return m_next.get();
        if (m_next.valid())
            m_next.wait();
        return prepare(epoch, index);
    }

    // Mosaics shrink objects and put them next to image edges: the last tenth of the epochs trains
    // on whole images only, as the model will see them.
    bool mosaicAt(int epoch) const
    {
        const int plain = std::max(1, m_ctx.spec.epochs / 10);
        return m_ctx.spec.mosaic && epoch < m_ctx.spec.epochs - plain;
    }

    // Loads, augments and assembles the next batch on another thread while this step computes.
    void prefetch(int epoch, int64_t index)
    {
        if (index >= phases()[0].stepsPerEpoch) {
            ++epoch;
            index = 0;
        }
        m_nextKey = {epoch, index};
        m_next = std::async(std::launch::async, [this, epoch, index] { return prepare(epoch, index); });
    }

    RunContext &m_ctx;
    torch::Device m_device;
    int m_size;
    Detector m_model;
    ImageData m_train, m_val;
    std::vector<ImageSample> m_valSamples;
    std::future<DetectionBatch> m_next;
    std::pair<int, int64_t> m_nextKey{-1, -1};
    double m_wait = 0;
};

} // namespace

double validationMap(Detector &model, const std::vector<ImageSample> &samples, int64_t size, const torch::Device &device)
{
    torch::NoGradGuard noGrad;
    model->eval();
    std::vector<ApImage> images;
    for (size_t begin = 0; begin < samples.size(); begin += 8) {
        const std::vector<ImageSample> chunk(samples.begin() + long(begin), samples.begin() + long(std::min(begin + 8, samples.size())));
        const auto dets = decode(model->forward(imageTensor(chunk, size, device)), 0.01f);
        for (size_t i = 0; i < chunk.size(); ++i) {
            ApImage img;
            for (const LabelBox &b : chunk[i].boxes)
                img.truth.push_back({b.x0, b.y0, b.x1, b.y1, b.cls});
            for (const Detection &d : dets[i])
                img.detections.push_back({d.x0, d.y0, d.x1, d.y1, d.cls, d.score});
            images.push_back(std::move(img));
        }
    }
    return meanAveragePrecision(images, int(model->options().numClasses()));
}

Result<TrainOutcome> trainDetection(RunContext &ctx)
{
    torch::manual_seed(uint64_t(ctx.spec.seed));
    auto model = buildDetector(ctx.spec, ctx.snapshot.classes.size(), ctx.folder);
    if (!model)
        return model.error();
    DetectionTask task(ctx, *model);
    if (Status st = task.prepare(); !st)
        return st.error();
    Trainer trainer(ctx, task);
    return trainer.run();
}

Result<PredictReport> predictDetection(PredictContext &ctx)
{
    auto meta = readModelMeta(ctx.folder);
    if (!meta)
        return meta.error();
    const int64_t size = meta->spec.imageSize;
    auto built = buildDetector(meta->spec, int64_t(meta->classIds.size()), ctx.folder);
    if (!built)
        return built.error();
    Detector model = *built;
    const torch::Device device = predictionDevice(ctx.run);
    model->to(device);
    if (Status st = Trainer::loadModule(*model, ctx.folder + QStringLiteral("/model.pt"), device); !st)
        return st.error();
    const torch::ScalarType dtype =
        prepareForInference(*model, ctx.options.float32 ? InferencePrecision::Float32 : InferencePrecision::Auto);
    spdlog::info("training.predict: run {} computes in {} on {}", ctx.run.id, dtype == torch::kBFloat16 ? "bfloat16" : "float32",
                 device.str());
    c10::InferenceMode inference;
    auto items = loadItems(ctx.project, ctx.items);
    if (!items)
        return items.error();
    ImageData data(*items, [](Id) { return -1; }, {int(size), 4, false});
    const float minScore = float(ctx.options.minScore >= 0 ? ctx.options.minScore : meta->spec.minScore);
    PredictReport report;
    for (int begin = 0; begin < data.count(); begin += ctx.options.batchSize) {
        if (ctx.cancel && ctx.cancel->isCancelled())
            return makeError(ErrorCode::Cancelled, QStringLiteral("run %1: prediction cancelled").arg(ctx.run.id));
        std::vector<int> indices(static_cast<size_t>(std::min(ctx.options.batchSize, data.count() - begin)));
        std::iota(indices.begin(), indices.end(), begin);
        const auto samples = data.load(indices, false, false, 0);
        const auto dets = decode(model->forward(imageTensor(samples, size, device)), minScore);
        QVector<Prediction> predictions;
        for (size_t i = 0; i < samples.size(); ++i) {
            const ImageSample &s = samples[i];
            const Item &item = data.item(indices[i]).item;
            for (const Detection &d : dets[i]) {
                Prediction p;
                p.runId = ctx.run.id;
                p.itemId = item.id;
                p.classId = meta->classIds[size_t(d.cls)];
                p.kind = AnnotationKind::Box;
                const QRectF box(QPointF((d.x0 - s.padX) / s.scale, (d.y0 - s.padY) / s.scale),
                                 QPointF((d.x1 - s.padX) / s.scale, (d.y1 - s.padY) / s.scale));
                p.box = box.intersected(QRectF(0, 0, item.width, item.height));
                p.score = d.score;
                if (s.ok && !p.box.isEmpty())
                    predictions.append(p);
            }
        }
        QVector<Id> itemIds;
        for (const int index : indices)
            itemIds.append(data.item(index).item.id);
        auto stored = ctx.project.runs().replacePredictions(ctx.run.id, itemIds, predictions);
        if (!stored)
            return stored.error();
        report.items += qint64(samples.size());
        report.predictions += *stored;
        if (ctx.options.progress)
            ctx.options.progress(report.items, data.count());
    }
    return report;
}

} // namespace annotune::training::engine
