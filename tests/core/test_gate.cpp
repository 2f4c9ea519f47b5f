// The approval gate: rules read and written as JSON, each rule type failing with a message that
// names it and its figures, passing when all hold, and approvals recorded (reviewer, time,
// metrics, gate results, dataset snapshot) only then. Also the review and approval store.

#include "../common/evalfixture.h"

#include "core/eval/approval.h"
#include "core/store/approvalrepository.h"
#include "core/store/classrepository.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::eval;
using annotune::testing::EvalFixture;

namespace {

GateInputs inputs(double ap50, qint64 reviewed = 0)
{
    GateInputs in;
    in.runId = 5;
    in.task = QStringLiteral("detection");
    in.metrics = {{QStringLiteral("AP"), 0.4}, {QStringLiteral("AP50"), ap50}};
    in.reviewed = reviewed;
    return in;
}

Status setRules(store::Project &project, const QByteArray &json)
{
    auto rules = gateRulesFromJson(json, QStringLiteral("test"));
    if (!rules)
        return rules.error();
    return saveGateRules(project, *rules, QStringLiteral("t"));
}

QVector<Id> predictionIds(store::Project &project, Id run, Id item)
{
    QVector<Id> ids;
    const QVector<Prediction> stored = project.runs().predictions(run, item).value();
    for (const Prediction &p : stored)
        ids.append(p.id);
    return ids;
}

} // namespace

class TestGate : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void rulesRoundTrip()
    {
        auto rules = gateRulesFromJson(R"({"split": "val", "min_metrics": {"AP50": 0.9, "AP": 0.5}, "max_regression": 0.02,
                                           "regression_metrics": ["AP"], "min_reviewed": 20})",
                                       QStringLiteral("rules.json"));
        QVERIFY2(rules, rules ? "" : qPrintable(rules.error().message));
        QCOMPARE(rules->split, Split::Val);
        QCOMPARE(rules->minMetrics.value(QStringLiteral("AP50")), 0.9);
        QCOMPARE(*rules->maxRegression, 0.02);
        QCOMPARE(rules->minReviewed, 20);
        auto again = gateRulesFromJson(QJsonDocument(toJson(*rules)).toJson(), QStringLiteral("x"));
        QVERIFY(again);
        QVERIFY(*again == *rules);
    }

    void badRulesNameFileAndKey_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("rules.json: gate rules:");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("expected a JSON object");
        QTest::newRow("typo") << QByteArray(R"({"min_metric": {"AP50": 0.9}})") << QStringLiteral("'min_metric'");
        QTest::newRow("negative") << QByteArray(R"({"min_metrics": {"AP50": -1}})") << QStringLiteral("'min_metrics.AP50'");
        QTest::newRow("string") << QByteArray(R"({"max_regression": "0.1"})") << QStringLiteral("'max_regression'");
        QTest::newRow("split") << QByteArray(R"({"split": "holdout"})") << QStringLiteral("'split'");
        QTest::newRow("reviewed") << QByteArray(R"({"min_reviewed": -3})") << QStringLiteral("'min_reviewed'");
    }
    void badRulesNameFileAndKey()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto rules = gateRulesFromJson(json, QStringLiteral("rules.json"));
        QVERIFY(!rules);
        QCOMPARE(rules.error().code, ErrorCode::BadInput);
        QVERIFY2(rules.error().message.contains(QStringLiteral("rules.json")) && rules.error().message.contains(expected),
                 qPrintable(rules.error().message));
    }

    void minMetricRule()
    {
        GateRules rules;
        rules.minMetrics.insert(QStringLiteral("AP50"), 0.9);
        GateReport r = evaluateGate(rules, inputs(0.505));
        QVERIFY(!r.passed());
        QCOMPARE(r.rules.size(), 1);
        QCOMPARE(r.rules[0].rule, QStringLiteral("min AP50"));
        QCOMPARE(r.failureLine(), QStringLiteral("gate rule 'min AP50' fails: AP50 is 0.505 on test, needs >= 0.900"));
        QCOMPARE(r.rules[0].figures.value(QStringLiteral("value")).toDouble(), 0.505);
        QVERIFY(evaluateGate(rules, inputs(0.9)).passed()); // the bound itself passes
        // A metric the run did not measure (undefined or another task's) fails, saying so.
        rules.minMetrics = {{QStringLiteral("f1"), 0.95}};
        r = evaluateGate(rules, inputs(1.0));
        QVERIFY(!r.passed());
        QVERIFY2(r.failureLine().contains(QStringLiteral("f1 was not measured for run 5")), qPrintable(r.failureLine()));
    }

    void regressionRule()
    {
        GateRules rules;
        rules.maxRegression = 0.01;
        GateInputs in = inputs(0.8);
        // Without an approved model there is nothing to regress from.
        GateReport r = evaluateGate(rules, in);
        QVERIFY(r.passed());
        QCOMPARE(r.rules[0].rule, QStringLiteral("regression AP")); // the detection headline by default
        in.approvedRunId = 3;
        in.approvedMetrics = {{QStringLiteral("AP"), 0.45}, {QStringLiteral("AP50"), 0.95}};
        r = evaluateGate(rules, in);
        QVERIFY(!r.passed());
        QVERIFY2(r.failureLine().contains(QStringLiteral("'regression AP' fails: AP is 0.400 against 0.450 of approved run 3 "
                                                         "(drop 0.050, tolerance 0.010)")), qPrintable(r.failureLine()));
        rules.maxRegression = 0.05;
        QVERIFY(evaluateGate(rules, in).passed());
        // With min metrics set, regression is checked on those.
        rules.maxRegression = 0.1;
        rules.minMetrics = {{QStringLiteral("AP50"), 0.5}};
        r = evaluateGate(rules, in);
        QCOMPARE(r.rules.size(), 2);
        QCOMPARE(r.rules[1].rule, QStringLiteral("regression AP50"));
        QVERIFY(!r.rules[1].passed); // 0.95 -> 0.8
    }

    void reviewedRule()
    {
        GateRules rules;
        rules.minReviewed = 3;
        GateReport r = evaluateGate(rules, inputs(1, 2));
        QVERIFY(!r.passed());
        QCOMPARE(r.failureLine(), QStringLiteral("gate rule 'min reviewed' fails: 2 predictions of run 5 reviewed by a person, needs 3"));
        QVERIFY(evaluateGate(rules, inputs(1, 3)).passed());
    }

    void allRulesHold()
    {
        GateRules rules;
        rules.minMetrics = {{QStringLiteral("AP50"), 0.9}};
        rules.maxRegression = 0.0;
        rules.minReviewed = 1;
        GateInputs in = inputs(0.95, 1);
        in.approvedRunId = 2;
        in.approvedMetrics = {{QStringLiteral("AP50"), 0.95}};
        const GateReport r = evaluateGate(rules, in);
        QCOMPARE(r.rules.size(), 3);
        QVERIFY(r.passed());
        QVERIFY(r.failureLine().isEmpty());
        QCOMPARE(r.toJson().size(), 3);
        QVERIFY(r.toJson()[0].toObject().value(QStringLiteral("passed")).toBool());
    }

    void approvalRecordedOnlyWhenGatePasses()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("approve.annotune")));
        store::Project &p = *f.project;
        QVERIFY(setRules(p, R"({"min_metrics": {"AP50": 0.9}})"));
        QCOMPARE(loadGateRules(p)->minMetrics.value(QStringLiteral("AP50")), 0.9);

        auto refused = approveRun(p, f.runA, QStringLiteral("alice"));
        QVERIFY(refused);
        QVERIFY(!refused->approvalId);
        QVERIFY2(refused->check.report.failureLine().contains(QStringLiteral("'min AP50' fails: AP50 is 0.505")),
                 qPrintable(refused->check.report.failureLine()));
        QVERIFY(p.approvals().list()->isEmpty());

        const qint64 before = nowMs();
        auto approved = approveRun(p, f.runB, QStringLiteral("alice"));
        QVERIFY2(approved, approved ? "" : qPrintable(approved.error().message));
        QVERIFY(approved->approvalId);
        const auto list = p.approvals().list().value();
        QCOMPARE(list.size(), 1);
        const Approval &a = list.first();
        QCOMPARE(a.runId, f.runB);
        QCOMPARE(a.reviewer, QStringLiteral("alice"));
        QVERIFY(a.at >= before && a.at <= nowMs());
        QCOMPARE(a.metrics.value(QStringLiteral("AP50")).toDouble(), 1.0);
        QCOMPARE(a.metrics.value(QStringLiteral("split")).toString(), QStringLiteral("test"));
        QCOMPARE(a.gate.size(), 1);
        QCOMPARE(a.gate[0].toObject().value(QStringLiteral("rule")).toString(), QStringLiteral("min AP50"));
        QVERIFY(a.gate[0].toObject().value(QStringLiteral("passed")).toBool());
        QCOMPARE(a.datasetHash, QStringLiteral("hash-B"));
        QVERIFY(!a.revokedAt);
        QCOMPARE(p.approvals().currentApproved(QStringLiteral("detection"))->value().runId, f.runB);
        QVERIFY(!p.approvals().currentApproved(QStringLiteral("extraction"))->has_value());
    }

    void regressionAgainstApprovedRun()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("regress.annotune")));
        store::Project &p = *f.project;
        QVERIFY(approveRun(p, f.runB, QStringLiteral("alice"))->approvalId); // no rules: approved
        QVERIFY(setRules(p, R"({"max_regression": 0.01})"));
        auto check = checkGate(p, f.runA);
        QVERIFY(check);
        QCOMPARE(*check->inputs.approvedRunId, f.runB);
        QVERIFY(!check->report.passed());
        QVERIFY2(check->report.failureLine().contains(QStringLiteral("'regression AP' fails: AP is 0.505 against 1.000 of approved run %1")
                                                          .arg(f.runB)),
                 qPrintable(check->report.failureLine()));
        // The approved run itself is not compared with itself.
        QVERIFY(checkGate(p, f.runB)->report.passed());
        // Once the approval is revoked, nothing is in force to regress from.
        QVERIFY(p.approvals().revoke(p.approvals().list()->first().id, QStringLiteral("alice")));
        QVERIFY(checkGate(p, f.runA)->report.passed());
        QVERIFY(p.approvals().list()->first().revokedAt.has_value());
        QVERIFY(!p.approvals().revoke(p.approvals().list()->first().id, QStringLiteral("alice"))); // already revoked
    }

    void reviewedPredictionsCount()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("reviews.annotune")));
        store::Project &p = *f.project;
        QVERIFY(setRules(p, R"({"min_reviewed": 2})"));
        const Id first = predictionIds(p, f.runB, f.items[0]).first(), second = predictionIds(p, f.runB, f.items[1]).first();
        QVERIFY(!approveRun(p, f.runB, QStringLiteral("bob"))->approvalId);
        QVERIFY(p.approvals().addReview(first, QStringLiteral("bob"), ReviewVerdict::Correct));
        QVERIFY(p.approvals().addReview(first, QStringLiteral("carol"), ReviewVerdict::Wrong, QStringLiteral("box too loose")));
        // Two verdicts on one prediction: one prediction reviewed, the latest verdict counts.
        auto counts = p.approvals().reviewsForRun(f.runB);
        QVERIFY(counts);
        QCOMPARE(counts->reviewed, qint64(1));
        QCOMPARE(counts->wrong, qint64(1));
        QCOMPARE(counts->correct, qint64(0));
        auto refused = approveRun(p, f.runB, QStringLiteral("bob"));
        QVERIFY(!refused->approvalId);
        QVERIFY(refused->check.report.failureLine().contains(QStringLiteral("1 predictions of run %1 reviewed").arg(f.runB)));
        QVERIFY(p.approvals().addReview(second, QStringLiteral("bob"), ReviewVerdict::Correct));
        QVERIFY(approveRun(p, f.runB, QStringLiteral("bob"))->approvalId);
        QCOMPARE(p.approvals().reviews(f.runB)->size(), 3);
        QCOMPARE(p.approvals().reviews(f.runB)->at(1).comment, QStringLiteral("box too loose"));
        // Reviews of run A do not count for run B.
        QCOMPARE(p.approvals().reviewsForRun(f.runA)->reviewed, qint64(0));

        auto missing = p.approvals().addReview(9999, QStringLiteral("bob"), ReviewVerdict::Correct);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("prediction 9999")));
    }

    void sampleIsStableAndBounded()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("sample.annotune")));
        auto &approvals = f.project->approvals();
        const auto a = approvals.samplePredictions(f.runA, 2, 7).value();
        QCOMPARE(a.size(), 2);
        QCOMPARE(approvals.samplePredictions(f.runA, 2, 7).value(), a);
        QCOMPARE(approvals.samplePredictions(f.runA, 50, 7)->size(), 4); // run A has 4 predictions
        auto all = approvals.samplePredictions(f.runA, 4, 1).value();
        std::sort(all.begin(), all.end());
        QCOMPARE(all.size(), 4);
        QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
    }

    void malformedStoredRulesNameTheSetting()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("broken.annotune")));
        QVERIFY(f.project->settings().setValue(QString::fromLatin1(kGateRulesKey), QStringLiteral("{oops"), QStringLiteral("t")));
        auto check = checkGate(*f.project, f.runA);
        QVERIFY(!check);
        QVERIFY2(check.error().message.contains(QStringLiteral("setting 'gate.rules'")), qPrintable(check.error().message));
    }
};

QTEST_GUILESS_MAIN(TestGate)
#include "test_gate.moc"
