#include "jobspec.h"

#include "core/enumnames.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <array>

// The presets live in a static library: their resources must be registered by hand.
static void initPresetResources() { Q_INIT_RESOURCE(presets); }

namespace annotune::core::training {
namespace {

constexpr std::array<std::pair<TrainTask, const char *>, 2> kTasks{
    {{TrainTask::Detection, "detection"}, {TrainTask::Extraction, "extraction"}}};
constexpr std::array<std::pair<LabelSelection, const char *>, 2> kSelections{
    {{LabelSelection::Approved, "approved"}, {LabelSelection::Labeled, "labeled"}}};
constexpr std::array<std::pair<DevicePreference, const char *>, 3> kDevices{
    {{DevicePreference::Auto, "auto"}, {DevicePreference::Cpu, "cpu"}, {DevicePreference::Cuda, "cuda"}}};

// Reads o's keys into a spec, remembering the first bad value.
class Reader {
public:
    explicit Reader(const QJsonObject &o) : m_o(o) {}

    template <typename T>
    void number(const char *key, T &out, double lo, double hi)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isDouble() || v.toDouble() < lo || v.toDouble() > hi)
            return bad(key, QStringLiteral("a number in [%1, %2]").arg(lo).arg(hi));
        out = T(v.toDouble());
    }
    void flag(const char *key, bool &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        v.isBool() ? void(out = v.toBool()) : bad(key, QStringLiteral("true or false"));
    }
    void text(const char *key, QString &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        v.isString() ? void(out = v.toString()) : bad(key, QStringLiteral("a string"));
    }
    template <typename E, std::size_t N>
    void choice(const char *key, E &out, const std::array<std::pair<E, const char *>, N> &table)
    {
        QString s;
        text(key, s);
        if (s.isEmpty())
            return;
        if (auto v = valueOf(table, s))
            out = *v;
        else
            bad(key, QStringLiteral("one of the known names"));
    }
    void list(const char *key, QStringList &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isArray())
            return bad(key, QStringLiteral("a list of strings"));
        out.clear();
        for (const QJsonValue &e : v.toArray())
            out << e.toString();
    }
    void bad(const char *key, const QString &expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("job spec: \"%1\": expected %2").arg(QLatin1String(key), expected);
    }
    QString error() const { return m_error; }

private:
    const QJsonObject &m_o;
    QString m_error;
};

} // namespace

QString toText(TrainTask v) { return nameOf(kTasks, v); }
QString toText(LabelSelection v) { return nameOf(kSelections, v); }
QString toText(DevicePreference v) { return nameOf(kDevices, v); }
std::optional<TrainTask> trainTaskFromString(const QString &s) { return valueOf(kTasks, s); }
std::optional<LabelSelection> labelSelectionFromString(const QString &s) { return valueOf(kSelections, s); }
std::optional<DevicePreference> devicePreferenceFromString(const QString &s) { return valueOf(kDevices, s); }

QJsonObject JobSpec::toJson() const
{
    return QJsonObject{
        {QStringLiteral("task"), toText(task)}, {QStringLiteral("preset"), preset},
        {QStringLiteral("labels"), toText(labels)}, {QStringLiteral("device"), toText(device)},
        {QStringLiteral("seed"), double(seed)}, {QStringLiteral("epochs"), epochs},
        {QStringLiteral("batch_size"), batchSize}, {QStringLiteral("learning_rate"), learningRate},
        {QStringLiteral("weight_decay"), weightDecay}, {QStringLiteral("warmup_steps"), warmupSteps},
        {QStringLiteral("loader_threads"), loaderThreads}, {QStringLiteral("checkpoint_every"), checkpointEvery},
        {QStringLiteral("max_steps"), double(maxSteps)}, {QStringLiteral("classes"), QJsonArray::fromStringList(classes)},
        {QStringLiteral("cv_folds"), folds}, {QStringLiteral("cv_fold"), fold}, {QStringLiteral("image_size"), imageSize},
        {QStringLiteral("width"), width}, {QStringLiteral("mosaic"), mosaic},
        {QStringLiteral("min_score"), minScore}, {QStringLiteral("backbone"), backbonePath},
        {QStringLiteral("freeze_backbone_epochs"), freezeBackboneEpochs},
        {QStringLiteral("pretrain_epochs"), pretrainEpochs}, {QStringLiteral("model_dim"), modelDim},
        {QStringLiteral("layers"), layers}, {QStringLiteral("heads"), heads},
        {QStringLiteral("hash_buckets"), hashBuckets}, {QStringLiteral("dropout"), dropout},
        {QStringLiteral("spatial_bias"), spatialBias}, {QStringLiteral("transition_weight"), transitionWeight},
        {QStringLiteral("lora_rank"), loraRank},
        {QStringLiteral("lora_alpha"), loraAlpha}, {QStringLiteral("lora_targets"), QJsonArray::fromStringList(loraTargets)},
        {QStringLiteral("base"), base}, {QStringLiteral("resume_run"), double(resumeRunId)},
    };
}

Status JobSpec::merge(const QJsonObject &o)
{
    Reader r(o);
    r.choice("task", task, kTasks);
    r.text("preset", preset);
    r.choice("labels", labels, kSelections);
    r.choice("device", device, kDevices);
    r.number("seed", seed, 0, 9e15);
    r.number("epochs", epochs, 0, 100000);
    r.number("batch_size", batchSize, 1, 4096);
    r.number("learning_rate", learningRate, 0, 10);
    r.number("weight_decay", weightDecay, 0, 10);
    r.number("warmup_steps", warmupSteps, 0, 1e9);
    r.number("loader_threads", loaderThreads, 1, 256);
    r.number("checkpoint_every", checkpointEvery, 0, 1e9);
    r.number("max_steps", maxSteps, 0, 1e12);
    r.list("classes", classes);
    r.number("cv_folds", folds, 0, 1000);
    r.number("cv_fold", fold, 0, 999);
    r.number("image_size", imageSize, 64, 2048);
    r.number("width", width, 4, 512);
    r.flag("mosaic", mosaic);
    r.number("min_score", minScore, 0, 1);
    r.text("backbone", backbonePath);
    r.number("freeze_backbone_epochs", freezeBackboneEpochs, 0, 100000);
    r.number("pretrain_epochs", pretrainEpochs, 0, 100000);
    r.number("model_dim", modelDim, 8, 4096);
    r.number("layers", layers, 1, 64);
    r.number("heads", heads, 1, 64);
    r.number("hash_buckets", hashBuckets, 64, 1 << 24);
    r.number("dropout", dropout, 0, 0.9);
    r.flag("spatial_bias", spatialBias);
    r.number("transition_weight", transitionWeight, 0, 10);
    r.number("lora_rank", loraRank, 0, 1024);
    r.number("lora_alpha", loraAlpha, 0, 1e6);
    r.list("lora_targets", loraTargets);
    r.text("base", base);
    r.number("resume_run", resumeRunId, 0, 9e15);
    if (!r.error().isEmpty())
        return makeError(ErrorCode::BadInput, r.error());
    if (folds > 1 && fold >= folds)
        return makeError(ErrorCode::BadInput, QStringLiteral("job spec: cv_fold must be below cv_folds"));
    if (modelDim % heads != 0)
        return makeError(ErrorCode::BadInput, QStringLiteral("job spec: model_dim must be a multiple of heads"));
    return {};
}

Result<JobSpec> JobSpec::fromJson(const QJsonObject &o)
{
    JobSpec spec;
    if (Status st = spec.merge(o); !st)
        return st.error();
    return spec;
}

Result<JobSpec> presetSpec(TrainTask task, const QString &preset)
{
    auto keys = presetKeys(task, preset);
    if (!keys)
        return keys.error();
    JobSpec spec;
    spec.task = task;
    if (Status st = spec.merge(*keys); !st)
        return makeError(ErrorCode::BadInput, QStringLiteral("preset %1 for %2: %3").arg(preset, toText(task), st.error().message));
    spec.task = task;
    spec.preset = preset;
    return spec;
}

Result<QJsonObject> presetKeys(TrainTask task, const QString &preset)
{
    static const bool registered = (initPresetResources(), true);
    Q_UNUSED(registered);
    auto keys = readConfigFile(QStringLiteral(":/presets/%1-%2.json").arg(toText(task), preset));
    if (!keys)
        return makeError(ErrorCode::NotFound, QStringLiteral("preset %1 for %2: %3").arg(preset, toText(task), keys.error().message));
    return keys;
}

Result<QJsonObject> readConfigFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not a JSON object: %2").arg(path, pe.errorString()));
    return doc.object();
}

Status mergeConfig(JobSpec &spec, const QJsonObject &keys)
{
    const QJsonObject known = spec.toJson();
    for (auto it = keys.begin(); it != keys.end(); ++it)
        if (!known.contains(it.key()))
            return makeError(ErrorCode::BadInput, QStringLiteral("job spec: unknown key \"%1\"").arg(it.key()));
    return spec.merge(keys);
}

Status mergeConfigFile(JobSpec &spec, const QString &path)
{
    auto keys = readConfigFile(path);
    if (!keys)
        return keys.error();
    if (Status st = mergeConfig(spec, *keys); !st)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2").arg(path, st.error().message));
    return {};
}

} // namespace annotune::core::training
