// FUNSD cross-validation benchmark: imports the 149 FUNSD training forms from ../shared/data, trains
// the extraction model k times (each fold of the forms validating once, the rest training, folds by
// content hash), stores each run's predictions on its held-out forms through the normal predict path
// and scores them with seqeval's entity-level rules (question / answer / header; "other" is outside).
// Prints each fold and the mean beside the published test-split figures.
// Default (CTest): one fold of five with the fast preset and a few epochs: checks the pipeline, the
// figure is not comparable. --full: all five folds with the balanced preset. --run-folds N runs the
// first N folds only (from --first-fold K); --threads N and --max-steps N for quick looks; --config
// FILE.json overrides the preset's keys as `train --config` does.

#include "core/eval/seqeval.h"
#include "core/formats/funsdimport.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "training/engine/engine.h"
#include "training/engine/snapshot.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace annotune;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

class QuietSink : public ct::ProgressSink {
public:
    void report(const ct::Event &) override {}
};

// The page's words as a tag sequence: B-/I- of the class of the span covering each word.
QStringList tagsOf(const QVector<core::Word> &words, const QVector<QPair<QString, QVector<core::Id>>> &spans)
{
    QHash<core::Id, int> at;
    for (int i = 0; i < words.size(); ++i)
        at.insert(words[i].id, i);
    QStringList tags(words.size(), QStringLiteral("O"));
    for (const auto &[cls, ids] : spans) {
        QVector<int> positions;
        for (core::Id id : ids)
            if (at.contains(id))
                positions.append(at.value(id));
        std::sort(positions.begin(), positions.end());
        for (int k = 0; k < positions.size(); ++k)
            tags[positions[k]] = (k == 0 ? QStringLiteral("B-") : QStringLiteral("I-")) + cls;
    }
    return tags;
}

// Where the entity errors come from: a predicted entity that is wrong either has a gold entity's
// exact words under another type, or overlaps gold entities with other boundaries, or covers only
// words outside every entity; a gold entity is missed when no predicted entity touches it.
struct ErrorKinds {
    int wrongType = 0, wrongBoundary = 0, spurious = 0, missed = 0;
};

ErrorKinds errorKinds(const QVector<core::eval::Entity> &gold, const QVector<core::eval::Entity> &predicted)
{
    const auto overlaps = [](const core::eval::Entity &a, const core::eval::Entity &b) {
        return a.sentence == b.sentence && a.begin <= b.end && b.begin <= a.end;
    };
    ErrorKinds k;
    for (const core::eval::Entity &p : predicted) {
        if (gold.contains(p))
            continue;
        bool sameWords = false, touches = false;
        for (const core::eval::Entity &g : gold) {
            sameWords = sameWords || (g.sentence == p.sentence && g.begin == p.begin && g.end == p.end);
            touches = touches || overlaps(g, p);
        }
        ++(sameWords ? k.wrongType : touches ? k.wrongBoundary : k.spurious);
    }
    for (const core::eval::Entity &g : gold)
        if (std::none_of(predicted.begin(), predicted.end(), [&](const core::eval::Entity &p) { return overlaps(g, p); }))
            ++k.missed;
    return k;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool full = app.arguments().contains(QStringLiteral("--full"));
    const auto option = [&](const char *name, int fallback) {
        const int at = app.arguments().indexOf(QLatin1String(name));
        return at > 0 && at + 1 < app.arguments().size() ? app.arguments().at(at + 1).toInt() : fallback;
    };
    engine::setupRuntime(option("--threads", 0));
    const QString data = QStringLiteral(ANNOTUNE_SHARED_DATA "/funsd-train");
    QTemporaryDir dir;
    auto created = core::store::Project::create(dir.filePath(QStringLiteral("funsd.annotune")));
    if (!created)
        return std::fprintf(stderr, "%s\n", qPrintable(created.error().message)), 1;
    core::store::Project &project = **created;
    auto imported = core::formats::importFunsd(project, data);
    if (!imported)
        return std::fprintf(stderr, "%s\n", qPrintable(imported.error().message)), 1;
    const int folds = 5, runFolds = std::clamp(option("--run-folds", full ? folds : 1), 1, folds);
    std::printf("funsd_bench: %s mode, %lld forms from %s, %d-fold cross-validation%s\n", full ? "full" : "quick",
                qint64(imported->forms), qPrintable(data), folds,
                full ? "" : " (one fold, fast preset, few epochs: run `funsd_bench --full` for the figures)");
    std::fflush(stdout);

    const QStringList classes{QStringLiteral("question"), QStringLiteral("answer"), QStringLiteral("header")};
    QHash<core::Id, QString> classNames;
    auto allClasses = project.classes().list();
    if (!allClasses)
        return std::fprintf(stderr, "%s\n", qPrintable(allClasses.error().message)), 1;
    for (const core::LabelClass &c : *allClasses)
        classNames.insert(c.id, c.name);
    double sum = 0;
    const int firstFold = std::clamp(option("--first-fold", 0), 0, folds - 1);
    for (int fold = firstFold; fold < std::min(folds, firstFold + runFolds); ++fold) {
        auto spec = ct::presetSpec(ct::TrainTask::Extraction, full ? QStringLiteral("balanced") : QStringLiteral("fast"));
        if (!spec)
            return std::fprintf(stderr, "%s\n", qPrintable(spec.error().message)), 1;
        spec->device = ct::DevicePreference::Cpu;
        spec->classes = classes;
        spec->folds = folds;
        spec->fold = fold;
        if (!full) {
            spec->epochs = 3;
            spec->pretrainEpochs = 1;
        }
        spec->maxSteps = option("--max-steps", 0);
        if (const int at = app.arguments().indexOf(QStringLiteral("--config")); at > 0 && at + 1 < app.arguments().size())
            if (core::Status st = ct::mergeConfigFile(*spec, app.arguments().at(at + 1)); !st)
                return std::fprintf(stderr, "%s\n", qPrintable(st.error().message)), 1;
        QElapsedTimer clock;
        clock.start();
        QuietSink sink;
        ct::CancelToken cancel;
        auto outcome = engine::train(project, *spec, sink, cancel);
        if (!outcome)
            return std::fprintf(stderr, "fold %d: %s\n", fold, qPrintable(outcome.error().message)), 1;
        engine::PredictOptions options;
        options.runId = outcome->runId;
        options.items = engine::PredictItems::All;
        options.minScore = 0;
        if (auto predicted = engine::predict(project, options); !predicted)
            return std::fprintf(stderr, "fold %d: %s\n", fold, qPrintable(predicted.error().message)), 1;
        auto snapshot = engine::takeSnapshot(project, *spec, false);
        if (!snapshot)
            return std::fprintf(stderr, "%s\n", qPrintable(snapshot.error().message)), 1;
        QVector<QStringList> gold, predictedTags;
        for (const engine::SnapshotItem &page : snapshot->val) {
            QVector<QPair<QString, QVector<core::Id>>> truth, guess;
            for (const core::Annotation &a : page.annotations)
                truth.append({classNames.value(a.classId), a.wordIds});
            auto predictions = project.runs().predictions(outcome->runId, page.item.id);
            if (!predictions)
                return std::fprintf(stderr, "%s\n", qPrintable(predictions.error().message)), 1;
            for (const core::Prediction &p : *predictions)
                guess.append({classNames.value(p.classId), p.wordIds});
            gold.append(tagsOf(page.words, truth));
            predictedTags.append(tagsOf(page.words, guess));
        }
        auto report = core::eval::evaluateSequences(gold, predictedTags);
        if (!report)
            return std::fprintf(stderr, "%s\n", qPrintable(report.error().message)), 1;
        std::printf("  fold %d: %lld training forms, %lld held out, %.0f s: entity F1 %.2f (P %.2f, R %.2f)", fold,
                    qint64(snapshot->train.size()), qint64(snapshot->val.size()), clock.elapsed() / 1000.0,
                    100 * report->overall.f1(), 100 * report->overall.precision(), 100 * report->overall.recall());
        for (const core::eval::EntityScore &s : report->perType)
            std::printf("  %s %.2f", qPrintable(s.type), 100 * s.f1());
        auto goldEntities = core::eval::extractEntities(gold), predictedEntities = core::eval::extractEntities(predictedTags);
        if (!goldEntities || !predictedEntities)
            return std::fprintf(stderr, "fold %d: cannot read back the entities\n", fold), 1;
        const ErrorKinds kinds = errorKinds(*goldEntities, *predictedEntities);
        std::printf("\n    errors: %d predicted with another type, %d with other boundaries, %d outside every entity; "
                    "%d gold entities untouched\n",
                    kinds.wrongType, kinds.wrongBoundary, kinds.spurious, kinds.missed);
        std::fflush(stdout);
        sum += report->overall.f1();
    }
    std::printf("FUNSD %d-fold cross-validated entity F1 (%s): %.2f  (aim > 66; published on the 50-form test split: "
                "BERT-base 60.26, RoBERTa-base 66.48, LayoutLM-base 78.66, all pretrained on millions of documents)\n",
                folds, full ? "mean of the folds run" : "quick mode", 100 * sum / std::min(runFolds, folds - firstFold));
    return 0;
}
