// The engine driven in-process on tiny synthetic projects (CPU, a few steps): losses are finite and
// fall, cancel checkpoints, a resumed run ends where an uninterrupted one does, predictions are
// stored with their run and score, and bad data fails the run without harming the project.

#include "core/store/runrepository.h"
#include "syntheticproject.h"
#include "core/training/workerlock.h"
#include "training/engine/engine.h"
#include "training/engine/snapshot.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <functional>

using namespace annotune;
using namespace annotune::core;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

// Collects losses and metrics; cancels the token at a given step.
class RecordingSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        events.append(e);
        if (e.kind == ct::EventKind::Progress) {
            losses.append(e.loss);
            if (cancelAt > 0 && e.step == cancelAt && token)
                token->cancel();
        }
    }
    QVector<ct::Event> events;
    QVector<double> losses;
    qint64 cancelAt = 0;
    ct::CancelToken *token = nullptr;
};

using tests::tinyDetection;

double mean(const QVector<double> &v, qsizetype from, qsizetype n)
{
    double sum = 0;
    for (qsizetype i = from; i < from + n; ++i)
        sum += v[i];
    return sum / double(n);
}

QVector<Prediction> predictionsOf(store::Project &project, Id runId, int items, bool float32 = false)
{
    engine::PredictOptions options;
    options.float32 = float32;
    options.runId = runId;
    options.items = engine::PredictItems::All;
    options.minScore = 0;
    auto report = engine::predict(project, options);
    if (!report)
        qWarning() << report.error().message;
    QVector<Prediction> all;
    for (int item = 1; item <= items; ++item)
        all += *project.runs().predictions(runId, item);
    return all;
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { engine::setupRuntime(2); }

    void detectionLossIsFiniteAndFalls()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 10, 0);
        QVERIFY(project);
        ct::JobSpec spec = tinyDetection();
        spec.epochs = 8;
        RecordingSink sink;
        ct::CancelToken cancel;
        auto outcome = engine::train(*project, spec, sink, cancel);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
        QCOMPARE(outcome->status, RunStatus::Finished);
        QCOMPARE(sink.losses.size(), 16);
        for (double l : sink.losses)
            QVERIFY(std::isfinite(l));
        QVERIFY2(mean(sink.losses, 12, 4) < mean(sink.losses, 0, 4), qPrintable(QStringLiteral("%1 -> %2").arg(mean(sink.losses, 0, 4)).arg(mean(sink.losses, 12, 4))));
        const Run run = *project->runs().get(outcome->runId);
        QCOMPARE(run.status, RunStatus::Finished);
        QCOMPARE(run.device, QStringLiteral("cpu"));
        QCOMPARE(run.seed, spec.seed);
        QVERIFY(!run.datasetHash.isEmpty());
        QVERIFY(run.configJson.contains(QStringLiteral("\"image_size\":64")));
        const auto points = *project->runs().metrics(outcome->runId);
        QVERIFY(!points.isEmpty());
        // The learning rate is stored beside the loss, so a finished run's charts show it too.
        int rates = 0;
        for (const auto &p : points)
            if (p.name == QLatin1String("lr")) {
                ++rates;
                QVERIFY(p.value > 0 && p.value <= spec.learningRate);
            }
        QVERIFY(rates > 0);
        QVERIFY(QFile::exists(outcome->runFolder + QStringLiteral("/model.pt")));
        QVERIFY(outcome->runFolder.endsWith(QStringLiteral("synthetic-runs/%1").arg(outcome->runId)));
    }

    void cancelThenResumeEqualsUninterrupted_data()
    {
        QTest::addColumn<int>("imageSize");
        QTest::addColumn<bool>("float32");
        QTest::newRow("64 px, predicted at the CPU's precision") << 64 << false;
        // Maps of 16x16 cells: Winograd training convs where the CPU has them, and float
        // prediction through the oneDNN graph.
        QTest::newRow("128 px, predicted in float") << 128 << true;
    }

    void cancelThenResumeEqualsUninterrupted()
    {
        QFETCH(int, imageSize);
        QFETCH(bool, float32);
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 10, 0);
        QVERIFY(project);
        ct::JobSpec spec = tinyDetection();
        spec.imageSize = imageSize;
        spec.width = 8;
        RecordingSink whole;
        ct::CancelToken never;
        auto a = engine::train(*project, spec, whole, never);
        QVERIFY(a);

        RecordingSink first;
        ct::CancelToken cancel;
        first.cancelAt = 3;
        first.token = &cancel;
        auto b = engine::train(*project, spec, first, cancel);
        QVERIFY(b);
        QCOMPARE(b->status, RunStatus::Cancelled);
        QCOMPARE(b->steps, 3);
        QCOMPARE(project->runs().get(b->runId)->status, RunStatus::Cancelled);
        QVERIFY(QFile::exists(b->runFolder + QStringLiteral("/checkpoint.json")));

        ct::JobSpec resume;
        resume.resumeRunId = b->runId;
        RecordingSink second;
        ct::CancelToken cancel2;
        auto c = engine::train(*project, resume, second, cancel2);
        QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
        QCOMPARE(c->status, RunStatus::Finished);
        QCOMPARE(c->runId, b->runId);
        QCOMPARE(c->steps, 6);
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(second.losses[i] - whole.losses[i + 3]) < 1e-4);

        const QVector<Prediction> pa = predictionsOf(*project, a->runId, 10, float32), pb = predictionsOf(*project, b->runId, 10, float32);
        QVERIFY(!pa.isEmpty());
        QCOMPARE(pa.size(), pb.size());
        for (qsizetype i = 0; i < pa.size(); ++i) {
            QCOMPARE(pa[i].runId, a->runId);
            QCOMPARE(pb[i].runId, b->runId);
            QVERIFY(pa[i].score >= 0 && pa[i].score <= 1);
            QVERIFY(std::abs(pa[i].score - pb[i].score) < 1e-4);
            QVERIFY(std::abs(pa[i].box.left() - pb[i].box.left()) < 1e-2);
        }
    }

    void extractionPretrainsThenLearnsTheField()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 0, 20);
        QVERIFY(project);
        ct::JobSpec spec;
        spec.task = ct::TrainTask::Extraction;
        spec.device = ct::DevicePreference::Cpu;
        spec.pretrainEpochs = 2;
        spec.epochs = 20;
        spec.batchSize = 4;
        spec.modelDim = 32;
        spec.layers = 1;
        spec.heads = 2;
        spec.hashBuckets = 1024;
        spec.learningRate = 0.005;
        spec.warmupSteps = 4;
        RecordingSink sink;
        ct::CancelToken cancel;
        auto outcome = engine::train(*project, spec, sink, cancel);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
        QCOMPARE(sink.losses.size(), 2 * 5 + 20 * 4);
        for (double l : sink.losses)
            QVERIFY(std::isfinite(l));
        QVERIFY2(outcome->metrics.value(QStringLiteral("f1")).toDouble() >= 0.75,
                 qPrintable(QString::number(outcome->metrics.value(QStringLiteral("f1")).toDouble())));
        engine::PredictOptions options;
        options.runId = outcome->runId;
        options.items = engine::PredictItems::All;
        auto report = engine::predict(*project, options);
        QVERIFY(report);
        const QVector<Prediction> p = *project->runs().predictions(outcome->runId, 4);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p.first().kind, AnnotationKind::Field);
        QCOMPARE(p.first().wordIds.size(), 1);
        QCOMPARE(p.first().value, project->annotations().words(4)->at(4).text);
        // Predicting the same items again replaces the run's predictions instead of adding to them.
        QVERIFY(engine::predict(*project, options));
        QCOMPARE(project->runs().predictions(outcome->runId, 4)->size(), 1);
    }

    void foldsPartitionTheLabelledItemsAndClassesCanBeChosen()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 12, 0);
        QVERIFY(project);
        ct::JobSpec spec;
        spec.folds = 3;
        QSet<Id> validated;
        for (spec.fold = 0; spec.fold < spec.folds; ++spec.fold) {
            auto snap = engine::takeSnapshot(*project, spec, false);
            QVERIFY(snap);
            QCOMPARE(snap->train.size() + snap->val.size(), 12);
            QCOMPARE(snap->val.size(), 4);
            QVERIFY(snap->test.isEmpty());
            for (const engine::SnapshotItem &s : snap->val) {
                QVERIFY2(!validated.contains(s.item.id), "an item validated in two folds");
                validated.insert(s.item.id);
            }
        }
        QCOMPARE(validated.size(), 12);
        spec.folds = 0;
        spec.classes = {QStringLiteral("disk")};
        auto disks = engine::takeSnapshot(*project, spec, false);
        QVERIFY(disks);
        QCOMPARE(disks->classes.size(), 1);
        QCOMPARE(disks->classes.first().name, QStringLiteral("disk"));
        spec.classes = {QStringLiteral("disk"), QStringLiteral("hexagon")};
        auto unknown = engine::takeSnapshot(*project, spec, false);
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().message.contains(QStringLiteral("hexagon")), qPrintable(unknown.error().message));
    }

    void runsWhoseWorkerIsGoneAreMarkedFailed()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 2, 0);
        QVERIFY(project);
        Run ghost, live;
        ghost.task = live.task = QStringLiteral("detection");
        ghost.status = live.status = RunStatus::Running;
        const Id ghostId = *project->runs().create(ghost, QStringLiteral("t"));
        const Id liveId = *project->runs().create(live, QStringLiteral("t"));
        for (Id id : {ghostId, liveId})
            QVERIFY(project->runs().setStatus(id, RunStatus::Running, QStringLiteral("t")));
        QVERIFY(QDir().mkpath(project->runFolder(liveId)));
        auto held = ct::lockRunForWorker(project->runFolder(liveId)); // this process is the live worker
        QVERIFY(held);
        QVERIFY(!ct::lockRunForWorker(project->runFolder(liveId))); // a second worker is refused
        auto failed = ct::failOrphanedRuns(*project, 0);
        QVERIFY(failed);
        QCOMPARE(*failed, QVector<Id>{ghostId});
        QCOMPARE(project->runs().get(ghostId)->status, RunStatus::Failed);
        QCOMPARE(project->runs().get(liveId)->status, RunStatus::Running);
        (*held)->unlock();
        QVERIFY(ct::failOrphanedRuns(*project)->isEmpty()); // too young to judge
        QCOMPARE(*ct::failOrphanedRuns(*project, 0), QVector<Id>{liveId});
    }

    void unreadableImagesFailTheRunAndLeaveTheProjectUsable()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 6, 0);
        QVERIFY(project);
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("media/2.png"))));
        RecordingSink sink;
        ct::CancelToken cancel;
        auto outcome = engine::train(*project, tinyDetection(), sink, cancel);
        QVERIFY(!outcome);
        QVERIFY(outcome.error().message.contains(QStringLiteral("2.png")));
        QCOMPARE(sink.events.last().kind, ct::EventKind::Error);
        const QVector<Run> runs = *project->runs().list();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().status, RunStatus::Failed);
        project.reset();
        QVERIFY(store::Project::open(dir.filePath(QStringLiteral("synthetic.annotune"))));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
