// The job spec and the worker's event protocol: JSON round trips, refusals, presets.

#include "core/training/events.h"
#include "core/training/jobspec.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::training;

class TestJobSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void specRoundTrips()
    {
        JobSpec s;
        s.task = TrainTask::Extraction;
        s.labels = LabelSelection::Approved;
        s.seed = 42;
        s.loraRank = 8;
        s.loraTargets = {QStringLiteral("q"), QStringLiteral("ff1")};
        s.base = QStringLiteral("3");
        auto back = JobSpec::fromJson(s.toJson());
        QVERIFY(back);
        QCOMPARE(back->toJson(), s.toJson());
        QCOMPARE(back->task, TrainTask::Extraction);
        QCOMPARE(back->loraTargets, s.loraTargets);
    }

    void badValuesAreRefusedWithTheKey()
    {
        auto r = JobSpec::fromJson(QJsonObject{{QStringLiteral("epochs"), QStringLiteral("ten")}});
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("epochs")));
        QVERIFY(!JobSpec::fromJson(QJsonObject{{QStringLiteral("task"), QStringLiteral("segmentation")}}));
        QVERIFY(!JobSpec::fromJson(QJsonObject{{QStringLiteral("batch_size"), 0}}));
        QVERIFY(!JobSpec::fromJson(QJsonObject{{QStringLiteral("model_dim"), 30}, {QStringLiteral("heads"), 4}}));
    }

    void presetsLoadForEveryTask()
    {
        for (TrainTask task : {TrainTask::Detection, TrainTask::Extraction})
            for (const char *name : {"fast", "balanced", "accurate"}) {
                auto spec = presetSpec(task, QLatin1String(name));
                QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message));
                QCOMPARE(spec->task, task);
                QCOMPARE(spec->preset, QLatin1String(name));
                QVERIFY(spec->epochs > 0);
            }
        QVERIFY(!presetSpec(TrainTask::Detection, QStringLiteral("ludicrous")));
    }

    void configFileMergesOverAPreset()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"epochs": 3, "image_size": 128})");
        f.close();
        JobSpec spec = *presetSpec(TrainTask::Detection, QStringLiteral("fast"));
        QVERIFY(mergeConfigFile(spec, path));
        QCOMPARE(spec.epochs, 3);
        QCOMPARE(spec.imageSize, 128);
        QVERIFY(!mergeConfigFile(spec, dir.filePath(QStringLiteral("missing.json"))));
        // A misspelt key is refused with its name, and nothing of that file is taken.
        QFile typo(dir.filePath(QStringLiteral("typo.json")));
        QVERIFY(typo.open(QIODevice::WriteOnly));
        typo.write(R"({"epochs": 5, "spatial_bais": true})");
        typo.close();
        const Status st = mergeConfigFile(spec, typo.fileName());
        QVERIFY(!st);
        QVERIFY2(st.error().message.contains(QStringLiteral("spatial_bais")) && st.error().message.contains(typo.fileName()),
                 qPrintable(st.error().message));
        QCOMPARE(spec.epochs, 3);
        // Specs stored by other versions may carry keys this one does not know: merge skips them.
        QVERIFY(spec.merge(QJsonObject{{QStringLiteral("retired_key"), 1}}));
    }

    void everyEventRoundTrips()
    {
        for (EventKind kind : {EventKind::Started, EventKind::Progress, EventKind::Metric, EventKind::Checkpoint,
                               EventKind::Finished, EventKind::Error}) {
            Event e;
            e.kind = kind;
            e.runId = 7;
            e.step = 12;
            e.totalSteps = 40;
            e.loss = 0.5;
            e.name = QStringLiteral("map50");
            e.value = 0.25;
            e.status = QStringLiteral("finished");
            e.message = QStringLiteral("boom");
            e.path = QStringLiteral("/tmp/x");
            const QByteArray line = e.toLine();
            QVERIFY(!line.contains('\n'));
            auto back = Event::parseLine(line + "\r\n");
            QVERIFY2(back, qPrintable(QString::fromUtf8(line)));
            QCOMPARE(back->kind, kind);
            QCOMPARE(back->toLine(), line);
        }
    }

    void malformedLinesAreRefused()
    {
        QVERIFY(!Event::parseLine("not json"));
        QVERIFY(!Event::parseLine("[1,2]"));
        QVERIFY(!Event::parseLine(R"({"event":"exploded"})"));
        QVERIFY(!Event::parseLine(R"({"event":"metric","value":1})"));
        QVERIFY(!Event::parseLine(""));
    }
};

QTEST_GUILESS_MAIN(TestJobSpec)
#include "test_jobspec.moc"
