// The project store: pragmas, migrations, refusals that leave files untouched, transactions that
// leave nothing behind, readers beside a writer, repositories' round trips and the audit log.

#include "core/geometry.h"
#include "core/store/annotationrepository.h"
#include "core/store/approvalrepository.h"
#include "core/store/auditrepository.h"
#include "core/store/classrepository.h"
#include "core/store/database.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "core/store/schema.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::store;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

Item makeItem(int n)
{
    Item it;
    it.path = QStringLiteral("media/%1.png").arg(n, 5, 10, QLatin1Char('0'));
    it.sha256 = QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(n), QCryptographicHash::Sha256).toHex());
    it.sizeBytes = 1000 + n;
    it.width = 640;
    it.height = 480;
    it.split = splitForHash(it.sha256);
    return it;
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void createSetsDurablePragmas()
    {
        auto p = Project::create(path(QStringLiteral("a.annotune")));
        QVERIFY2(p, p ? "" : qPrintable(p.error().message));
        auto st = (*p)->database().prepare("PRAGMA journal_mode");
        QVERIFY(st.step());
        QCOMPARE(st.text(0), QStringLiteral("wal"));
        auto fk = (*p)->database().prepare("PRAGMA foreign_keys");
        QVERIFY(fk.step());
        QCOMPARE(fk.integer(0), 1);
        auto sync = (*p)->database().prepare("PRAGMA synchronous");
        QVERIFY(sync.step());
        QCOMPARE(sync.integer(0), 2); // FULL
        QCOMPARE((*p)->database().userVersion(), kSchemaVersion);
    }

    // The stamp a cache of rows compares: reads leave it, a write through this connection or a
    // commit by another moves it, and a transaction rolled back moves it too (harmless).
    void changeStampFollowsEveryWrite()
    {
        const QString file = path(QStringLiteral("stamp.annotune"));
        auto p = Project::create(file);
        QVERIFY(p);
        Project &project = **p;
        const Id item = project.items().insertMany({makeItem(1)}, QStringLiteral("t"))->first();
        const Id cls = *project.classes().add({0, QStringLiteral("car"), Qt::red, ClassKind::Box, {}, 0}, QStringLiteral("t"));
        const Project::ChangeStamp start = project.changeStamp();
        QVERIFY(project.annotations().forItem(item));
        QVERIFY(project.items().get(item));
        QVERIFY(project.changeStamp() == start);
        Annotation a;
        a.itemId = item;
        a.classId = cls;
        a.box = QRectF(1, 2, 3, 4);
        QVERIFY(project.annotations().add(a, QStringLiteral("t")));
        const Project::ChangeStamp afterOwn = project.changeStamp();
        QVERIFY(!(afterOwn == start));
        QVERIFY(project.changeStamp() == afterOwn);
        {
            auto other = Project::open(file);
            QVERIFY(other);
            QVERIFY((*other)->items().setStatus(item, ItemStatus::Labeled, QStringLiteral("u")));
        }
        const Project::ChangeStamp afterOther = project.changeStamp();
        QVERIFY(!(afterOther == afterOwn));
        QCOMPARE(afterOther.own, afterOwn.own);
        QVERIFY(!project.transaction([&]() -> Status {
            if (Status st = project.items().setStatus(item, ItemStatus::Rejected, QStringLiteral("t")); !st)
                return st;
            return makeError(ErrorCode::Usage, QStringLiteral("changed my mind"));
        }));
        QVERIFY(!(project.changeStamp() == afterOther));
    }

    void createRefusesExistingFile()
    {
        const QString file = path(QStringLiteral("exists.annotune"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
        f.close();
        auto p = Project::create(file);
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::Conflict);
        QVERIFY(p.error().message.contains(file));
    }

    void migratesFromEveryEarlierVersion()
    {
        for (int from = 1; from < kSchemaVersion; ++from) {
            const QString file = path(QStringLiteral("old%1.annotune").arg(from));
            {
                auto db = Database::open(file, Database::Mode::ReadWriteCreate);
                QVERIFY(db);
                QVERIFY(migrate(**db, from));
                QCOMPARE((*db)->userVersion(), from);
                auto ins = (*db)->prepare("INSERT INTO items(kind, path, size_bytes, sha256, width, height, split, "
                                          "created_at, updated_at) VALUES ('image','x.png',1,'abc',10,10,'train',0,0)");
                ins.exec();
            }
            auto p = Project::open(file);
            QVERIFY2(p, p ? "" : qPrintable(p.error().message));
            QCOMPARE((*p)->database().userVersion(), kSchemaVersion);
            QCOMPARE(*(*p)->items().count({}), qint64(1));
            // The newest tables work on the migrated file.
            auto item = (*p)->items().page({}, {}, 0, 10);
            QVERIFY(item);
            QVERIFY((*p)->items().setStatus(item->first().item.id, ItemStatus::Labeled, QStringLiteral("t")));
            QCOMPARE((*p)->items().reviews(item->first().item.id)->size(), 1);
            QVERIFY((*p)->approvals().list()); // schema 4: approvals and prediction reviews
            QCOMPARE((*p)->approvals().reviewsForRun(1)->reviewed, qint64(0));
            // A backup of the old version sits beside it and still reads as the old version.
            const QString backup = file + QStringLiteral(".v%1.bak").arg(from);
            QVERIFY(QFile::exists(backup));
            auto old = Database::open(backup, Database::Mode::ReadOnly);
            QVERIFY(old);
            QCOMPARE((*old)->userVersion(), from);
        }
    }

    void refusesNewerSchemaUntouched()
    {
        const QString file = path(QStringLiteral("newer.annotune"));
        {
            auto p = Project::create(file);
            QVERIFY(p);
            (*p)->database().setUserVersion(kSchemaVersion + 5);
        }
        const QByteArray before = fileHash(file);
        auto p = Project::open(file);
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::Schema);
        QVERIFY(p.error().message.contains(QStringLiteral("newer")));
        QCOMPARE(fileHash(file), before);
    }

    void refusesNonProjectsUntouched_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text") << QByteArray("just some text\n") << QStringLiteral("not a SQLite database");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not a SQLite database");
        QTest::newRow("truncated header") << QByteArray("SQLite format 3") << QStringLiteral("not a SQLite database");
    }

    void refusesNonProjectsUntouched()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = path(QStringLiteral("bad-%1.annotune").arg(QTest::currentDataTag()));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        auto p = Project::open(file);
        QVERIFY(!p);
        QVERIFY2(p.error().message.contains(expected), qPrintable(p.error().message));
        QVERIFY(p.error().message.contains(file));
        QFile g(file);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll(), content);
    }

    void refusesForeignSqliteUntouched()
    {
        const QString file = path(QStringLiteral("foreign.db"));
        {
            auto db = Database::open(file, Database::Mode::ReadWriteCreate);
            QVERIFY(db);
            (*db)->exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        }
        const QByteArray before = fileHash(file);
        auto p = Project::open(file);
        QVERIFY(!p);
        QVERIFY2(p.error().message.contains(QStringLiteral("not an Annotune project")), qPrintable(p.error().message));
        QCOMPARE(fileHash(file), before);
    }

    void missingFileIsNotFound()
    {
        auto p = Project::open(path(QStringLiteral("nope.annotune")));
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::NotFound);
        QVERIFY(!QFile::exists(path(QStringLiteral("nope.annotune"))));
    }

    void failedTransactionLeavesNothing()
    {
        auto p = Project::create(path(QStringLiteral("tx.annotune")));
        QVERIFY(p);
        Project &project = **p;
        const qint64 auditBefore = *project.audit().count();
        Status st = project.transaction([&]() -> Status {
            QVector<Item> items{makeItem(1), makeItem(2)};
            if (auto ids = project.items().insertMany(items, QStringLiteral("t")); !ids)
                return ids.error();
            return makeError(ErrorCode::BadInput, QStringLiteral("simulated failure after the insert"));
        });
        QVERIFY(!st);
        QCOMPARE(*project.items().count({}), qint64(0));
        QCOMPARE(*project.audit().count(), auditBefore);

        // A constraint violation in the middle of a batch: nothing of the batch stays.
        QVector<Item> batch{makeItem(3), makeItem(4), makeItem(3)};
        auto ids = project.items().insertMany(batch, QStringLiteral("t"));
        QVERIFY(!ids);
        QCOMPARE(ids.error().code, ErrorCode::Conflict);
        QCOMPARE(*project.items().count({}), qint64(0));
    }

    void readerDuringWriter()
    {
        const QString file = path(QStringLiteral("rw.annotune"));
        auto writer = Project::create(file);
        QVERIFY(writer);
        QVERIFY((*writer)->items().insertMany({makeItem(10)}, QStringLiteral("t")));
        auto reader = Project::open(file, Project::Access::ReadOnly);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error().message));
        {
            Transaction tx((*writer)->database());
            QVERIFY((*writer)->items().insertMany({makeItem(11), makeItem(12)}, QStringLiteral("t")));
            QElapsedTimer timer;
            timer.start();
            // The reader neither blocks nor sees uncommitted rows.
            QCOMPARE(*(*reader)->items().count({}), qint64(1));
            QVERIFY(timer.elapsed() < 1000);
            tx.commit();
        }
        QCOMPARE(*(*reader)->items().count({}), qint64(3));
    }

    void annotationRoundTripAndAudit()
    {
        auto p = Project::create(path(QStringLiteral("ann.annotune")));
        QVERIFY(p);
        Project &project = **p;
        auto cls = project.classes().add({0, QStringLiteral("car"), QColor(Qt::red), ClassKind::Polygon, QStringLiteral("1"), 0},
                                         QStringLiteral("ann"));
        QVERIFY(cls);
        auto ids = project.items().insertMany({makeItem(20)}, QStringLiteral("ann"));
        QVERIFY(ids);
        Annotation a;
        a.itemId = ids->first();
        a.classId = *cls;
        a.kind = AnnotationKind::Polygon;
        a.polygon = QPolygonF({QPointF(1.5, 2), QPointF(30, 2.25), QPointF(15, 40)});
        a.box = a.polygon.boundingRect();
        a.score = 0.75;
        auto id = project.annotations().add(a, QStringLiteral("ann"));
        QVERIFY(id);
        auto back = project.annotations().get(*id);
        QVERIFY(back);
        QCOMPARE(back->polygon, a.polygon);
        QCOMPARE(back->box, a.box);
        QCOMPARE(back->score.value_or(-1), 0.75);
        QCOMPARE(back->author, QStringLiteral("ann"));
        QCOMPARE(back->revision, 1);

        Annotation moved = *back;
        moved.polygon[0] = QPointF(3, 4);
        QVERIFY(project.annotations().update(moved, QStringLiteral("bob")));
        auto updated = project.annotations().get(*id);
        QCOMPARE(updated->polygon[0], QPointF(3, 4));
        QCOMPARE(updated->revision, 2);
        QCOMPARE(updated->author, QStringLiteral("ann")); // the creator stays; the editor is in the audit log

        QVERIFY(project.annotations().remove(*id, QStringLiteral("bob")));
        QVERIFY(!project.annotations().get(*id));
        auto log = project.audit().forEntity(QStringLiteral("annotation"), *id);
        QVERIFY(log);
        QCOMPARE(log->size(), 3);
        QCOMPARE(log->at(0).action, QStringLiteral("annotation.add"));
        QCOMPARE(log->at(1).author, QStringLiteral("bob"));
        const QJsonObject before = QJsonDocument::fromJson(log->at(1).before.toUtf8()).object();
        const QJsonObject after = QJsonDocument::fromJson(log->at(1).after.toUtf8()).object();
        QCOMPARE(before.value(QStringLiteral("points")).toArray().at(0).toDouble(), 1.5);
        QCOMPARE(after.value(QStringLiteral("points")).toArray().at(0).toDouble(), 3.0);
        QCOMPARE(log->at(2).action, QStringLiteral("annotation.remove"));
        QVERIFY(log->at(2).after.isEmpty());
    }

    void auditLogIsAppendOnly()
    {
        auto p = Project::create(path(QStringLiteral("audit.annotune")));
        QVERIFY(p);
        QVERIFY((*p)->settings().setValue(QStringLiteral("k"), QStringLiteral("v"), QStringLiteral("t")));
        QVERIFY(*(*p)->audit().count() >= 1);
        bool refused = false;
        try {
            (*p)->database().exec("UPDATE audit_log SET author='mallory'");
        } catch (const StoreError &e) {
            refused = e.message.contains(QStringLiteral("append-only"));
        }
        QVERIFY(refused);
        refused = false;
        try {
            (*p)->database().exec("DELETE FROM audit_log");
        } catch (const StoreError &) {
            refused = true;
        }
        QVERIFY(refused);
    }

    void classInUseCannotBeRemoved()
    {
        auto p = Project::create(path(QStringLiteral("cls.annotune")));
        QVERIFY(p);
        Project &project = **p;
        auto cls = project.classes().add({0, QStringLiteral("dog"), QColor(Qt::blue), ClassKind::Box, {}, 0}, QStringLiteral("t"));
        auto ids = project.items().insertMany({makeItem(30)}, QStringLiteral("t"));
        Annotation a;
        a.itemId = ids->first();
        a.classId = *cls;
        a.box = QRectF(1, 2, 3, 4);
        QVERIFY(project.annotations().add(a, QStringLiteral("t")));
        Status st = project.classes().remove(*cls, QStringLiteral("t"));
        QVERIFY(!st);
        QCOMPARE(st.error().code, ErrorCode::Conflict);
        QVERIFY(st.error().message.contains(QStringLiteral("dog")));
        QCOMPARE(project.classes().list()->size(), 1);
        // Duplicate class names are refused.
        QVERIFY(!project.classes().add({0, QStringLiteral("dog"), QColor(Qt::red), ClassKind::Box, {}, 1}, QStringLiteral("t")));
    }

    void filtersSortsAndPages()
    {
        auto p = Project::create(path(QStringLiteral("page.annotune")));
        QVERIFY(p);
        Project &project = **p;
        QVector<Item> items;
        for (int i = 0; i < 500; ++i) {
            Item it = makeItem(1000 + i);
            it.status = kAllStatuses[i % 5];
            items.append(it);
        }
        auto ids = project.items().insertMany(items, QStringLiteral("t"));
        QVERIFY(ids);
        auto cls = project.classes().add({0, QStringLiteral("cat"), QColor(Qt::green), ClassKind::Box, {}, 0}, QStringLiteral("t"));
        QVector<Annotation> anns;
        for (int i = 0; i < 500; i += 7) {
            Annotation a;
            a.itemId = ids->at(i);
            a.classId = *cls;
            a.box = QRectF(0, 0, 10, 10);
            anns << a << a;
        }
        QVERIFY(project.annotations().insertMany(anns, QStringLiteral("t")));
        ItemFilter byStatus;
        byStatus.status = ItemStatus::Approved;
        QCOMPARE(*project.items().count(byStatus), qint64(100));
        ItemFilter byClass;
        byClass.classId = *cls;
        QCOMPARE(*project.items().count(byClass), qint64((500 + 6) / 7));
        ItemSort sort{ItemSort::Key::Path, true};
        auto page = project.items().page({}, sort, 0, 50);
        QVERIFY(page);
        QCOMPARE(page->size(), 50);
        QVERIFY(page->first().item.path > page->last().item.path);
        auto rows = project.items().page(byClass, {}, 0, 5);
        QCOMPARE(rows->first().annotationCount, 2);
        QCOMPARE(rows->first().classCounts.value(*cls), 2);
        auto split = project.items().countsBySplit();
        QCOMPARE(split->value(Split::Train) + split->value(Split::Val) + split->value(Split::Test), qint64(500));
        auto next = project.items().neighbour(ids->at(0), true, byStatus);
        QVERIFY(next && next->has_value());
        QCOMPARE(project.items().get(**next)->status, ItemStatus::Approved);
    }

    void splitIsStableAndProportional()
    {
        int counts[3] = {0, 0, 0};
        for (int i = 0; i < 20000; ++i) {
            const QString h = QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256).toHex());
            const Split s = splitForHash(h);
            QCOMPARE(splitForHash(h), s);
            ++counts[int(s)];
        }
        QVERIFY(qAbs(counts[0] - 16000) < 400);
        QVERIFY(qAbs(counts[1] - 2000) < 250);
        QVERIFY(qAbs(counts[2] - 2000) < 250);
    }

    void runsMetricsAndPredictions()
    {
        auto p = Project::create(path(QStringLiteral("runs.annotune")));
        QVERIFY(p);
        Project &project = **p;
        Run run;
        run.name = QStringLiteral("r1");
        run.task = QStringLiteral("detection");
        run.configJson = QStringLiteral("{}");
        auto id = project.runs().create(run, QStringLiteral("t"));
        QVERIFY(id);
        QVERIFY(project.runs().addMetrics(*id, {{1, 0, QStringLiteral("loss"), 2.5}, {2, 0, QStringLiteral("loss"), 1.5}}));
        QCOMPARE(project.runs().metrics(*id)->size(), 2);
        QVERIFY(project.runs().setStatus(*id, RunStatus::Finished, QStringLiteral("t")));
        QVERIFY(project.runs().get(*id)->finishedAt > 0);
        auto cls = project.classes().add({0, QStringLiteral("x"), QColor(Qt::red), ClassKind::Box, {}, 0}, QStringLiteral("t"));
        auto items = project.items().insertMany({makeItem(40)}, QStringLiteral("t"));
        Prediction pr;
        pr.runId = *id;
        pr.itemId = items->first();
        pr.classId = *cls;
        pr.box = QRectF(1, 1, 5, 5);
        pr.score = 0.9;
        QVERIFY(project.runs().insertPredictions({pr}));
        auto back = project.runs().predictions(*id, items->first());
        QCOMPARE(back->size(), 1);
        QCOMPARE(back->first().box, pr.box);
        // Predicting the item again replaces the run's predictions there, but keeps a reviewed one.
        Prediction second = pr;
        second.box = QRectF(2, 2, 6, 6);
        QCOMPARE(*project.runs().replacePredictions(*id, {pr.itemId}, {second}), 1);
        back = project.runs().predictions(*id, items->first());
        QCOMPARE(back->size(), 1);
        QCOMPARE(back->first().box, second.box);
        QVERIFY(project.approvals().addReview(back->first().id, QStringLiteral("ann"), ReviewVerdict::Correct));
        QCOMPARE(*project.runs().replacePredictions(*id, {pr.itemId}, {pr}), 1);
        QCOMPARE(project.runs().predictions(*id, items->first())->size(), 2);
        QVERIFY(project.runs().replacePredictions(*id, {pr.itemId}, {}));
        back = project.runs().predictions(*id, items->first());
        QCOMPARE(back->size(), 1);
        QCOMPARE(back->first().box, second.box); // the reviewed one
        // A prediction for a missing item violates a foreign key: refused, and nothing is deleted.
        pr.itemId = 99999;
        QVERIFY(!project.runs().insertPredictions({pr}));
        QVERIFY(!project.runs().replacePredictions(*id, {items->first()}, {pr}));
        QCOMPARE(project.runs().predictions(*id, items->first())->size(), 1);
    }

    void mediaPathsRelativeInsideAbsoluteOutside()
    {
        auto p = Project::create(path(QStringLiteral("paths.annotune")));
        QVERIFY(p);
        const QString inside = path(QStringLiteral("media/a/b.png"));
        QCOMPARE((*p)->storedMediaPath(inside), QStringLiteral("media/a/b.png"));
        QCOMPARE((*p)->absoluteMediaPath(QStringLiteral("media/a/b.png")), inside);
        QCOMPARE((*p)->storedMediaPath(QStringLiteral("/elsewhere/x.png")), QStringLiteral("/elsewhere/x.png"));
    }

    void bulkReclassRemoveAndClassIdKept()
    {
        auto p = Project::create(path(QStringLiteral("bulk.annotune")));
        QVERIFY(p);
        Project &project = **p;
        const Id a = *project.classes().add({0, QStringLiteral("a"), Qt::red, ClassKind::Box, {}, 0}, QStringLiteral("t"));
        const Id b = *project.classes().add({0, QStringLiteral("b"), Qt::blue, ClassKind::Box, {}, 1}, QStringLiteral("t"));
        const Id item = project.items().insertMany({makeItem(1)}, QStringLiteral("t"))->first();
        QVector<Id> ids;
        for (int i = 0; i < 3; ++i) {
            Annotation an;
            an.itemId = item;
            an.classId = a;
            an.box = QRectF(i, i, 10, 10);
            ids.append(*project.annotations().add(an, QStringLiteral("t")));
        }
        QCOMPARE(project.annotations().forClass(a)->size(), 3);
        QCOMPARE(*project.annotations().maxId(), ids.last());
        const qint64 audit = *project.audit().count();
        QVERIFY(project.annotations().setClassOf(ids.mid(0, 2), b, QStringLiteral("t")));
        QCOMPARE(*project.audit().count(), audit + 1);
        QCOMPARE(project.annotations().forClass(b)->size(), 2);
        QCOMPARE(project.annotations().get(ids[0])->revision, 2);
        // A missing id fails the whole batch and leaves nothing behind.
        QVERIFY(!project.annotations().setClassOf({ids[2], 99999}, b, QStringLiteral("t")));
        QCOMPARE(project.annotations().get(ids[2])->classId, a);
        QVERIFY(!project.annotations().removeMany({ids[0], 99999}, QStringLiteral("t")));
        QVERIFY(project.annotations().get(ids[0]));
        QVERIFY(project.annotations().removeMany({ids[0], ids[1]}, QStringLiteral("t")));
        QCOMPARE(*project.annotations().count(), qint64(1));
        // A class added with an id keeps it (undo of a deletion).
        QVERIFY(project.annotations().removeMany({ids[2]}, QStringLiteral("t")));
        QVERIFY(project.classes().remove(a, QStringLiteral("t")));
        QCOMPARE(*project.classes().add({a, QStringLiteral("a"), Qt::red, ClassKind::Box, {}, 0}, QStringLiteral("t")), a);
    }

    void wordsUpdatedAndReplacedInOneTransaction()
    {
        auto p = Project::create(path(QStringLiteral("words.annotune")));
        QVERIFY(p);
        Project &project = **p;
        const Id item = project.items().insertMany({makeItem(1)}, QStringLiteral("t"))->first();
        auto &repo = project.annotations();
        QVERIFY(repo.insertWords(item, {Word{0, item, 0, QStringLiteral("Tot"), QRectF(0, 0, 10, 5)},
                                        Word{0, item, 1, QStringLiteral("al:"), QRectF(11, 0, 10, 5)}}));
        QVector<Word> words = *repo.words(item);
        QCOMPARE(words.size(), 2);
        Word w = words[0];
        w.text = QStringLiteral("Total");
        w.box = QRectF(1, 1, 8, 4);
        QVERIFY(repo.updateWord(w));
        QCOMPARE(repo.words(item)->first().text, QStringLiteral("Total"));
        QCOMPARE(repo.words(item)->first().box, QRectF(1, 1, 8, 4));
        w.id = 99999;
        QVERIFY(!repo.updateWord(w));
        // Merge: two words out, one in; a kept id comes back as it was.
        auto added = repo.replaceWords(item, {words[0].id, words[1].id},
                                       {Word{0, item, 0, QStringLiteral("Total:"), QRectF(0, 0, 21, 5)}});
        QVERIFY(added);
        QCOMPARE(repo.words(item)->size(), 1);
        QVERIFY(repo.replaceWords(item, {added->first().id}, words));
        QCOMPARE(repo.words(item)->size(), 2);
        QCOMPARE(repo.words(item)->at(1).id, words[1].id);
        // A missing id fails the whole replacement and leaves nothing behind.
        QVERIFY(!repo.replaceWords(item, {words[0].id, 99999}, {}));
        QCOMPARE(repo.words(item)->size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
