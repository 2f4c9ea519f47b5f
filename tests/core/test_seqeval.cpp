// Entity-level scores: equal to seqeval / conlleval on the CoNLL reference file (both tag
// styles), strict IOB2, and hand-worked chunking cases for IOB1, IOB2, BIOES and type changes.

#include "core/eval/seqeval.h"

#include <QtTest>

using namespace annotune::core::eval;

namespace {

const QString kFile = QStringLiteral(ANNOTUNE_SHARED_DATA "/seqeval/ground_truth.txt");

QVector<Entity> chunks(const QString &tags, ChunkMode mode = ChunkMode::Conlleval)
{
    auto e = extractEntities({tags.split(QLatin1Char(' '))}, {mode, false});
    if (!e)
        qFatal("%s", qPrintable(e.error().message));
    return *e;
}

Entity entity(const char *type, int begin, int end) { return {QString::fromLatin1(type), 0, begin, end}; }

} // namespace

class TestSeqEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void referenceMatchesConlleval_data();
    void referenceMatchesConlleval();
    void strictIob2Reference();
    void chunkingRules_data();
    void chunkingRules();
    void strictRejectsForeignTags();
    void documentExactMatch();
    void mismatchedLengthsFail();
};

void TestSeqEval::referenceMatchesConlleval_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("suffix");
    QTest::newRow("prefix tags") << kFile << false;
    QTest::newRow("suffix tags") << QStringLiteral(ANNOTUNE_SHARED_DATA "/seqeval/ground_truth_inv.txt") << true;
}

void TestSeqEval::referenceMatchesConlleval()
{
    QFETCH(QString, file);
    QFETCH(bool, suffix);
    auto columns = readConll(file, 3, 4);
    QVERIFY2(columns, qPrintable(columns ? QString() : columns.error().message));
    QCOMPARE(columns->gold.size(), 40);
    auto report = evaluateSequences(columns->gold, columns->predicted, {ChunkMode::Conlleval, suffix});
    QVERIFY(report);
    // conlleval.pl and seqeval on this file (../shared/data/README.md and seqeval/SOURCE.txt):
    // accuracy 84.08 %, precision 68.83 %, recall 80.83 %, F1 74.35; 459 gold, 539 found, 371 correct.
    QCOMPARE(report->overall.gold, 459);
    QCOMPARE(report->overall.predicted, 539);
    QCOMPARE(report->overall.correct, 371);
    QCOMPARE(report->tokens, 961);
    QCOMPARE(qRound(report->accuracy() * 10000), 8408);
    QCOMPARE(qRound(report->overall.precision() * 10000), 6883);
    QCOMPARE(qRound(report->overall.recall() * 10000), 8083);
    QCOMPARE(qRound(report->overall.f1() * 10000), 7435);
    int gold = 0;
    for (const EntityScore &s : report->perType)
        gold += s.gold;
    QCOMPARE(gold, 459);
}

void TestSeqEval::strictIob2Reference()
{
    auto columns = readConll(kFile, 3, 4);
    QVERIFY(columns);
    auto report = evaluateSequences(columns->gold, columns->predicted, {ChunkMode::StrictIob2, false});
    QVERIFY(report);
    // seqeval classification_report(mode='strict', scheme=IOB2): F1 0.7046 (README).
    QCOMPARE(qRound(report->overall.f1() * 10000), 7046);
}

void TestSeqEval::chunkingRules_data()
{
    QTest::addColumn<QString>("tags");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QVector<Entity>>("expected");
    const int conll = int(ChunkMode::Conlleval), strict = int(ChunkMode::StrictIob2);
    // IOB1: an I after O opens a chunk; a B only splits two chunks of one type.
    QTest::newRow("iob1") << "I-PER I-PER O I-LOC B-LOC" << conll
                          << QVector<Entity>{entity("PER", 0, 1), entity("LOC", 3, 3), entity("LOC", 4, 4)};
    QTest::newRow("iob2") << "B-PER I-PER B-PER O" << conll << QVector<Entity>{entity("PER", 0, 1), entity("PER", 2, 2)};
    QTest::newRow("bioes") << "B-PER E-PER S-LOC E-LOC" << conll
                           << QVector<Entity>{entity("PER", 0, 1), entity("LOC", 2, 2), entity("LOC", 3, 3)};
    // A change of type closes the chunk and opens another, even inside.
    QTest::newRow("type change") << "B-PER I-LOC I-LOC" << conll << QVector<Entity>{entity("PER", 0, 0), entity("LOC", 1, 2)};
    QTest::newRow("chunk at end") << "O B-ORG I-ORG" << conll << QVector<Entity>{entity("ORG", 1, 2)};
    // Strict IOB2: I without a B before it is no entity; an I of another type ends one.
    QTest::newRow("strict orphan I") << "I-PER I-PER O B-LOC" << strict << QVector<Entity>{entity("LOC", 3, 3)};
    QTest::newRow("strict type change") << "B-PER I-LOC I-LOC" << strict << QVector<Entity>{entity("PER", 0, 0)};
    QTest::newRow("strict ok") << "B-PER I-PER B-PER" << strict << QVector<Entity>{entity("PER", 0, 1), entity("PER", 2, 2)};
}

void TestSeqEval::chunkingRules()
{
    QFETCH(QString, tags);
    QFETCH(int, mode);
    QFETCH(QVector<Entity>, expected);
    const QVector<Entity> actual = chunks(tags, ChunkMode(mode));
    QCOMPARE(actual.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY2(actual[i] == expected[i], qPrintable(QStringLiteral("%1 %2-%3").arg(actual[i].type).arg(actual[i].begin).arg(actual[i].end)));
}

void TestSeqEval::strictRejectsForeignTags()
{
    auto e = extractEntities({{QStringLiteral("B-PER"), QStringLiteral("E-PER")}}, {ChunkMode::StrictIob2, false});
    QVERIFY(!e);
    QVERIFY2(e.error().message.contains(QLatin1String("sentence 1, token 2")), qPrintable(e.error().message));
}

void TestSeqEval::documentExactMatch()
{
    // Document 1 predicted exactly; document 2 misses its LOC: rate 1/2. Differences that do
    // not change entities (an O spelled as O) still count as exact.
    const QVector<QVector<QStringList>> gold{{{"B-PER", "I-PER", "O"}}, {{"B-LOC", "O"}, {"B-PER"}}};
    const QVector<QVector<QStringList>> pred{{{"B-PER", "I-PER", "O"}}, {{"O", "O"}, {"B-PER"}}};
    auto rate = documentExactMatchRate(gold, pred);
    QVERIFY(rate);
    QCOMPARE(*rate, 0.5);
    auto none = documentExactMatchRate({}, {});
    QVERIFY(none && *none == 0.0);
}

void TestSeqEval::mismatchedLengthsFail()
{
    auto r = evaluateSequences({{"B-PER", "O"}}, {{"B-PER"}});
    QVERIFY(!r);
    QVERIFY(r.error().message.contains(QLatin1String("sentence 1")));
    auto missing = readConll(QStringLiteral("/nonexistent.txt"), 3, 4);
    QVERIFY(!missing && missing.error().message.contains(QLatin1String("/nonexistent.txt")));
}

QTEST_GUILESS_MAIN(TestSeqEval)
#include "test_seqeval.moc"
