// Rows read ahead for the annotation document (the neighbours of the current item) are used only
// while they are what the store holds: the document's own edits drop the item they touch, any
// other write drops them all, and what a switch shows is always what is stored.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "labeling/labelschema.h"

#include <QTemporaryDir>
#include <QUndoGroup>
#include <QUndoStack>
#include <QtTest>

using namespace annotune;
using core::Annotation;
using core::Id;

class TestPrefetch : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<core::store::Project> m_project;
    std::unique_ptr<labeling::AnnotationDocument> m_doc;
    Id m_car = 0, m_truck = 0;
    QVector<Id> m_items;
    int m_run = 0;

    Annotation box(Id item, Id cls, double x)
    {
        Annotation a;
        a.itemId = item;
        a.classId = cls;
        a.box = QRectF(x, 10, 20, 20);
        return a;
    }
    // The document's annotations are exactly the stored ones of its item.
    void showsWhatIsStored()
    {
        const auto stored = *m_project->annotations().forItem(m_doc->itemId());
        QCOMPARE(m_doc->annotations().size(), stored.size());
        for (int i = 0; i < stored.size(); ++i) {
            QCOMPARE(m_doc->annotations()[i].id, stored[i].id);
            QCOMPARE(m_doc->annotations()[i].box, stored[i].box);
            QCOMPARE(m_doc->annotations()[i].classId, stored[i].classId);
        }
        QCOMPARE(m_doc->item().status, m_project->items().get(m_doc->itemId())->status);
    }

private Q_SLOTS:
    void init();
    void cleanup();
    void switchTakesTheRowsReadAhead();
    void ownEditsKeepOtherItems();
    void editOfAReadAheadItemIsNotShownStale();
    void writesBehindTheDocumentDropEverything();
    void anotherConnectionsCommitDropsEverything();
    void schemaChangeDropsEverything();
    void pagesLargeItemsAndTheCurrentItemAreNotReadAhead();
};

void TestPrefetch::init()
{
    m_path = m_dir.filePath(QStringLiteral("p%1.annotune").arg(++m_run));
    auto project = core::store::Project::create(m_path);
    QVERIFY(project);
    m_project = std::move(*project);
    m_car = *m_project->classes().add({0, QStringLiteral("car"), Qt::yellow, core::ClassKind::Box, {}, 0}, QStringLiteral("t"));
    m_truck = *m_project->classes().add({0, QStringLiteral("truck"), Qt::red, core::ClassKind::Box, {}, 1}, QStringLiteral("t"));
    QVector<core::Item> items(3);
    for (int i = 0; i < items.size(); ++i) {
        items[i].path = QStringLiteral("i%1.png").arg(i);
        items[i].sha256 = QString(64, QLatin1Char('a' + i));
        items[i].width = 200;
        items[i].height = 100;
    }
    m_items = *m_project->items().insertMany(items, QStringLiteral("t"));
    for (Id item : m_items)
        QVERIFY(m_project->annotations().insertMany({box(item, m_car, 10), box(item, m_truck, 50)}, QStringLiteral("t")));
    m_doc = std::make_unique<labeling::AnnotationDocument>(*m_project);
    QVERIFY(m_doc->load(m_items[0]));
}

void TestPrefetch::cleanup()
{
    m_doc.reset();
    m_project.reset();
}

void TestPrefetch::switchTakesTheRowsReadAhead()
{
    m_doc->prefetch({m_items[1], m_items[2]});
    QVERIFY(m_doc->prefetched(m_items[1]));
    QVERIFY(m_doc->prefetched(m_items[2]));
    QVERIFY(m_doc->load(m_items[1]));
    showsWhatIsStored();
    QVERIFY(!m_doc->prefetched(m_items[1])); // it is the document's now
    QVERIFY(m_doc->prefetched(m_items[2]));
    m_doc->prefetch({m_items[0]}); // only the neighbours asked for are kept
    QVERIFY(!m_doc->prefetched(m_items[2]));
    QVERIFY(m_doc->prefetched(m_items[0]));
}

// Annotating the current item, reviewing it, then moving on: the next item's rows stay usable.
void TestPrefetch::ownEditsKeepOtherItems()
{
    m_doc->prefetch({m_items[1]});
    QVERIFY(m_doc->addAnnotation(box(0, m_car, 100)));
    QVERIFY(m_doc->moveAnnotations({m_doc->annotations().first().id}, QPointF(5, 0)));
    m_doc->undo();
    QVERIFY(m_doc->setStatus(core::ItemStatus::Labeled));
    QVERIFY(m_doc->prefetched(m_items[1]));
    QVERIFY(m_doc->load(m_items[1]));
    showsWhatIsStored();
    QVERIFY(m_doc->load(m_items[0]));
    showsWhatIsStored();
    QCOMPARE(m_doc->annotations().size(), 3);
}

// An item read ahead, then changed by undoing a command of its own history (the document writes
// to an item that is not the current one): its rows are read again, not shown as they were.
void TestPrefetch::editOfAReadAheadItemIsNotShownStale()
{
    QVERIFY(m_doc->load(m_items[1]));
    const Id added = m_doc->addAnnotation(box(0, m_car, 120));
    QVERIFY(added);
    QUndoStack *itemsHistory = m_doc->undoStack();
    QVERIFY(m_doc->load(m_items[0]));
    m_doc->prefetch({m_items[1]});
    QVERIFY(m_doc->prefetched(m_items[1]));
    itemsHistory->undo(); // removes `added` from the store
    QVERIFY(!m_project->annotations().get(added));
    QVERIFY(!m_doc->prefetched(m_items[1]));
    QVERIFY(m_doc->load(m_items[1]));
    showsWhatIsStored();
    QVERIFY(!m_doc->find(added));
    QVERIFY(m_doc->undoStack()->canRedo());
    m_doc->redo();
    QVERIFY(m_doc->find(added));
    showsWhatIsStored();
}

void TestPrefetch::writesBehindTheDocumentDropEverything()
{
    m_doc->prefetch({m_items[1], m_items[2]});
    const Id id = *m_project->annotations().add(box(m_items[1], m_truck, 150), QStringLiteral("importer"));
    QVERIFY(!m_doc->prefetched(m_items[1]));
    QVERIFY(!m_doc->prefetched(m_items[2]));
    QVERIFY(m_doc->load(m_items[1]));
    QVERIFY(m_doc->find(id));
    showsWhatIsStored();
    m_doc->prefetch({m_items[2]});
    QVERIFY(m_project->items().setStatus(m_items[2], core::ItemStatus::Rejected, QStringLiteral("reviewer")));
    QVERIFY(m_doc->load(m_items[2]));
    QCOMPARE(m_doc->item().status, core::ItemStatus::Rejected);
}

void TestPrefetch::anotherConnectionsCommitDropsEverything()
{
    m_doc->prefetch({m_items[1]});
    Id id = 0;
    {
        auto other = core::store::Project::open(m_path);
        QVERIFY(other);
        id = *(*other)->annotations().add(box(m_items[1], m_car, 170), QStringLiteral("cli"));
    }
    QVERIFY(!m_doc->prefetched(m_items[1]));
    QVERIFY(m_doc->load(m_items[1]));
    QVERIFY(m_doc->find(id));
    showsWhatIsStored();
}

void TestPrefetch::schemaChangeDropsEverything()
{
    labeling::LabelSchema schema(*m_project);
    m_doc->prefetch({m_items[1]});
    QVERIFY(schema.removeClass(m_truck)); // removes every truck, on every item
    QVERIFY(!m_doc->prefetched(m_items[1]));
    QVERIFY(m_doc->load(m_items[1]));
    showsWhatIsStored();
    QCOMPARE(m_doc->annotations().size(), 1);
}

void TestPrefetch::pagesLargeItemsAndTheCurrentItemAreNotReadAhead()
{
    QVector<Annotation> many;
    for (int i = 0; i <= labeling::ItemSnapshots::kMaxAnnotations; ++i)
        many.append(box(m_items[2], m_car, i % 150));
    QVERIFY(m_project->annotations().insertMany(many, QStringLiteral("t")));
    core::Item page;
    page.kind = core::ItemKind::DocumentPage;
    page.path = QStringLiteral("page.png");
    page.sha256 = QString(64, QLatin1Char('f'));
    page.width = 850;
    page.height = 1100;
    const Id pageId = m_project->items().insertMany({page}, QStringLiteral("t"))->first();
    m_doc->prefetch({m_items[0], m_items[1], m_items[2], pageId});
    QVERIFY(!m_doc->prefetched(m_items[0]));
    QVERIFY(m_doc->prefetched(m_items[1]));
    QVERIFY(!m_doc->prefetched(m_items[2]));
    QVERIFY(!m_doc->prefetched(pageId));
    QVERIFY(m_doc->load(m_items[2]));
    showsWhatIsStored();
    QVERIFY(m_doc->load(pageId));
    QCOMPARE(m_doc->item().kind, core::ItemKind::DocumentPage);
}

QTEST_GUILESS_MAIN(TestPrefetch)
#include "test_prefetch.moc"
