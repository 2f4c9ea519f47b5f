// TrainingClient against a fake worker (canned lines: good, malformed, split, over-long; cancel;
// a stubborn worker that must be killed; a crash) and against the real worker killed mid-run.

#include "core/store/runrepository.h"
#include "syntheticproject.h"
#include "training/client/trainingclient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using namespace annotune::core;
using annotune::training::client::TrainingClient;

namespace {

const QString kFake = QStringLiteral(ANNOTUNE_FAKE_WORKER);

// Waits for the client's ended signal; returns {status, message}.
QStringList waitEnded(QSignalSpy &spy, int ms = 60000)
{
    if (spy.isEmpty() && !spy.wait(ms))
        return {};
    return {spy.first().at(0).toString(), spy.first().at(1).toString()};
}

Id runningRun(store::Project &project)
{
    Run run;
    run.name = QStringLiteral("r");
    run.task = QStringLiteral("detection");
    run.status = RunStatus::Running;
    return *project.runs().create(run, QStringLiteral("t"));
}

} // namespace

class TestTrainingClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesGoodLinesAndSkipsBadOnes()
    {
        TrainingClient client;
        client.setMaxLineBytes(1024);
        QSignalSpy events(&client, &TrainingClient::eventReceived), progress(&client, &TrainingClient::progress);
        QSignalSpy metric(&client, &TrainingClient::metric), ended(&client, &TrainingClient::ended);
        QSignalSpy started(&client, &TrainingClient::started), checkpoint(&client, &TrainingClient::checkpointWritten);
        client.start(kFake, {QStringLiteral("normal")}, {});
        QCOMPARE(waitEnded(ended), (QStringList{QStringLiteral("finished"), QString()}));
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(0).toLongLong(), 5);
        QCOMPARE(progress.size(), 2);
        QCOMPARE(progress.at(1).at(2).toDouble(), 2.0);
        QCOMPARE(metric.size(), 1);
        QCOMPARE(metric.first().at(0).toString(), QStringLiteral("map50"));
        QCOMPARE(checkpoint.size(), 1);
        QCOMPARE(events.size(), 6); // started, 2 progress, metric, checkpoint, finished (no newline at the end)
        QCOMPARE(client.malformedLines(), 3); // not json, over-long, unknown event
    }

    void cancelAsksTheWorkerToStop()
    {
        TrainingClient client;
        QSignalSpy started(&client, &TrainingClient::started), ended(&client, &TrainingClient::ended);
        client.start(kFake, {QStringLiteral("wait")}, {});
        QVERIFY(started.wait(10000));
        client.cancel(20000);
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("cancelled"));
    }

    void aStubbornWorkerIsKilledAndItsRunFails()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 1, 0);
        const Id run = runningRun(*project);
        TrainingClient client;
        QSignalSpy started(&client, &TrainingClient::started), ended(&client, &TrainingClient::ended);
        client.start(kFake, {QStringLiteral("stubborn"), QString::number(run)}, project->path());
        QVERIFY(started.wait(10000));
        QElapsedTimer clock;
        clock.start();
        client.cancel(600);
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("failed"));
        QVERIFY(clock.elapsed() < 10000);
        QCOMPARE(project->runs().get(run)->status, RunStatus::Failed);
    }

    void aCrashedWorkerLeavesAFailedRun()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 1, 0);
        const Id run = runningRun(*project);
        TrainingClient client;
        QSignalSpy ended(&client, &TrainingClient::ended);
        client.start(kFake, {QStringLiteral("crash"), QString::number(run)}, project->path());
        const QStringList end = waitEnded(ended);
        QCOMPARE(end.value(0), QStringLiteral("failed"));
        QVERIFY(end.value(1).contains(QStringLiteral("killed or crashed")));
        QCOMPARE(project->runs().get(run)->status, RunStatus::Failed);
    }

    void theRealWorkerKilledMidRunLeavesAFailedRunAndAUsableProject()
    {
        QTemporaryDir dir;
        {
            auto project = tests::makeSyntheticProject(dir.path(), 8, 0);
            QVERIFY(project);
        }
        const QString config = dir.filePath(QStringLiteral("tiny.json"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"image_size": 64, "width": 4, "batch_size": 2, "epochs": 50, "mosaic": false, "device": "cpu"})");
        f.close();
        const QString path = dir.filePath(QStringLiteral("synthetic.annotune"));
        core::training::JobSpec spec;
        spec.preset = QStringLiteral("fast");
        TrainingClient client;
        QSignalSpy progress(&client, &TrainingClient::progress), ended(&client, &TrainingClient::ended);
        client.start(QStringLiteral(ANNOTUNE_CLI), TrainingClient::trainArguments(path, spec, config), path);
        QVERIFY(progress.wait(120000));
        client.kill();
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("failed"));
        auto project = store::Project::open(path);
        QVERIFY(project);
        const QVector<Run> runs = *(*project)->runs().list();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().status, RunStatus::Failed);
        QCOMPARE(client.runId(), runs.first().id);
    }
};

QTEST_GUILESS_MAIN(TestTrainingClient)
#include "test_trainingclient.moc"
