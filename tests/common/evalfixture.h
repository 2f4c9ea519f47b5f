#pragma once
// Test helper: small projects with ground truth and runs whose predictions are known, so
// evaluation, error analysis, comparison and the approval gate have hand-computable answers.
//
// Detection project (classes square and circle, boxes 50 x 50 = 2500 px, "medium"):
//   item 1 test/labeled  : GT square (10,10,50,50)
//   item 2 test/approved : GT square (100,100,50,50)
//   item 3 train/labeled : GT square (10,10,50,50)          -- another split: never counted on test
//   item 4 test/unlabeled: no GT                            -- unlabeled: never counted
//   run A: item 1 exact (0.9), item 2 a false positive far away (0.8), false positives on items 3, 4
//   run B: items 1 and 2 exact (0.95, 0.9), a false positive on item 4
// Extraction project (fields vendor, invoice_number, total, due_date), two one-page documents:
//   page 1 words ACME Corp Invoice 42 Total 99.00: vendor [0,1], invoice_number [3], total [5]
//   page 2 words Globex Ltd Due 1.1.2025: vendor [0,1]
//   run X: page 1 vendor [0,1], invoice_number [3], due_date [4] (spurious), total missed;
//          page 2 vendor [0,1]
//   run Y: every field exactly

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QCryptographicHash>
#include <QHash>

#include <memory>

namespace annotune::testing {

using namespace annotune::core;

struct EvalFixture {
    std::unique_ptr<store::Project> project;
    QHash<QString, Id> classes;
    QVector<Id> items;                // in the order described above
    QVector<QVector<Id>> words;       // per page (extraction)
    Id runA = 0, runB = 0;            // detection: one FP and one miss / perfect; extraction: X / Y
};

inline Item fixtureItem(int n, Split split, ItemStatus status, ItemKind kind = ItemKind::Image)
{
    Item it;
    it.kind = kind;
    it.path = QStringLiteral("media/%1.png").arg(n);
    it.sha256 = QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(n), QCryptographicHash::Sha256).toHex());
    it.width = 640;
    it.height = 480;
    it.split = split;
    it.status = status;
    return it;
}

inline Id fixtureClass(EvalFixture &f, const QString &name, ClassKind kind)
{
    LabelClass c;
    c.name = name;
    c.kind = kind;
    c.color = Qt::red;
    c.position = int(f.classes.size());
    const Id id = f.project->classes().add(c, QStringLiteral("t")).value();
    f.classes.insert(name, id);
    return id;
}

inline Id fixtureRun(EvalFixture &f, const QString &name, const QString &task)
{
    Run r;
    r.name = name;
    r.task = task;
    r.status = RunStatus::Finished;
    r.datasetHash = QStringLiteral("hash-") + name;
    return f.project->runs().create(r, QStringLiteral("t")).value();
}

inline Annotation fixtureBox(Id item, Id cls, QRectF box)
{
    Annotation a;
    a.itemId = item;
    a.classId = cls;
    a.kind = AnnotationKind::Box;
    a.box = box;
    a.author = QStringLiteral("t");
    return a;
}

inline Prediction fixturePrediction(Id run, Id item, Id cls, QRectF box, double score)
{
    Prediction p;
    p.runId = run;
    p.itemId = item;
    p.classId = cls;
    p.kind = AnnotationKind::Box;
    p.box = box;
    p.score = score;
    return p;
}

inline Prediction fixtureField(Id run, Id item, Id cls, const QVector<Id> &words)
{
    Prediction p;
    p.runId = run;
    p.itemId = item;
    p.classId = cls;
    p.kind = AnnotationKind::Field;
    p.wordIds = words;
    p.score = 0.9;
    return p;
}

inline EvalFixture detectionFixture(const QString &path)
{
    EvalFixture f;
    f.project = std::move(store::Project::create(path).value());
    const Id square = fixtureClass(f, QStringLiteral("square"), ClassKind::Box);
    fixtureClass(f, QStringLiteral("circle"), ClassKind::Box);
    f.items = f.project->items()
                  .insertMany({fixtureItem(1, Split::Test, ItemStatus::Labeled), fixtureItem(2, Split::Test, ItemStatus::Approved),
                               fixtureItem(3, Split::Train, ItemStatus::Labeled), fixtureItem(4, Split::Test, ItemStatus::Unlabeled)},
                              QStringLiteral("t"))
                  .value();
    auto &ann = f.project->annotations();
    (void)ann.add(fixtureBox(f.items[0], square, {10, 10, 50, 50}), QStringLiteral("t"));
    (void)ann.add(fixtureBox(f.items[1], square, {100, 100, 50, 50}), QStringLiteral("t"));
    (void)ann.add(fixtureBox(f.items[2], square, {10, 10, 50, 50}), QStringLiteral("t"));
    f.runA = fixtureRun(f, QStringLiteral("A"), QStringLiteral("detection"));
    f.runB = fixtureRun(f, QStringLiteral("B"), QStringLiteral("detection"));
    (void)f.project->runs().insertPredictions({fixturePrediction(f.runA, f.items[0], square, {10, 10, 50, 50}, 0.9),
                                               fixturePrediction(f.runA, f.items[1], square, {300, 300, 40, 40}, 0.8),
                                               fixturePrediction(f.runA, f.items[2], square, {200, 200, 40, 40}, 0.9),
                                               fixturePrediction(f.runA, f.items[3], square, {200, 200, 40, 40}, 0.9),
                                               fixturePrediction(f.runB, f.items[0], square, {10, 10, 50, 50}, 0.95),
                                               fixturePrediction(f.runB, f.items[1], square, {100, 100, 50, 50}, 0.9),
                                               fixturePrediction(f.runB, f.items[3], square, {300, 300, 40, 40}, 0.9)});
    return f;
}

inline QVector<Id> fixturePage(EvalFixture &f, Id item, const QStringList &texts)
{
    QVector<Word> words;
    for (int i = 0; i < texts.size(); ++i)
        words.append(Word{0, item, i, texts[i], QRectF(10 + 60 * i, 10, 50, 12), 1.0, WordSource::TextLayer});
    (void)f.project->annotations().insertWords(item, words);
    QVector<Id> ids;
    const QVector<Word> stored = f.project->annotations().words(item).value();
    for (const Word &w : stored)
        ids.append(w.id);
    return ids;
}

inline Annotation fixtureFieldTruth(Id item, Id cls, const QVector<Id> &words)
{
    Annotation a;
    a.itemId = item;
    a.classId = cls;
    a.kind = AnnotationKind::Field;
    a.wordIds = words;
    a.author = QStringLiteral("t");
    return a;
}

inline EvalFixture extractionFixture(const QString &path)
{
    EvalFixture f;
    f.project = std::move(store::Project::create(path).value());
    for (const char *name : {"vendor", "invoice_number", "total", "due_date"})
        fixtureClass(f, QString::fromLatin1(name), ClassKind::Field);
    for (int d = 0; d < 2; ++d) {
        const Id doc = f.project->items().insertDocument(Document{0, QStringLiteral("doc%1.pdf").arg(d), QString::number(d), 1}, QStringLiteral("t")).value();
        Item page = fixtureItem(100 + d, Split::Test, ItemStatus::Labeled, ItemKind::DocumentPage);
        page.documentId = doc;
        f.items.append(f.project->items().insertMany({page}, QStringLiteral("t")).value().first());
    }
    f.words.append(fixturePage(f, f.items[0], {QStringLiteral("ACME"), QStringLiteral("Corp"), QStringLiteral("Invoice"), QStringLiteral("42"),
                                               QStringLiteral("Total"), QStringLiteral("99.00")}));
    f.words.append(fixturePage(f, f.items[1], {QStringLiteral("Globex"), QStringLiteral("Ltd"), QStringLiteral("Due"), QStringLiteral("1.1.2025")}));
    const auto &w = f.words;
    const Id vendor = f.classes.value(QStringLiteral("vendor")), number = f.classes.value(QStringLiteral("invoice_number")),
             total = f.classes.value(QStringLiteral("total")), due = f.classes.value(QStringLiteral("due_date"));
    (void)f.project->annotations().insertMany({fixtureFieldTruth(f.items[0], vendor, {w[0][0], w[0][1]}),
                                               fixtureFieldTruth(f.items[0], number, {w[0][3]}),
                                               fixtureFieldTruth(f.items[0], total, {w[0][5]}),
                                               fixtureFieldTruth(f.items[1], vendor, {w[1][0], w[1][1]})},
                                              QStringLiteral("t"));
    f.runA = fixtureRun(f, QStringLiteral("X"), QStringLiteral("extraction"));
    f.runB = fixtureRun(f, QStringLiteral("Y"), QStringLiteral("extraction"));
    (void)f.project->runs().insertPredictions(
        {fixtureField(f.runA, f.items[0], vendor, {w[0][0], w[0][1]}), fixtureField(f.runA, f.items[0], number, {w[0][3]}),
         fixtureField(f.runA, f.items[0], due, {w[0][4]}), fixtureField(f.runA, f.items[1], vendor, {w[1][0], w[1][1]}),
         fixtureField(f.runB, f.items[0], vendor, {w[0][0], w[0][1]}), fixtureField(f.runB, f.items[0], number, {w[0][3]}),
         fixtureField(f.runB, f.items[0], total, {w[0][5]}), fixtureField(f.runB, f.items[1], vendor, {w[1][0], w[1][1]})});
    return f;
}

} // namespace annotune::testing
