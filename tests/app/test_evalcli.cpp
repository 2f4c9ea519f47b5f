// annotune-cli eval, errors, compare, gate, review and approve end to end: exit codes (0 ok,
// 1 usage, 2 refused or bad input), the one-line refusal naming the failing rule and its
// figures, metrics stored with the run, and an approval recorded only when the gate passes.
// Runs on the hand-built fixture (exact numbers) and on the demo project with jittered ground
// truth as predictions (a realistic size).

#include "../common/evalfixture.h"

#include "core/store/approvalrepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;

namespace {

struct CliRun {
    int code = -1;
    QString out;
    QString err;
};

CliRun cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(ANNOTUNE_CLI), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString id(Id v) { return QString::number(v); }

// Predictions from ground truth: boxes jittered by up to 3 px, one in ten dropped, one in ten
// given another class, a false positive on one image in ten; fields copied, one in ten dropped.
QVector<Prediction> jittered(store::Project &project, Id run, const QVector<Id> &boxClasses)
{
    QRandomGenerator rng(42);
    QVector<Prediction> out;
    auto jitter = [&] { return rng.bounded(7) - 3; };
    Status st = project.items().forEach({}, [&](const Item &item) {
        const QVector<Annotation> truth = project.annotations().forItem(item.id).value();
        for (const Annotation &a : truth) {
            if (rng.bounded(10) == 0 || (a.kind != AnnotationKind::Box && a.kind != AnnotationKind::Polygon && a.kind != AnnotationKind::Field))
                continue;
            Prediction p{0, run, item.id, a.classId, a.kind, a.box.adjusted(jitter(), jitter(), jitter(), jitter()), a.polygon,
                         a.wordIds, a.value, {}, 0.5 + rng.bounded(0.5)};
            if (a.kind != AnnotationKind::Field && rng.bounded(10) == 0)
                p.classId = boxClasses[rng.bounded(int(boxClasses.size()))];
            out.append(p);
        }
        if (item.kind == ItemKind::Image && rng.bounded(10) == 0)
            out.append(Prediction{0, run, item.id, boxClasses.first(), AnnotationKind::Box, QRectF(0, 0, 20, 20), {}, {}, {}, {}, 0.6});
        return true;
    });
    return st ? out : QVector<Prediction>{};
}

} // namespace

class TestEvalCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void evalPrintsAndStoresMetrics()
    {
        const QString file = path(QStringLiteral("eval.annotune"));
        Id runA = 0;
        {
            auto f = annotune::testing::detectionFixture(file);
            runA = f.runA;
        }
        CliRun r = cli({QStringLiteral("eval"), file, QStringLiteral("--run"), id(runA)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.505")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("class square: AP 0.505")));
        QVERIFY(r.out.contains(QStringLiteral("stored as run metrics eval/test/*")));
        {
            auto project = store::Project::open(file, store::Project::Access::ReadOnly);
            QVERIFY(project);
            double ap50 = -1;
            int stored = 0;
            const QVector<store::MetricPoint> points = (*project)->runs().metrics(runA).value();
            for (const store::MetricPoint &m : points) {
                stored += m.name.startsWith(QLatin1String("eval/test/"));
                if (m.name == QLatin1String("eval/test/AP50"))
                    ap50 = m.value;
            }
            QVERIFY(qAbs(ap50 - 51.0 / 101.0) < 1e-12);
            QCOMPARE(stored, 8); // APs, APl, ARs, ARl are undefined (-1) and not stored
        }
        r = cli({QStringLiteral("eval"), file, QStringLiteral("--run"), id(runA), QStringLiteral("--json"), QStringLiteral("--no-store")});
        QCOMPARE(r.code, 0);
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("AR100")).toDouble(), 0.5);
        QCOMPARE(json.value(QStringLiteral("items")).toInt(), 2);
    }

    void evalRefusalsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown run") << QStringList{QStringLiteral("--run"), QStringLiteral("99")} << QStringLiteral("run 99: no such run");
        QTest::newRow("bad split") << QStringList{QStringLiteral("--run"), QStringLiteral("1"), QStringLiteral("--split"), QStringLiteral("holdout")}
                                   << QStringLiteral("--split holdout");
    }
    void evalRefusalsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const QString file = path(QStringLiteral("refuse.annotune"));
        if (!QFile::exists(file))
            annotune::testing::detectionFixture(file);
        const CliRun r = cli(QStringList{QStringLiteral("eval"), file} + args);
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(cli({QStringLiteral("eval"), file}).code, 1); // --run is required
    }

    void gateReviewApprove()
    {
        const QString file = path(QStringLiteral("gate.annotune"));
        Id runA = 0, runB = 0, prediction = 0;
        {
            auto f = annotune::testing::detectionFixture(file);
            runA = f.runA;
            runB = f.runB;
            prediction = f.project->runs().predictions(runB, f.items[0])->first().id;
        }
        const QString rules = path(QStringLiteral("rules.json"));
        QFile out(rules);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"min_metrics": {"AP50": 0.9}, "min_reviewed": 1})");
        out.close();
        CliRun r = cli({QStringLiteral("gate"), file, QStringLiteral("--set"), rules});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({QStringLiteral("gate"), file, QStringLiteral("--show")});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("min_reviewed")).toInt(), 1);

        r = cli({QStringLiteral("approve"), file, QStringLiteral("--run"), id(runA), QStringLiteral("--reviewer"), QStringLiteral("alice")});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(r.err.contains(QStringLiteral("run %1 not approved: gate rule 'min AP50' fails: AP50 is 0.505 on test, needs >= 0.900").arg(runA)),
                 qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("'min reviewed' fails: 0 predictions")));

        r = cli({QStringLiteral("approve"), file, QStringLiteral("--run"), id(runB), QStringLiteral("--reviewer"), QStringLiteral("alice")});
        QCOMPARE(r.code, 2); // nothing reviewed yet
        QVERIFY(!r.err.contains(QStringLiteral("min AP50")));

        r = cli({QStringLiteral("sample-predictions"), file, QStringLiteral("--run"), id(runB), QStringLiteral("--count"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed().split(QLatin1Char('\n')).size(), 1);
        r = cli({QStringLiteral("review"), file, QStringLiteral("--prediction"), id(prediction), QStringLiteral("--verdict"), QStringLiteral("correct"),
                 QStringLiteral("--reviewer"), QStringLiteral("bob")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({QStringLiteral("review"), file, QStringLiteral("--prediction"), QStringLiteral("12345"), QStringLiteral("--verdict"),
                 QStringLiteral("correct"), QStringLiteral("--reviewer"), QStringLiteral("bob")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("prediction 12345")));
        r = cli({QStringLiteral("review"), file, QStringLiteral("--prediction"), id(prediction), QStringLiteral("--verdict"), QStringLiteral("maybe"),
                 QStringLiteral("--reviewer"), QStringLiteral("bob")});
        QCOMPARE(r.code, 2);

        r = cli({QStringLiteral("approve"), file, QStringLiteral("--run"), id(runB), QStringLiteral("--reviewer"), QStringLiteral("alice")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("approved run %1 by alice").arg(runB)));
        auto project = store::Project::open(file, store::Project::Access::ReadOnly);
        QVERIFY(project);
        const auto approvals = (*project)->approvals().list().value();
        QCOMPARE(approvals.size(), 1);
        QCOMPARE(approvals.first().runId, runB);
        QCOMPARE(approvals.first().reviewer, QStringLiteral("alice"));
        QCOMPARE(approvals.first().datasetHash, QStringLiteral("hash-B"));
    }

    void demoProjectEndToEnd()
    {
        const QString file = path(QStringLiteral("demo.annotune"));
        QCOMPARE(cli({QStringLiteral("demo"), file, QStringLiteral("--shapes"), QStringLiteral("60"), QStringLiteral("--invoices"),
                      QStringLiteral("30")}).code, 0);
        Id detection = 0, extraction = 0;
        {
            auto project = store::Project::open(file);
            QVERIFY(project);
            store::Project &p = **project;
            QVector<Id> boxClasses;
            const QVector<LabelClass> classes = p.classes().list().value();
            for (const LabelClass &c : classes)
                if (c.kind == ClassKind::Box || c.kind == ClassKind::Polygon)
                    boxClasses.append(c.id);
            QVERIFY(!boxClasses.isEmpty());
            detection = p.runs().create(Run{0, QStringLiteral("det"), QStringLiteral("detection"), RunStatus::Finished, {}, 1, {}, {}, QStringLiteral("h1"), {}, 0, 0}, QStringLiteral("t")).value();
            extraction = p.runs().create(Run{0, QStringLiteral("ext"), QStringLiteral("extraction"), RunStatus::Finished, {}, 1, {}, {}, QStringLiteral("h2"), {}, 0, 0}, QStringLiteral("t")).value();
            QVector<Prediction> det = jittered(p, detection, boxClasses), ext;
            QVERIFY(!det.isEmpty());
            for (Prediction &x : det)
                if (x.kind == AnnotationKind::Field) {
                    x.runId = extraction;
                    ext.append(x);
                }
            det.erase(std::remove_if(det.begin(), det.end(), [](const Prediction &x) { return x.kind == AnnotationKind::Field; }), det.end());
            QVERIFY(p.runs().insertPredictions(det));
            QVERIFY(p.runs().insertPredictions(ext));
        }
        CliRun r = cli({QStringLiteral("eval"), file, QStringLiteral("--run"), id(detection), QStringLiteral("--split"), QStringLiteral("all"),
                        QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject metrics = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("metrics")).toObject();
        // Jitter, drops and swaps keep AP50 high but below perfect.
        QVERIFY2(metrics.value(QStringLiteral("AP50")).toDouble() > 0.5 && metrics.value(QStringLiteral("AP50")).toDouble() < 1.0,
                 qPrintable(r.out.left(400)));
        r = cli({QStringLiteral("eval"), file, QStringLiteral("--run"), id(extraction), QStringLiteral("--split"), QStringLiteral("all")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("precision 1.000")), qPrintable(r.out)); // only drops: every prediction is right
        QVERIFY(!r.out.contains(QStringLiteral("f1 1.000")));

        r = cli({QStringLiteral("errors"), file, QStringLiteral("--run"), id(detection), QStringLiteral("--split"), QStringLiteral("all"),
                 QStringLiteral("--limit"), QStringLiteral("5"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray worst = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QVERIFY(!worst.isEmpty() && worst.size() <= 5);
        for (int i = 1; i < worst.size(); ++i)
            QVERIFY(worst[i - 1].toObject().value(QStringLiteral("severity")).toDouble() >= worst[i].toObject().value(QStringLiteral("severity")).toDouble());
        // An extraction run is judged on its fields only: pages, and no box verdicts.
        r = cli({QStringLiteral("errors"), file, QStringLiteral("--run"), id(extraction), QStringLiteral("--split"), QStringLiteral("all"),
                 QStringLiteral("--limit"), QStringLiteral("-1")});
        QVERIFY2(r.code == 0 && !r.out.isEmpty(), qPrintable(r.err));
        QVERIFY2(!r.out.contains(QStringLiteral("missed")) && !r.out.contains(QStringLiteral("shapes/")), qPrintable(r.out.left(400)));
        QVERIFY(r.out.contains(QStringLiteral("missing_field")));
        r = cli({QStringLiteral("errors"), file, QStringLiteral("--run"), id(detection), QStringLiteral("--type"), QStringLiteral("nonsense")});
        QCOMPARE(r.code, 2);

        r = cli({QStringLiteral("compare"), file, QStringLiteral("--run"), id(detection), QStringLiteral("--against"), id(detection)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("(+0.000)")));
        r = cli({QStringLiteral("compare"), file, QStringLiteral("--run"), id(detection), QStringLiteral("--against"), id(extraction)});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("different tasks")));
    }
};

QTEST_GUILESS_MAIN(TestEvalCli)
#include "test_evalcli.moc"
