// Project evaluation on hand-built projects: golden COCO and entity numbers worked out by hand,
// the scope (split, status), per-item error verdicts of every kind, and run comparison.

#include "../common/evalfixture.h"

#include "core/eval/itemerrors.h"
#include "core/eval/projecteval.h"
#include "core/eval/runcompare.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::eval;
using annotune::testing::EvalFixture;

namespace {

// Run A on the detection fixture: square has 2 ground truths (items 1, 2). Detections by score:
// 0.9 on item 1 (exact, true positive at every IoU), 0.8 on item 2 (far away, false positive).
// Precision [1, 0.5] at recall [0.5, 0.5]; interpolated precision is 1 for the 51 recall
// thresholds 0, 0.01, ..., 0.50 and 0 above, so AP = 51/101 at every IoU threshold; recall 0.5.
constexpr double kHalfAp = 51.0 / 101.0;

const ErrorEntry *find(const ItemErrors &e, ErrorType type)
{
    for (const ErrorEntry &entry : e.entries)
        if (entry.type == type)
            return &entry;
    return nullptr;
}

int count(const ItemErrors &e, ErrorType type)
{
    return int(std::count_if(e.entries.begin(), e.entries.end(), [&](const ErrorEntry &x) { return x.type == type; }));
}

} // namespace

class TestProjectEval : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private Q_SLOTS:
    void perfectDetectionRun()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("perfect.annotune")));
        auto pe = evaluateRun(*f.project, f.runB);
        QVERIFY2(pe, pe ? "" : qPrintable(pe.error().message));
        QCOMPARE(pe->task, QStringLiteral("detection"));
        QCOMPARE(pe->items, 2); // the train item and the unlabeled item stay out
        for (const char *name : {"AP", "AP50", "AP75", "APm", "AR1", "AR10", "AR100", "ARm"})
            QCOMPARE(pe->metrics.value(QString::fromLatin1(name)), 1.0);
        QCOMPARE(pe->metrics.value(QStringLiteral("APs")), -1.0); // no small objects
        QCOMPARE(pe->detection->groundTruth, qint64(2));
    }

    void oneFalsePositiveOneMiss()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("fpmiss.annotune")));
        auto pe = evaluateRun(*f.project, f.runA);
        QVERIFY2(pe, pe ? "" : qPrintable(pe.error().message));
        for (const char *name : {"AP", "AP50", "AP75", "APm"})
            QVERIFY2(qAbs(pe->metrics.value(QString::fromLatin1(name)) - kHalfAp) < 1e-12, name);
        for (const char *name : {"AR1", "AR10", "AR100", "ARm"})
            QCOMPARE(pe->metrics.value(QString::fromLatin1(name)), 0.5);
        QCOMPARE(pe->metrics.value(QStringLiteral("APl")), -1.0);
        QCOMPARE(pe->classScores.size(), 2);
        QCOMPARE(pe->classScores[0].name, QStringLiteral("square"));
        QVERIFY(qAbs(pe->classScores[0].score - kHalfAp) < 1e-12);
        QCOMPARE(pe->classScores[1].score, -1.0); // circle: no ground truth
        // Confusion (square, circle, background): square found once, missed once, one background FP.
        const ConfusionMatrix &cm = pe->detection->confusion;
        const size_t sq = size_t(std::find(cm.categoryIds.begin(), cm.categoryIds.end(), f.classes.value(QStringLiteral("square"))) - cm.categoryIds.begin());
        const size_t bg = cm.size() - 1;
        QCOMPARE(cm.cell(sq, sq), int64_t(1));
        QCOMPARE(cm.cell(sq, bg), int64_t(1));
        QCOMPARE(cm.cell(bg, sq), int64_t(1));
        // Calibration over the two detections: one matched at 0.9, one not at 0.8.
        int64_t binned = 0;
        for (const CalibrationBin &b : pe->detection->bbox.calibration.bins)
            binned += b.count;
        QCOMPARE(binned, int64_t(2));
        const QJsonObject json = toJson(*pe);
        QVERIFY(qAbs(json.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("AP50")).toDouble() - kHalfAp) < 1e-12);
        QCOMPARE(json.value(QStringLiteral("detection")).toObject().value(QStringLiteral("confusion")).toObject()
                     .value(QStringLiteral("labels")).toArray().last().toString(), QStringLiteral("background"));
    }

    void otherSplitAndAllSplits()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("splits.annotune")));
        ProjectEvalOptions options;
        options.scope.split = Split::Train;
        auto train = evaluateRun(*f.project, f.runA, options);
        QVERIFY(train);
        QCOMPARE(train->items, 1);
        QCOMPARE(train->metrics.value(QStringLiteral("AP50")), 0.0); // its only detection misses
        options.scope.split = std::nullopt;
        auto all = evaluateRun(*f.project, f.runB, options);
        QVERIFY(all);
        QCOMPARE(all->items, 3);
    }

    void polygonsAsMasksAndCrowd()
    {
        auto created = store::Project::create(path(QStringLiteral("poly.annotune")));
        QVERIFY(created);
        EvalFixture f{std::move(*created), {}, {}, {}, 0, 0};
        const Id blob = annotune::testing::fixtureClass(f, QStringLiteral("blob"), ClassKind::Polygon);
        const Id item = f.project->items().insertMany({annotune::testing::fixtureItem(7, Split::Test, ItemStatus::Labeled)}, QStringLiteral("t"))->first();
        const QPolygonF triangle({QPointF(10, 10), QPointF(110, 10), QPointF(10, 110)});
        Annotation gt;
        gt.itemId = item;
        gt.classId = blob;
        gt.kind = AnnotationKind::Polygon;
        gt.polygon = triangle;
        gt.author = QStringLiteral("t");
        QVERIFY(f.project->annotations().add(gt, QStringLiteral("t")));
        Annotation crowd = annotune::testing::fixtureBox(item, blob, {300, 300, 100, 100});
        crowd.attributes.insert(QStringLiteral("iscrowd"), 1);
        QVERIFY(f.project->annotations().add(crowd, QStringLiteral("t")));
        const Id run = annotune::testing::fixtureRun(f, QStringLiteral("P"), QStringLiteral("detection"));
        Prediction p = annotune::testing::fixturePrediction(run, item, blob, {}, 0.9); // box left empty: from the polygon
        p.kind = AnnotationKind::Polygon;
        p.polygon = triangle;
        // A detection inside the crowd region is neither a hit nor a false positive.
        QVERIFY(f.project->runs().insertPredictions({p, annotune::testing::fixturePrediction(run, item, blob, {310, 310, 50, 50}, 0.95)}));
        auto pe = evaluateRun(*f.project, run);
        QVERIFY2(pe, pe ? "" : qPrintable(pe.error().message));
        QCOMPARE(pe->metrics.value(QStringLiteral("AP")), 1.0);
        QCOMPARE(pe->metrics.value(QStringLiteral("segm/AP")), 1.0);
        QVERIFY(pe->detection->segm.has_value());
        // The triangle's area is 5000 (medium), not its 10000 box.
        auto [gtCoco, dtCoco] = toCoco(*loadEvalSet(*f.project, run), false);
        QCOMPARE(gtCoco.annotations.front().area, 5000.0);
        QVERIFY(gtCoco.annotations.back().crowd);
        const auto errors = classifyErrors(*loadEvalSet(*f.project, run));
        QCOMPARE(errors.first().errorCount(), 0);
    }

    void extractionGolden()
    {
        EvalFixture f = annotune::testing::extractionFixture(path(QStringLiteral("fields.annotune")));
        // Gold entities: page 1 vendor, invoice_number, total; page 2 vendor (4). Run X predicts
        // vendor, invoice_number, due_date on page 1 and vendor on page 2 (4), 3 of them right:
        // precision = recall = F1 = 3/4. Document 2 is exact, document 1 is not: exact match 1/2.
        auto pe = evaluateRun(*f.project, f.runA);
        QVERIFY2(pe, pe ? "" : qPrintable(pe.error().message));
        QCOMPARE(pe->task, QStringLiteral("extraction"));
        QCOMPARE(pe->metrics.value(QStringLiteral("precision")), 0.75);
        QCOMPARE(pe->metrics.value(QStringLiteral("recall")), 0.75);
        QCOMPARE(pe->metrics.value(QStringLiteral("f1")), 0.75);
        QCOMPARE(pe->metrics.value(QStringLiteral("exact_match")), 0.5);
        const ExtractionReport &x = *pe->extraction;
        QCOMPARE(x.documents, 2);
        for (const EntityScore &s : x.entities.perType) {
            if (s.type == QLatin1String("vendor"))
                QCOMPARE(s.f1(), 1.0);
            if (s.type == QLatin1String("total"))
                QVERIFY(s.gold == 1 && s.predicted == 0 && s.recall() == 0);
            if (s.type == QLatin1String("due_date"))
                QVERIFY(s.gold == 0 && s.predicted == 1 && s.precision() == 0);
        }
        // Field confusion (vendor, invoice_number, total, due_date, none).
        const FieldConfusion &cm = x.confusion;
        QCOMPARE(cm.fields, (QStringList{QStringLiteral("vendor"), QStringLiteral("invoice_number"), QStringLiteral("total"), QStringLiteral("due_date")}));
        QCOMPARE(cm.cell(0, 0), int64_t(2));
        QCOMPARE(cm.cell(1, 1), int64_t(1));
        QCOMPARE(cm.cell(2, 4), int64_t(1)); // total missed
        QCOMPARE(cm.cell(4, 3), int64_t(1)); // due_date spurious

        auto perfect = evaluateRun(*f.project, f.runB);
        QVERIFY(perfect);
        QCOMPARE(perfect->metrics.value(QStringLiteral("f1")), 1.0);
        QCOMPARE(perfect->metrics.value(QStringLiteral("exact_match")), 1.0);
    }

    void aRunTrainedOnSomeClassesIsJudgedOnThose()
    {
        EvalFixture f = annotune::testing::extractionFixture(path(QStringLiteral("subset.annotune")));
        // Run Z trained on vendor, invoice_number and due_date only ("classes" in its spec) and
        // predicts as run X: the missed total is not counted against it, so recall is 3/3.
        Run r;
        r.name = QStringLiteral("Z");
        r.task = QStringLiteral("extraction");
        r.status = RunStatus::Finished;
        r.configJson = QStringLiteral(R"({"classes": ["vendor", "invoice_number", "due_date"], "epochs": 3})");
        const Id run = f.project->runs().create(r, QStringLiteral("t")).value();
        QVector<Prediction> copies;
        for (const Id item : f.items) {
            auto made = f.project->runs().predictions(f.runA, item);
            QVERIFY(made);
            for (Prediction p : *made) {
                p.runId = run;
                copies.append(p);
            }
        }
        QCOMPARE(copies.size(), 4);
        QVERIFY(f.project->runs().insertPredictions(copies));
        auto pe = evaluateRun(*f.project, run);
        QVERIFY2(pe, pe ? "" : qPrintable(pe.error().message));
        QCOMPARE(pe->metrics.value(QStringLiteral("precision")), 0.75);
        QCOMPARE(pe->metrics.value(QStringLiteral("recall")), 1.0);
        auto set = loadEvalSet(*f.project, run);
        QVERIFY(set);
        QCOMPARE(trainedClasses(*set).size(), 3);
        // Run X names no classes: every class's labels count.
        auto all = loadEvalSet(*f.project, f.runA);
        QVERIFY(all && trainedClasses(*all).isEmpty());
        QCOMPARE(evaluateRun(*f.project, f.runA)->metrics.value(QStringLiteral("recall")), 0.75);
    }

    void pageTagsReadingOrder()
    {
        QHash<Id, LabelClass> classes{{1, LabelClass{1, QStringLiteral("name"), {}, ClassKind::Field, {}, 0}},
                                      {2, LabelClass{2, QStringLiteral("date"), {}, ClassKind::Field, {}, 1}}};
        QVector<Word> words;
        for (int i = 0; i < 5; ++i)
            words.append(Word{Id(10 + i), 1, i, QStringLiteral("w"), {}, 1, WordSource::TextLayer});
        // Word ids out of order, a word not on the page, an overlap (the earlier field keeps word 12).
        const QStringList tags = pageTags(words, {PageField{1, {12, 11, 99}}, PageField{2, {12, 13}}}, classes);
        QCOMPARE(tags, (QStringList{QStringLiteral("O"), QStringLiteral("B-name"), QStringLiteral("I-name"), QStringLiteral("B-date"),
                                    QStringLiteral("O")}));
    }

    void detectionErrorsOfEveryKind()
    {
        auto created = store::Project::create(path(QStringLiteral("errors.annotune")));
        QVERIFY(created);
        EvalFixture f{std::move(*created), {}, {}, {}, 0, 0};
        const Id square = annotune::testing::fixtureClass(f, QStringLiteral("square"), ClassKind::Box);
        const Id circle = annotune::testing::fixtureClass(f, QStringLiteral("circle"), ClassKind::Box);
        const Id item = f.project->items().insertMany({annotune::testing::fixtureItem(9, Split::Test, ItemStatus::Labeled)}, QStringLiteral("t"))->first();
        for (QRectF box : {QRectF(0, 0, 100, 100), QRectF(200, 0, 100, 100), QRectF(0, 200, 100, 100), QRectF(200, 200, 100, 100)})
            QVERIFY(f.project->annotations().add(annotune::testing::fixtureBox(item, square, box), QStringLiteral("t")));
        const Id run = annotune::testing::fixtureRun(f, QStringLiteral("E"), QStringLiteral("detection"));
        using annotune::testing::fixturePrediction;
        QVERIFY(f.project->runs().insertPredictions({
            fixturePrediction(run, item, square, {0, 0, 100, 100}, 0.9),    // true positive on GT 1
            fixturePrediction(run, item, circle, {200, 0, 100, 100}, 0.85), // wrong class on GT 2
            fixturePrediction(run, item, square, {50, 200, 100, 100}, 0.8), // GT 3 at IoU 5000/15000 = 1/3: poor localisation
            fixturePrediction(run, item, square, {500, 400, 50, 50}, 0.7),  // nothing there: false positive
            fixturePrediction(run, item, square, {200, 200, 100, 100}, 0.3), // below the review score: left out, GT 4 missed
        }));
        const auto errors = classifyErrors(*loadEvalSet(*f.project, run));
        QCOMPARE(errors.size(), 1);
        const ItemErrors &e = errors.first();
        for (ErrorType t : {ErrorType::TruePositive, ErrorType::WrongClass, ErrorType::PoorLocalisation, ErrorType::FalsePositive, ErrorType::Missed})
            QVERIFY2(count(e, t) == 1, qPrintable(toText(t)));
        QCOMPARE(e.entries.size(), 5);
        QCOMPARE(e.errorCount(), 4);
        QVERIFY(qAbs(find(e, ErrorType::PoorLocalisation)->overlap - 1.0 / 3) < 1e-12);
        QCOMPARE(find(e, ErrorType::WrongClass)->predictedClassId, circle);
        QCOMPARE(find(e, ErrorType::WrongClass)->truthClassId, square);
        // Severity: wrong class 1 + poor localisation 0.5 + false positive at 0.7 + missed 1.
        QVERIFY(qAbs(e.severity() - 3.2) < 1e-12);
        // Lower the review score and the 0.3 detection finds GT 4.
        ErrorOptions low;
        low.minScore = 0.0;
        const auto all = classifyErrors(*loadEvalSet(*f.project, run), low);
        QCOMPARE(count(all.first(), ErrorType::Missed), 0);
        QCOMPARE(count(all.first(), ErrorType::TruePositive), 2);
    }

    void documentErrorsOfEveryKind()
    {
        EvalFixture f = annotune::testing::extractionFixture(path(QStringLiteral("docerrors.annotune")));
        // Run Z: vendor on one word of two (wrong value), invoice_number right, total missing, due_date spurious.
        const Id z = annotune::testing::fixtureRun(f, QStringLiteral("Z"), QStringLiteral("extraction"));
        const auto &w = f.words;
        using annotune::testing::fixtureField;
        QVERIFY(f.project->runs().insertPredictions({fixtureField(z, f.items[0], f.classes.value(QStringLiteral("vendor")), {w[0][0]}),
                                                     fixtureField(z, f.items[0], f.classes.value(QStringLiteral("invoice_number")), {w[0][3]}),
                                                     fixtureField(z, f.items[0], f.classes.value(QStringLiteral("due_date")), {w[0][4]})}));
        const auto errors = classifyErrors(*loadEvalSet(*f.project, z));
        QCOMPARE(errors.size(), 2);
        const ItemErrors &page1 = errors[0];
        QCOMPARE(count(page1, ErrorType::WrongValue), 1);
        QCOMPARE(count(page1, ErrorType::TruePositive), 1);
        QCOMPARE(count(page1, ErrorType::MissingField), 1);
        QCOMPARE(count(page1, ErrorType::SpuriousField), 1);
        QCOMPARE(find(page1, ErrorType::WrongValue)->overlap, 0.5);
        QCOMPARE(errors[1].errorCount(), 1); // page 2: vendor missing
        QCOMPARE(find(errors[1], ErrorType::MissingField)->truthClassId, f.classes.value(QStringLiteral("vendor")));
    }

    void worstFirstAndFilters()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("filters.annotune")));
        const auto errors = classifyErrors(*loadEvalSet(*f.project, f.runA));
        QCOMPARE(errors.size(), 2);
        const Id item2 = f.items[1];
        QCOMPARE(worstFirst(errors).size(), 1); // item 1 has no error
        QCOMPARE(worstFirst(errors).first().item.id, item2);
        ErrorFilter filter;
        filter.type = ErrorType::Missed;
        QCOMPARE(worstFirst(errors, filter).size(), 1);
        filter.type = ErrorType::WrongClass;
        QCOMPARE(worstFirst(errors, filter).size(), 0);
        filter = {};
        filter.minScore = 0.7;
        filter.maxScore = 0.85; // the false positive scores 0.8
        QCOMPARE(worstFirst(errors, filter).size(), 1);
        filter.minScore = 0.85;
        filter.maxScore = 1.0;
        QCOMPARE(worstFirst(errors, filter).size(), 0);
        filter = {};
        filter.classId = f.classes.value(QStringLiteral("circle"));
        QCOMPARE(worstFirst(errors, filter).size(), 0);
        filter = {};
        filter.split = Split::Train;
        QCOMPARE(worstFirst(errors, filter).size(), 0);
        filter = {};
        filter.type = ErrorType::TruePositive;
        QCOMPARE(worstFirst(errors, filter).first().item.id, f.items[0]);

        // Ordering: by severity one miss (1) outranks a poor localisation (0.5) plus a weak false
        // positive (0.1); by count the two errors come first.
        auto item = [](Id id, std::initializer_list<std::pair<ErrorType, double>> entries) {
            ItemErrors e{Item{}, {}};
            e.item.id = id;
            for (auto [type, score] : entries) {
                ErrorEntry x;
                x.type = type;
                x.score = score;
                x.predictionId = 1;
                e.entries.append(x);
            }
            return e;
        };
        const QVector<ItemErrors> list{item(1, {{ErrorType::Missed, 0}}),
                                       item(2, {{ErrorType::PoorLocalisation, 0.9}, {ErrorType::FalsePositive, 0.1}}),
                                       item(3, {{ErrorType::Missed, 0}, {ErrorType::Missed, 0}})};
        const auto bySeverity = worstFirst(list, {}, ErrorSort::Severity);
        QCOMPARE((QVector<Id>{bySeverity[0].item.id, bySeverity[1].item.id, bySeverity[2].item.id}), (QVector<Id>{3, 1, 2}));
        const auto byCount = worstFirst(list, {}, ErrorSort::Count);
        QCOMPARE((QVector<Id>{byCount[0].item.id, byCount[1].item.id, byCount[2].item.id}), (QVector<Id>{3, 2, 1}));
    }

    void compareRunsDeltas()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("compare.annotune")));
        auto c = compareRuns(*f.project, f.runA, f.runB);
        QVERIFY2(c, c ? "" : qPrintable(c.error().message));
        const auto ap = std::find_if(c->metrics.begin(), c->metrics.end(), [](const MetricDelta &m) { return m.name == QLatin1String("AP"); });
        QVERIFY(ap != c->metrics.end());
        QVERIFY(qAbs(ap->delta() - (1.0 - kHalfAp)) < 1e-12);
        const auto aps = std::find_if(c->metrics.begin(), c->metrics.end(), [](const MetricDelta &m) { return m.name == QLatin1String("APs"); });
        QVERIFY(!aps->defined());
        QCOMPARE(c->gains.size(), 1);
        QCOMPARE(c->gains.first().name, QStringLiteral("square"));
        QVERIFY(c->losses.isEmpty());
        QCOMPARE(c->better.size(), 1);
        QCOMPARE(c->better.first().itemId, f.items[1]);
        QCOMPARE(c->better.first().errorsA, 2); // false positive and miss
        QCOMPARE(c->better.first().errorsB, 0);
        QVERIFY(c->worse.isEmpty());

        auto back = compareRuns(*f.project, f.runB, f.runA);
        QVERIFY(back);
        QCOMPARE(back->losses.size(), 1);
        QCOMPARE(back->worse.size(), 1);
        QVERIFY(back->gains.isEmpty());
        QCOMPARE(toJson(*back).value(QStringLiteral("items_worse")).toArray().size(), 1);
    }

    void compareAcrossTasksAndUnknownRunFail()
    {
        EvalFixture f = annotune::testing::detectionFixture(path(QStringLiteral("tasks.annotune")));
        const Id other = annotune::testing::fixtureRun(f, QStringLiteral("fields"), QStringLiteral("extraction"));
        auto c = compareRuns(*f.project, f.runA, other);
        QVERIFY(!c);
        QVERIFY(c.error().message.contains(QStringLiteral("different tasks")));
        auto missing = evaluateRun(*f.project, 99);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("run 99")));
    }
};

QTEST_GUILESS_MAIN(TestProjectEval)
#include "test_projecteval.moc"
