// The extraction task: masked-word pretraining on all pages, then fine-tuning of the BIO tagger on
// labelled pages (the whole model, or LoRA adapters plus the tag head), validated with field F1.

#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "training/engine/extractor.h"
#include "training/engine/modelfile.h"
#include "training/engine/trainer.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <future>
#include <numeric>
#include <random>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

ExtractorOptions extractorOptions(const ct::JobSpec &spec, int64_t classes, int64_t loraRank)
{
    std::vector<std::string> targets;
    for (const QString &t : spec.loraTargets)
        targets.push_back(t.toStdString());
    return ExtractorOptions(classes).dropout(spec.dropout).dim(spec.modelDim).layers(spec.layers).heads(spec.heads).buckets(spec.hashBuckets)
        .spatialBias(spec.spatialBias).loraRank(loraRank).loraAlpha(spec.loraAlpha).loraTargets(targets);
}

namespace {

std::vector<PageFeatures> featuresOf(const QVector<SnapshotItem> &pages, int64_t buckets, const std::function<int(Id)> &classIndex)
{
    std::vector<PageFeatures> out;
    for (const SnapshotItem &p : pages)
        out.push_back(pageFeatures(p, buckets, classIndex));
    return out;
}

// Copies every tensor of the archive at path whose name and shape match one of module's.
Status loadMatching(torch::nn::Module &module, const QString &path)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.toStdString());
        torch::NoGradGuard guard;
        for (auto &item : module.named_parameters(true)) {
            torch::Tensor saved;
            if (archive.try_read(item.key(), saved) && saved.sizes() == item.value().sizes())
                item.value().copy_(saved);
        }
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: cannot load: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

// The model file and its description for --base (a run id or a model.pt path).
QString baseModelFile(RunContext &ctx)
{
    bool numeric = false;
    const Id id = ctx.spec.base.toLongLong(&numeric);
    return numeric ? runFolder(ctx.project, id) + QStringLiteral("/model.pt") : ctx.spec.base;
}

class ExtractionTask : public Task {
public:
    explicit ExtractionTask(RunContext &ctx)
        : m_ctx(ctx), m_device(torchDevice(ctx.device)),
          m_model(extractorOptions(ctx.spec, ctx.snapshot.classes.size(), ctx.spec.loraRank))
    {
        const auto classIndex = [snap = &ctx.snapshot](Id id) { return snap->classIndex(id); };
        const int64_t buckets = ctx.spec.hashBuckets;
        m_train = featuresOf(ctx.snapshot.train, buckets, classIndex);
        m_val = featuresOf(ctx.snapshot.val, buckets, classIndex);
        for (const auto *set : {&ctx.snapshot.train, &ctx.snapshot.val, &ctx.snapshot.test, &ctx.snapshot.unlabeled})
            for (PageFeatures &f : featuresOf(*set, buckets, classIndex))
                m_all.push_back(std::move(f));
        m_single.assign(size_t(ctx.snapshot.classes.size()), true);
        for (const SnapshotItem &page : ctx.snapshot.train) {
            std::vector<int> perClass(m_single.size(), 0);
            for (const Annotation &a : page.annotations)
                if (const int c = classIndex(a.classId); c >= 0 && ++perClass[size_t(c)] > 1)
                    m_single[size_t(c)] = false;
        }
        m_transitions = countTransitions(m_train, numTags(), ctx.spec.transitionWeight);
        m_model->to(m_device);
    }

    Status prepare()
    {
        if (m_ctx.spec.base.isEmpty())
            return {};
        return loadMatching(*m_model, baseModelFile(m_ctx));
    }

    torch::nn::Module &model() override { return *m_model; }

    std::vector<Phase> phases() const override
    {
        const int64_t b = m_ctx.spec.batchSize;
        const auto steps = [b](size_t n) { return std::max<int64_t>(1, (int64_t(n) + b - 1) / b); };
        std::vector<Phase> out;
        if (m_ctx.spec.pretrainEpochs > 0 && m_ctx.spec.base.isEmpty())
            out.push_back({m_ctx.spec.pretrainEpochs, steps(m_all.size())});
        out.push_back({m_ctx.spec.epochs, steps(m_train.size())});
        return out;
    }

    bool pretraining(size_t phase) const { return phase == 0 && phases().size() == 2; }

    void enterPhase(size_t phase) override
    {
        if (phase == m_phase)
            return;
        m_phase = phase;
        m_model->setBaseFrozen(!pretraining(phase) && m_ctx.spec.loraRank > 0);
    }

    StepOutput step(size_t phase, int epoch, int64_t index) override
    {
        QElapsedTimer wait;
        wait.start();
        const Prepared data = batchFor(phase, epoch, index);
        m_wait = wait.nsecsElapsed() / 1e9;
        prefetch(phase, epoch, index + 1);
        const PageBatch &batch = data.batch;
        AutocastScope autocast(m_device.is_cuda());
        if (!data.masked.defined())
            return {tagLoss(m_model, batch), batch.pad.size(0)};
        const torch::Tensor logits = m_model->wordLogits(m_model->encode(batch, data.masked));
        return {torch::nn::functional::cross_entropy(logits.index({data.masked}).to(torch::kFloat), batch.wordHash.index({data.masked})),
                batch.pad.size(0)};
    }

    std::vector<std::pair<QString, double>> evaluate() override
    {
        if (m_val.empty() || pretraining(m_phase))
            return {};
        FieldCounts counts;
        for (size_t begin = 0; begin < m_val.size(); begin += 16) {
            std::vector<const PageFeatures *> pages;
            for (size_t i = begin; i < std::min(begin + 16, m_val.size()); ++i)
                pages.push_back(&m_val[i]);
            const auto probs = predictTagProbs(m_model, pages, m_device);
            for (size_t i = 0; i < pages.size(); ++i)
                countFields(decodeSpans(probs[i].data(), pages[i]->count(), numTags(), m_single, pages[i]->steps, m_transitions),
                            pages[i]->tags, counts);
        }
        return {{QStringLiteral("f1"), counts.f1()}};
    }

    double lastDataWait() const override { return m_wait; }

    Status exportModel(const QString &folder) override
    {
        if (m_ctx.spec.loraRank > 0) {
            torch::serialize::OutputArchive adapters;
            size_t i = 0;
            for (const torch::Tensor &p : m_model->adapterParameters())
                adapters.write("adapter." + std::to_string(i++), p);
            adapters.save_to((folder + QStringLiteral("/adapters.pt")).toStdString());
            m_model->mergeAdapters();
        }
        if (Status st = Trainer::saveModule(*m_model, folder + QStringLiteral("/model.pt")); !st)
            return st;
        return writeModelMeta(folder, m_ctx.spec, m_ctx.snapshot.classes, m_single, m_transitions);
    }

private:
    int64_t numTags() const { return 2 * int64_t(m_ctx.snapshot.classes.size()) + 1; }

    // A batch ready for the model, and for pretraining the words to mask.
    struct Prepared {
        PageBatch batch;
        torch::Tensor masked;
    };
    using Key = std::tuple<size_t, int, int64_t>;

    Prepared prepare(size_t phase, int epoch, int64_t index) const
    {
        const bool pre = pretraining(phase);
        Prepared out{makeBatch(pagesFor(pre ? m_all : m_train, epoch, index), m_device), {}};
        if (pre)
            out.masked = maskFor(out.batch, epoch, index);
        else
            out.batch.boxes = jitterLayout(out.batch.boxes, epoch, index);
        return out;
    }

    Prepared batchFor(size_t phase, int epoch, int64_t index)
    {
        if (m_next.valid() && m_nextKey == Key{phase, epoch, index})
            return m_next.get();
        if (m_next.valid())
            m_next.wait();
        return prepare(phase, epoch, index);
    }

    // Builds the next batch of the phase on another thread while this step computes.
    void prefetch(size_t phase, int epoch, int64_t index)
    {
        if (index >= phases()[phase].stepsPerEpoch) {
            ++epoch;
            index = 0;
        }
        m_nextKey = {phase, epoch, index};
        m_next = std::async(std::launch::async, [this, phase, epoch, index] { return prepare(phase, epoch, index); });
    }

    std::vector<const PageFeatures *> pagesFor(const std::vector<PageFeatures> &set, int epoch, int64_t index) const
    {
        std::vector<size_t> order(set.size());
        std::iota(order.begin(), order.end(), size_t(0));
        std::mt19937_64 rng(uint64_t(m_ctx.spec.seed) * 7919u + uint64_t(epoch));
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<const PageFeatures *> out;
        const size_t b = size_t(m_ctx.spec.batchSize);
        for (size_t i = size_t(index) * b; i < std::min(order.size(), size_t(index + 1) * b); ++i)
            out.push_back(&set[order[i]]);
        return out;
    }

    // Moves and stretches each page's layout a little (up to 10 % of the page, 15 % in scale) so the
    // model learns where words are relative to each other rather than memorising page positions.
    torch::Tensor jitterLayout(const torch::Tensor &boxes, int epoch, int64_t index) const
    {
        std::mt19937_64 rng(uint64_t(m_ctx.spec.seed) * 2654435761u + uint64_t(epoch) * 977u + uint64_t(index));
        std::uniform_real_distribution<float> scale(0.85f, 1.15f), shift(-0.1f * kPositionBins, 0.1f * kPositionBins);
        const int64_t B = boxes.size(0);
        torch::Tensor factor = torch::empty({B, 1, 4}), offset = torch::empty({B, 1, 4});
        for (int64_t b = 0; b < B; ++b) {
            const float sx = scale(rng), sy = scale(rng), tx = shift(rng), ty = shift(rng);
            const float f[4] = {sx, sy, sx, sy}, o[4] = {tx, ty, tx, ty};
            for (int k = 0; k < 4; ++k) {
                factor[b][0][k] = f[k];
                offset[b][0][k] = o[k];
            }
        }
        const torch::Tensor moved = boxes.to(torch::kFloat) * factor.to(boxes.device()) + offset.to(boxes.device());
        return moved.round().clamp(0, kPositionBins - 1).to(torch::kLong);
    }

    // 15% of the real words, chosen from (seed, epoch, index); at least one.
    torch::Tensor maskFor(const PageBatch &batch, int epoch, int64_t index) const
    {
        std::mt19937_64 rng(uint64_t(m_ctx.spec.seed) * 1000003u + uint64_t(epoch) * 131u + uint64_t(index));
        const torch::Tensor pad = batch.pad.cpu();
        torch::Tensor masked = torch::zeros_like(pad);
        auto m = masked.accessor<bool, 2>();
        const auto p = pad.accessor<bool, 2>();
        std::uniform_real_distribution<float> u(0, 1);
        for (int64_t b = 0; b < pad.size(0); ++b)
            for (int64_t t = 0; t < pad.size(1); ++t)
                m[b][t] = !p[b][t] && u(rng) < 0.15f;
        m[0][0] = true;
        return masked.to(m_device);
    }

    RunContext &m_ctx;
    torch::Device m_device;
    Extractor m_model;
    std::vector<PageFeatures> m_train, m_val, m_all;
    std::vector<bool> m_single; // per class: at most one labelled span per page in the training data
    TagTransitions m_transitions; // counted on the training pages
    size_t m_phase = size_t(-1);
    double m_wait = 0;
    std::future<Prepared> m_next;
    Key m_nextKey{size_t(-1), -1, -1};
};

} // namespace

Result<TrainOutcome> trainExtraction(RunContext &ctx)
{
    torch::manual_seed(uint64_t(ctx.spec.seed));
    ExtractionTask task(ctx);
    if (Status st = task.prepare(); !st)
        return st.error();
    Trainer trainer(ctx, task);
    return trainer.run();
}

Result<PredictReport> predictExtraction(PredictContext &ctx)
{
    auto meta = readModelMeta(ctx.folder);
    if (!meta)
        return meta.error();
    Extractor model(extractorOptions(meta->spec, int64_t(meta->classIds.size()), 0));
    const torch::Device device = predictionDevice(ctx.run);
    model->to(device);
    if (Status st = Trainer::loadModule(*model, ctx.folder + QStringLiteral("/model.pt"), device); !st)
        return st.error();
    auto pages = loadItems(ctx.project, ctx.items);
    if (!pages)
        return pages.error();
    PredictReport report;
    for (qsizetype begin = 0; begin < pages->size(); begin += ctx.options.batchSize) {
        if (ctx.cancel && ctx.cancel->isCancelled())
            return makeError(ErrorCode::Cancelled, QStringLiteral("run %1: prediction cancelled").arg(ctx.run.id));
        const QVector<SnapshotItem> chunk = pages->mid(begin, ctx.options.batchSize);
        const std::vector<PageFeatures> features = featuresOf(chunk, meta->spec.hashBuckets, [](Id) { return -1; });
        std::vector<const PageFeatures *> pointers;
        for (const PageFeatures &f : features)
            pointers.push_back(&f);
        const auto probs = predictTagProbs(model, pointers, device);
        const int64_t tags = 2 * int64_t(meta->classIds.size()) + 1;
        QVector<Prediction> out;
        for (size_t i = 0; i < features.size(); ++i)
            for (const FieldSpan &span : decodeSpans(probs[i].data(), features[i].count(), tags, meta->singleSpan, features[i].steps, meta->transitions)) {
                if (span.score < ctx.options.minScore)
                    continue;
                Prediction p;
                p.runId = ctx.run.id;
                p.itemId = chunk[qsizetype(i)].item.id;
                p.classId = meta->classIds[size_t(span.cls)];
                p.kind = AnnotationKind::Field;
                QStringList texts;
                for (int w : span.words) {
                    p.wordIds.append(features[i].wordIds[size_t(w)]);
                    texts << features[i].texts[size_t(w)];
                    p.box = p.box.united(chunk[qsizetype(i)].words[w].box);
                }
                p.value = texts.join(QLatin1Char(' '));
                p.score = span.score;
                out.append(p);
            }
        QVector<Id> itemIds;
        for (const SnapshotItem &page : chunk)
            itemIds.append(page.item.id);
        auto stored = ctx.project.runs().replacePredictions(ctx.run.id, itemIds, out);
        if (!stored)
            return stored.error();
        report.items += chunk.size();
        report.predictions += *stored;
        if (ctx.options.progress)
            ctx.options.progress(report.items, pages->size());
    }
    return report;
}

} // namespace annotune::training::engine
