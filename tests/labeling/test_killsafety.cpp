// Kill safety: a child process edits through the annotation document and is SIGKILLed at a random
// moment; the reopened project holds every edit the child had reported as applied, and SQLite's
// integrity check passes.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/database.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using core::Id;

namespace {

struct Expected {
    QHash<Id, QString> state;  // id -> "class x y w h" or "removed", from completed edits
    QSet<Id> pending;          // ids the unconfirmed last edit may have touched
    bool pendingAdd = false;   // it may have added one annotation
    int done = 0;
};

// Reads the child's report; state lines count only once their "done" line arrived.
Expected parse(const QByteArray &output)
{
    Expected e;
    QHash<Id, QString> group;
    for (const QByteArray &raw : output.split('\n')) {
        const QList<QByteArray> f = raw.trimmed().split(' ');
        if (f.first() == "pending") {
            group.clear();
            e.pending.clear();
            e.pendingAdd = false;
            for (qsizetype i = 2; i < f.size(); ++i)
                f[i].toLongLong() == 0 ? void(e.pendingAdd = true) : void(e.pending.insert(f[i].toLongLong()));
        } else if (f.first() == "state" && f.size() >= 3) {
            group.insert(f[1].toLongLong(), QString::fromLatin1(raw.trimmed().mid(raw.trimmed().indexOf(' ', 6) + 1)));
        } else if (f.first() == "done" && f.size() == 2) {
            e.state.insert(group);
            group.clear();
            e.pending.clear();
            e.pendingAdd = false;
            e.done = f[1].toInt();
        }
    }
    return e;
}

QString describe(const core::Annotation &a)
{
    return QStringLiteral("%1 %2 %3 %4 %5").arg(a.classId).arg(a.box.x(), 0, 'g', 17).arg(a.box.y(), 0, 'g', 17)
        .arg(a.box.width(), 0, 'g', 17).arg(a.box.height(), 0, 'g', 17);
}

} // namespace

class TestKillSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedEditorLosesNothing();
};

void TestKillSafety::killedEditorLosesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kill.annotune"));
    Id item = 0;
    {
        auto project = core::store::Project::create(path);
        QVERIFY(project);
        for (const char *name : {"car", "truck", "bus"})
            QVERIFY((*project)->classes().add({0, QString::fromLatin1(name), Qt::red, core::ClassKind::Box, {}, 0}, QStringLiteral("t")));
        core::Item it;
        it.path = QStringLiteral("k.png");
        it.sha256 = QString(64, QLatin1Char('k'));
        it.width = 1000;
        it.height = 700;
        item = (*project)->items().insertMany({it}, QStringLiteral("t"))->first();
    }
    auto *random = QRandomGenerator::global();
    QHash<Id, QString> known; // what the store held after the previous round, checked then
    for (int round = 0; round < 4; ++round) {
        QProcess child;
        child.start(QStringLiteral(KILLSAFETY_HELPER), {path, QString::number(item), QString::number(random->generate())});
        QVERIFY(child.waitForStarted());
        const int wait = 150 + random->bounded(900);
        QTest::qWait(wait); // the child edits meanwhile
        child.kill();       // SIGKILL: no destructors, no flush of anything not yet written
        QVERIFY(child.waitForFinished());
        Expected e = parse(child.readAllStandardOutput());
        QHash<Id, QString> fresh = e.state;
        e.state = known;
        e.state.insert(fresh);
        qInfo("round %d: killed after %d ms, %d edits reported applied", round, wait, e.done);
        QVERIFY2(e.done > 0, qPrintable(QString::fromLocal8Bit(child.readAllStandardError())));

        auto project = core::store::Project::open(path);
        QVERIFY(project);
        QHash<Id, core::Annotation> rows;
        const auto stored = (*project)->annotations().forItem(item);
        QVERIFY(stored);
        for (const core::Annotation &a : *stored)
            rows.insert(a.id, a);
        int unexpected = 0, checked = 0;
        for (auto it = e.state.cbegin(); it != e.state.cend(); ++it) {
            if (e.pending.contains(it.key()))
                continue; // the edit in flight may or may not have landed
            ++checked;
            if (it.value() == QLatin1String("removed"))
                QVERIFY2(!rows.contains(it.key()), qPrintable(QStringLiteral("annotation %1 came back").arg(it.key())));
            else
                QCOMPARE(rows.contains(it.key()) ? describe(rows.value(it.key())) : QStringLiteral("missing"), it.value());
        }
        for (Id id : rows.keys())
            if (!e.state.contains(id) && !e.pending.contains(id))
                ++unexpected;
        QVERIFY(unexpected <= (e.pendingAdd ? 1 : 0));
        QVERIFY(checked > 0);
        known.clear();
        for (const core::Annotation &a : *stored)
            known.insert(a.id, describe(a));
        qInfo("round %d: %d annotations checked against the report, %d in the store", round, checked, int(rows.size()));
        auto integrity = (*project)->database().prepare("PRAGMA integrity_check");
        QVERIFY(integrity.step());
        QCOMPARE(integrity.text(0), QStringLiteral("ok"));
    }
}

QTEST_GUILESS_MAIN(TestKillSafety)
#include "test_killsafety.moc"
