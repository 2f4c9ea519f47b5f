// Every annotation and schema command: do, undo, redo, comparing the document's serialised state
// with the rows in the store after each step; failed writes leave both as they were.

#include "core/store/annotationrepository.h"
#include "core/store/auditrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "labeling/labelschema.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace annotune;
using core::Annotation;
using core::AnnotationKind;
using core::Id;

namespace {

// Everything a person sees of an annotation (bookkeeping like revision and timestamps left out).
QString serialise(const QVector<Annotation> &annotations)
{
    QStringList lines;
    for (const Annotation &a : annotations) {
        QStringList pts;
        for (const QPointF &p : a.polygon)
            pts << QStringLiteral("%1,%2").arg(p.x()).arg(p.y());
        lines << QStringLiteral("%1 item=%2 class=%3 %4 [%5 %6 %7 %8] (%9) %10")
                     .arg(a.id).arg(a.itemId).arg(a.classId).arg(core::toText(a.kind))
                     .arg(a.box.x()).arg(a.box.y()).arg(a.box.width()).arg(a.box.height())
                     .arg(pts.join(QLatin1Char(' ')), a.author);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestCommands : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<core::store::Project> m_project;
    std::unique_ptr<labeling::AnnotationDocument> m_doc;
    Id m_car = 0, m_person = 0, m_lane = 0, m_busy = 0, m_calm = 0;
    QVector<Id> m_items;
    int m_run = 0;

    QString stored(Id itemId) { return serialise(*m_project->annotations().forItem(itemId)); }
    QString memory() { return serialise(m_doc->annotations()); }
    qint64 auditRows() { return *m_project->audit().count(); }
    // Runs act (one command), then undo and redo, checking memory == store each time and that
    // undo restores the exact earlier state. Returns the state after the command.
    QString roundTrip(const std::function<bool()> &act);
    Id addBox(const QRectF &r, Id cls = 0);
    Id addPolygon(const QPolygonF &poly);

private Q_SLOTS:
    void init();
    void cleanup();
    void addAnnotations();
    void removeAnnotationsKeepsIds();
    void moveAnnotationsStaysInImage();
    void nudgesMergeIntoOneStep();
    void resizeBox();
    void polygonVertices();
    void removeVertexKeepsThree();
    void changeClass();
    void setTags();
    void duplicateAndPaste();
    void historyIsPerItem();
    void failedWriteChangesNothing();
    void undoneIdsAreNotReused();
    void statusIsRecordedNotUndoable();
    void schemaAddRenameRecolour();
    void schemaMerge();
    void schemaDelete();
};

void TestCommands::init()
{
    QVERIFY(m_dir.isValid());
    auto project = core::store::Project::create(m_dir.filePath(QStringLiteral("c%1.annotune").arg(++m_run)));
    QVERIFY(project);
    m_project = std::move(*project);
    m_project->setAuthor(QStringLiteral("ann"));
    auto &classes = m_project->classes();
    m_car = *classes.add({0, QStringLiteral("car"), Qt::yellow, core::ClassKind::Box, {}, 0}, QStringLiteral("t"));
    m_person = *classes.add({0, QStringLiteral("person"), Qt::red, core::ClassKind::Box, {}, 1}, QStringLiteral("t"));
    m_lane = *classes.add({0, QStringLiteral("lane"), Qt::green, core::ClassKind::Polygon, {}, 2}, QStringLiteral("t"));
    m_busy = *classes.add({0, QStringLiteral("busy"), Qt::blue, core::ClassKind::Tag, {}, 3}, QStringLiteral("t"));
    m_calm = *classes.add({0, QStringLiteral("calm"), Qt::cyan, core::ClassKind::Tag, {}, 4}, QStringLiteral("t"));
    QVector<core::Item> items(2);
    for (int i = 0; i < items.size(); ++i) {
        items[i].path = QStringLiteral("i%1.png").arg(i);
        items[i].sha256 = QString(64, QLatin1Char('a' + i));
        items[i].width = 200;
        items[i].height = 100;
    }
    m_items = *m_project->items().insertMany(items, QStringLiteral("t"));
    m_doc = std::make_unique<labeling::AnnotationDocument>(*m_project);
    QVERIFY(m_doc->load(m_items[0]));
}

void TestCommands::cleanup()
{
    m_doc.reset();
    m_project.reset();
}

QString TestCommands::roundTrip(const std::function<bool()> &act)
{
    const QString before = memory();
    const qint64 audit = auditRows();
    const int index = m_doc->undoStack()->index();
    if (!act()) {
        qWarning("the command was refused");
        return QStringLiteral("<refused>");
    }
    const QString after = memory();
    [&] {
        QCOMPARE(stored(m_doc->itemId()), after);
        QVERIFY(after != before);
        QVERIFY(auditRows() > audit); // each edit appends to the audit log
        QCOMPARE(m_doc->undoStack()->index(), index + 1);
        m_doc->undo();
        QCOMPARE(memory(), before);
        QCOMPARE(stored(m_doc->itemId()), before);
        m_doc->redo();
        QCOMPARE(memory(), after);
        QCOMPARE(stored(m_doc->itemId()), after);
    }();
    return after;
}

Id TestCommands::addBox(const QRectF &r, Id cls)
{
    Annotation a;
    a.classId = cls ? cls : m_car;
    a.box = r;
    return m_doc->addAnnotation(a);
}

Id TestCommands::addPolygon(const QPolygonF &poly)
{
    Annotation a;
    a.kind = AnnotationKind::Polygon;
    a.classId = m_lane;
    a.polygon = poly;
    return m_doc->addAnnotation(a);
}

void TestCommands::addAnnotations()
{
    QSignalSpy changed(m_doc.get(), &labeling::AnnotationDocument::changed);
    Id id = 0;
    roundTrip([&] { return (id = addBox(QRectF(10, 10, 30, 20))) != 0; });
    QVERIFY(id);
    QCOMPARE(m_doc->find(id)->box, QRectF(10, 10, 30, 20));
    QCOMPARE(m_doc->find(id)->author, QStringLiteral("ann"));
    QVERIFY(changed.count() >= 3);
    // Clipped to the image; nothing left outside it means nothing is added.
    const Id clipped = addBox(QRectF(190, 90, 40, 40));
    QCOMPARE(m_doc->find(clipped)->box, QRectF(190, 90, 10, 10));
    QCOMPARE(addBox(QRectF(300, 300, 10, 10)), Id(0));
}

void TestCommands::removeAnnotationsKeepsIds()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    const Id b = addPolygon(QPolygonF({{50, 10}, {90, 10}, {70, 60}}));
    roundTrip([&] { return m_doc->removeAnnotations({a, b}); });
    QVERIFY(!m_doc->find(a));
    m_doc->undo();
    QVERIFY(m_doc->find(a) && m_doc->find(b)); // the same ids are back
    QCOMPARE(m_doc->find(b)->polygon.size(), 3);
}

void TestCommands::moveAnnotationsStaysInImage()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    const Id b = addPolygon(QPolygonF({{50, 10}, {90, 10}, {70, 60}}));
    roundTrip([&] { return m_doc->moveAnnotations({a, b}, QPointF(5, 7)); });
    QCOMPARE(m_doc->find(a)->box, QRectF(15, 17, 30, 20));
    QCOMPARE(m_doc->find(b)->polygon.first(), QPointF(55, 17));
    QVERIFY(m_doc->moveAnnotations({a, b}, QPointF(500, 0)));
    QCOMPARE(m_doc->find(b)->box.right(), 200.0); // clamped at the image's edge
    QCOMPARE(m_doc->find(a)->box.width(), 30.0);
}

void TestCommands::nudgesMergeIntoOneStep()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    const int index = m_doc->undoStack()->index();
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_doc->moveAnnotations({a}, QPointF(1, 0), true));
    QCOMPARE(m_doc->undoStack()->index(), index + 1);
    QCOMPARE(stored(m_items[0]), memory());
    m_doc->undo();
    QCOMPARE(m_doc->find(a)->box, QRectF(10, 10, 30, 20));
    QCOMPARE(stored(m_items[0]), memory());
}

void TestCommands::resizeBox()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    roundTrip([&] { return m_doc->resizeBox(a, QRectF(40, 30, -20, -10)); });
    QCOMPARE(m_doc->find(a)->box, QRectF(20, 20, 20, 10)); // normalised
    QVERIFY(!m_doc->resizeBox(a, QRectF(20, 20, 20, 10)));  // no change, no command
}

void TestCommands::polygonVertices()
{
    const Id p = addPolygon(QPolygonF({{50, 10}, {90, 10}, {70, 60}}));
    roundTrip([&] { return m_doc->moveVertex(p, 2, QPointF(70, 80)); });
    QCOMPARE(m_doc->find(p)->polygon[2], QPointF(70, 80));
    QCOMPARE(m_doc->find(p)->box, QRectF(50, 10, 40, 70));
    roundTrip([&] { return m_doc->insertVertex(p, 1, QPointF(70, 5)); });
    QCOMPARE(m_doc->find(p)->polygon.size(), 4);
    QCOMPARE(m_doc->find(p)->polygon[1], QPointF(70, 5));
    roundTrip([&] { return m_doc->removeVertex(p, 1); });
    QCOMPARE(m_doc->find(p)->polygon.size(), 3);
    roundTrip([&] { return m_doc->setVertices(p, QPolygonF({{0, 0}, {10, 0}, {10, 10}, {0, 10}})); });
    QCOMPARE(m_doc->find(p)->box, QRectF(0, 0, 10, 10));
}

void TestCommands::removeVertexKeepsThree()
{
    const Id p = addPolygon(QPolygonF({{50, 10}, {90, 10}, {70, 60}}));
    const int index = m_doc->undoStack()->index();
    QVERIFY(!m_doc->removeVertex(p, 0));
    QCOMPARE(m_doc->undoStack()->index(), index);
}

void TestCommands::changeClass()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    const Id b = addBox(QRectF(60, 10, 30, 20), m_person);
    roundTrip([&] { return m_doc->setClass({a, b}, m_person); });
    QCOMPARE(m_doc->find(a)->classId, m_person);
    QVERIFY(!m_doc->setClass({a, b}, m_person)); // nothing to change
    QVERIFY(!m_doc->setClass({a}, 9999));        // no such class
}

void TestCommands::setTags()
{
    roundTrip([&] { return m_doc->setTags({m_busy}); });
    QCOMPARE(m_doc->tagClassIds(), QSet<Id>{m_busy});
    roundTrip([&] { return m_doc->setTags({m_calm}); });
    QCOMPARE(m_doc->tagClassIds(), QSet<Id>{m_calm});
    QVERIFY(!m_doc->setTags({m_calm}));
}

void TestCommands::duplicateAndPaste()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    QVector<Id> copies;
    roundTrip([&] { return !(copies = m_doc->duplicate({a}, QPointF(10, 10))).isEmpty(); });
    QCOMPARE(m_doc->annotations().size(), 2);
    const QVector<Annotation> clipboard{*m_doc->find(a)};
    QVERIFY(m_doc->load(m_items[1]));
    roundTrip([&] { return m_doc->paste(clipboard).size() == 1; });
    QCOMPARE(m_doc->annotations().first().itemId, m_items[1]);
    QCOMPARE(m_doc->annotations().first().box, QRectF(10, 10, 30, 20));
}

void TestCommands::historyIsPerItem()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    QVERIFY(m_doc->load(m_items[1]));
    QVERIFY(!m_doc->undoStack()->canUndo());
    addBox(QRectF(1, 1, 5, 5));
    QVERIFY(m_doc->load(m_items[0]));
    QVERIFY(m_doc->undoStack()->canUndo());
    m_doc->undo();
    QVERIFY(!m_doc->find(a));
    QCOMPARE(stored(m_items[0]), QString());
    QCOMPARE(m_project->annotations().forItem(m_items[1])->size(), 1);
}

void TestCommands::failedWriteChangesNothing()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    const Id b = addBox(QRectF(60, 10, 30, 20));
    QVERIFY(m_project->annotations().remove(b, QStringLiteral("someone else"))); // behind our back
    QSignalSpy failed(m_doc.get(), &labeling::AnnotationDocument::writeFailed);
    const QString before = memory();
    const int count = m_doc->undoStack()->count();
    QVERIFY(!m_doc->moveAnnotations({a, b}, QPointF(3, 3)));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(memory(), before);                           // nothing moved in memory
    QCOMPARE(m_project->annotations().get(a)->box, QRectF(10, 10, 30, 20)); // a's move rolled back
    QCOMPARE(m_doc->undoStack()->count(), count);         // the failed command was dropped
}

void TestCommands::undoneIdsAreNotReused()
{
    const Id a = addBox(QRectF(10, 10, 30, 20));
    m_doc->undo(); // a's id is free in the table now
    QVERIFY(m_doc->load(m_items[1]));
    const Id b = addBox(QRectF(1, 1, 5, 5));
    QVERIFY(b != a);
    QVERIFY(m_doc->load(m_items[0]));
    m_doc->redo(); // a comes back under its own id
    QVERIFY(m_doc->find(a));
    QCOMPARE(stored(m_items[0]), memory());
}

void TestCommands::statusIsRecordedNotUndoable()
{
    QSignalSpy changed(m_doc.get(), &labeling::AnnotationDocument::changed);
    const int index = m_doc->undoStack()->index();
    QVERIFY(m_doc->setStatus(core::ItemStatus::Rejected, QStringLiteral("box too loose")));
    QCOMPARE(m_doc->item().status, core::ItemStatus::Rejected);
    QCOMPARE(m_project->items().get(m_items[0])->status, core::ItemStatus::Rejected);
    auto reviews = m_project->items().reviews(m_items[0]);
    QCOMPARE(reviews->size(), 1);
    QCOMPARE(reviews->first().author, QStringLiteral("ann"));
    QCOMPARE(reviews->first().comment, QStringLiteral("box too loose"));
    QCOMPARE(m_doc->undoStack()->index(), index);
    QCOMPARE(changed.last().first().value<labeling::ChangeEvent>().kind, labeling::ChangeEvent::Kind::Status);
}

void TestCommands::schemaAddRenameRecolour()
{
    labeling::LabelSchema schema(*m_project);
    const Id truck = schema.addClass({0, QStringLiteral("truck"), Qt::gray, core::ClassKind::Box, {}, 9});
    QVERIFY(truck);
    schema.undoStack()->undo();
    QCOMPARE(schema.classes()->size(), 5);
    schema.undoStack()->redo();
    QCOMPARE(schema.classes()->last().id, truck); // same id again
    core::LabelClass renamed = schema.classes()->last();
    renamed.name = QStringLiteral("lorry");
    renamed.color = Qt::darkRed;
    QVERIFY(schema.updateClass(renamed));
    QCOMPARE(schema.classes()->last().name, QStringLiteral("lorry"));
    schema.undoStack()->undo();
    QCOMPARE(schema.classes()->last().name, QStringLiteral("truck"));
    QCOMPARE(schema.classes()->last().color, QColor(Qt::gray));
    renamed.name = QStringLiteral("car"); // taken: refused, nothing changes
    QVERIFY(!schema.updateClass(renamed));
    QVERIFY(!schema.lastError().isEmpty());
    QCOMPARE(schema.classes()->last().name, QStringLiteral("truck"));
}

void TestCommands::schemaMerge()
{
    const Id a = addBox(QRectF(10, 10, 30, 20), m_person);
    QVERIFY(m_doc->load(m_items[1]));
    const Id b = addBox(QRectF(10, 10, 30, 20), m_person);
    labeling::LabelSchema schema(*m_project);
    QCOMPARE(*schema.usage(m_person), 2);
    QVERIFY(schema.mergeClasses(m_person, m_car));
    QCOMPARE(m_project->annotations().get(a)->classId, m_car);
    QCOMPARE(m_project->annotations().get(b)->classId, m_car);
    QCOMPARE(schema.classes()->size(), 4);
    schema.undoStack()->undo();
    QCOMPARE(m_project->annotations().get(a)->classId, m_person);
    QCOMPARE(*schema.usage(m_person), 2);
    QCOMPARE(schema.classes()->size(), 5);
    schema.undoStack()->redo();
    QCOMPARE(*schema.usage(m_car), 2);
}

void TestCommands::schemaDelete()
{
    const Id a = addBox(QRectF(10, 10, 30, 20), m_person);
    addBox(QRectF(50, 10, 30, 20), m_car);
    labeling::LabelSchema schema(*m_project);
    QSignalSpy changed(&schema, &labeling::LabelSchema::changed);
    QVERIFY(schema.removeClass(m_person));
    QCOMPARE(changed.last().first().toBool(), true);
    QVERIFY(!m_project->annotations().get(a));
    QVERIFY(m_doc->reload(true));
    QCOMPARE(m_doc->annotations().size(), 1);
    QCOMPARE(stored(m_items[0]), memory());
    schema.undoStack()->undo();
    QCOMPARE(m_project->annotations().get(a)->box, QRectF(10, 10, 30, 20));
    QCOMPARE(m_project->annotations().get(a)->classId, m_person);
    QVERIFY(m_doc->reload(true));
    QCOMPARE(m_doc->annotations().size(), 2);
}

QTEST_GUILESS_MAIN(TestCommands)
#include "test_commands.moc"
