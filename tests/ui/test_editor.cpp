// The annotation editor driven like a person would: tools with mouse events, hotkeys, undo,
// navigation and review, checking afterwards what the project file holds.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "ui/actionregistry.h"
#include "labeling/annotationlistmodel.h"
#include "ui/annotateworkspace.h"
#include "ui/annotationlistdock.h"
#include "ui/browseworkspace.h"
#include "ui/canvas/canvas.h"
#include "ui/canvas/polygontool.h"
#include "ui/labelschemadialog.h"
#include "labeling/labelschema.h"
#include "ui/mainwindow.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsettings.h"

#include <QAction>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QTableView>
#include <QUndoView>
#include <QtTest>

using namespace annotune;

// What the background loads (images, documents, item lists) may take on a loaded 2-core CI
// machine, well above their usual milliseconds: QTRY polls, so a fast machine waits no longer.
constexpr int kSlowMachineMs = 20000;
using core::Id;

class TestEditor : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    QVector<Id> m_items;
    Id m_car = 0, m_truck = 0, m_lane = 0;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::Canvas *m_canvas = nullptr;
    int m_run = 0;

    QVector<core::Annotation> stored(Id item) { return *m_window->project()->annotations().forItem(item); }
    QPoint at(double x, double y) const { return m_canvas->view().toScreen(QPointF(x, y)).toPoint(); }
    void key(int k, Qt::KeyboardModifiers mods = Qt::NoModifier) { QTest::keyClick(m_canvas, Qt::Key(k), mods); }
    void drag(QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier);
    ui::AnnotateWorkspace *workspace() const { return m_window->annotateWorkspace(); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void drawBoxByDragAndByTwoClicks();
    void selectMoveResizeUndo();
    void drawAndEditPolygon();
    void classHotkeyChangesSelection();
    void copyPasteDuplicateDeleteNudge();
    void rubberBandSelectsInside();
    void nextItemKeepsHistoryPerItem();
    void labelListFollowsAfterTheCanvas();
    void switchingWithRowsReadAheadShowsEveryEdit();
    void reviewRecordsReviewer();
    void tagsPanelSetsTags();
    void shortcutClashIsRefused();
    void wheelZoomKeepsThePointUnderTheCursor();
    void classHotkeysMayNotClash();
};

void TestEditor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings().clear();
    for (int i = 0; i < 3; ++i) {
        QImage img(400, 300, QImage::Format_RGB32);
        img.fill(QColor::fromHsv(i * 90, 120, 200));
        QVERIFY(img.save(m_dir.filePath(QStringLiteral("e%1.png").arg(i))));
    }
}

void TestEditor::init()
{
    m_path = m_dir.filePath(QStringLiteral("e%1.annotune").arg(++m_run));
    {
        auto project = core::store::Project::create(m_path);
        QVERIFY(project);
        auto &classes = (*project)->classes();
        m_car = *classes.add({0, QStringLiteral("car"), Qt::yellow, core::ClassKind::Box, {}, 0}, QStringLiteral("t"));
        m_truck = *classes.add({0, QStringLiteral("truck"), Qt::red, core::ClassKind::Box, {}, 1}, QStringLiteral("t"));
        m_lane = *classes.add({0, QStringLiteral("lane"), Qt::green, core::ClassKind::Polygon, {}, 2}, QStringLiteral("t"));
        QVERIFY(classes.add({0, QStringLiteral("night"), Qt::blue, core::ClassKind::Tag, {}, 3}, QStringLiteral("t")));
        QVector<core::Item> items(3);
        for (int i = 0; i < 3; ++i) {
            items[i].path = QStringLiteral("e%1.png").arg(i);
            items[i].sha256 = QString(64, QLatin1Char('a' + i));
            items[i].width = 400;
            items[i].height = 300;
        }
        m_items = *(*project)->items().insertMany(items, QStringLiteral("t"));
    }
    m_window = std::make_unique<ui::MainWindow>();
    m_window->setErrorReporter([](const QString &, const QString &m) { qWarning("%s", qPrintable(m)); });
    m_window->resize(1400, 900);
    QVERIFY(m_window->openProject(m_path));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->showAnnotate();
    m_canvas = workspace()->canvas();
    m_canvas->setFocus();
    QCOMPARE(workspace()->document()->itemId(), m_items[0]);
    QTRY_VERIFY_WITH_TIMEOUT(m_canvas->imageShown(), kSlowMachineMs);
    m_canvas->fitToWindow();
}

void TestEditor::cleanup()
{
    m_window.reset();
}

void TestEditor::drag(QPoint from, QPoint to, Qt::KeyboardModifiers mods)
{
    QTest::mousePress(m_canvas, Qt::LeftButton, mods, from);
    for (int i = 1; i <= 4; ++i)
        QTest::mouseMove(m_canvas, from + (to - from) * i / 4);
    QTest::mouseRelease(m_canvas, Qt::LeftButton, mods, to);
}

void TestEditor::drawBoxByDragAndByTwoClicks()
{
    key(Qt::Key_W);
    QCOMPARE(m_canvas->tool()->id(), QStringLiteral("tool.box"));
    drag(at(50, 40), at(150, 120));
    auto rows = stored(m_items[0]);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].kind, core::AnnotationKind::Box);
    QCOMPARE(rows[0].classId, m_car);
    QVERIFY(qAbs(rows[0].box.left() - 50) < 2 && qAbs(rows[0].box.bottom() - 120) < 2);
    QCOMPARE(m_canvas->selection(), QVector<Id>{rows[0].id});
    // Two clicks: one corner, then the other (outside the image: clipped to it).
    QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(300, 200));
    QTest::mouseMove(m_canvas, at(350, 260));
    QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(420, 320));
    rows = stored(m_items[0]);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].box.right(), 400.0);
    QCOMPARE(rows[1].box.bottom(), 300.0);
}

void TestEditor::selectMoveResizeUndo()
{
    core::Annotation a;
    a.classId = m_car;
    a.box = QRectF(100, 100, 80, 60);
    const Id id = workspace()->document()->addAnnotation(a);
    key(Qt::Key_V);
    drag(at(140, 130), at(160, 150)); // move by (20, 20)
    QVERIFY(qAbs(m_window->project()->annotations().get(id)->box.left() - 120) < 1.5);
    QCOMPARE(m_canvas->selection(), QVector<Id>{id});
    drag(at(200, 180), at(250, 220)); // bottom-right handle
    const QRectF resized = m_window->project()->annotations().get(id)->box;
    QVERIFY2(qAbs(resized.right() - 250) < 1.5 && qAbs(resized.left() - 120) < 1.5, qPrintable(QString::number(resized.right())));
    key(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(qAbs(m_window->project()->annotations().get(id)->box.right() - 200) < 1.5);
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_window->project()->annotations().get(id)->box, QRectF(100, 100, 80, 60));
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(qAbs(m_window->project()->annotations().get(id)->box.left() - 120) < 1.5);
}

void TestEditor::drawAndEditPolygon()
{
    key(Qt::Key_3); // the polygon class
    key(Qt::Key_P);
    for (QPointF p : {QPointF(100, 100), QPointF(200, 100), QPointF(150, 200)})
        QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(p.x(), p.y()));
    QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(101, 101)); // the first vertex closes it
    auto rows = stored(m_items[0]);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].kind, core::AnnotationKind::Polygon);
    QCOMPARE(rows[0].classId, m_lane);
    QCOMPARE(rows[0].polygon.size(), 3);
    const Id id = rows[0].id;
    key(Qt::Key_V);
    m_canvas->setSelection({id});
    drag(at(150, 200), at(150, 250)); // a vertex
    QVERIFY(qAbs(m_window->project()->annotations().get(id)->polygon[2].y() - 250) < 1.5);
    QTest::mouseDClick(m_canvas, Qt::LeftButton, {}, at(150, 100)); // on the top edge: insert
    QCOMPARE(m_window->project()->annotations().get(id)->polygon.size(), 4);
    QTest::mouseClick(m_canvas, Qt::LeftButton, Qt::AltModifier, at(150, 100)); // alt+click: delete
    QCOMPARE(m_window->project()->annotations().get(id)->polygon.size(), 3);
    // Backspace takes back a vertex while drawing; Esc drops the polygon.
    key(Qt::Key_P);
    QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(10, 10));
    QTest::mouseClick(m_canvas, Qt::LeftButton, {}, at(50, 10));
    key(Qt::Key_Backspace);
    auto *poly = static_cast<ui::PolygonTool *>(m_canvas->tool());
    QCOMPARE(poly->pointCount(), 1);
    key(Qt::Key_Escape);
    QCOMPARE(poly->pointCount(), 0);
    QCOMPARE(stored(m_items[0]).size(), 1);
}

void TestEditor::classHotkeyChangesSelection()
{
    key(Qt::Key_W);
    drag(at(50, 40), at(150, 120));
    const Id id = stored(m_items[0]).first().id;
    key(Qt::Key_2);
    QCOMPARE(m_window->project()->annotations().get(id)->classId, m_truck);
    QCOMPARE(m_canvas->currentClass(), m_truck);
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_window->project()->annotations().get(id)->classId, m_car);
}

void TestEditor::copyPasteDuplicateDeleteNudge()
{
    key(Qt::Key_W);
    drag(at(50, 40), at(150, 120));
    key(Qt::Key_C, Qt::ControlModifier);
    key(Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(stored(m_items[0]).size(), 2);
    key(Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(stored(m_items[0]).size(), 3);
    const Id last = m_canvas->selection().first();
    const QRectF before = m_window->project()->annotations().get(last)->box;
    key(Qt::Key_Right);
    key(Qt::Key_Right);
    key(Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(m_window->project()->annotations().get(last)->box, before.translated(2, 10));
    key(Qt::Key_Delete);
    QCOMPARE(stored(m_items[0]).size(), 2);
    key(Qt::Key_Z, Qt::ControlModifier); // the delete
    key(Qt::Key_Z, Qt::ControlModifier); // the three nudges, merged into one step
    QCOMPARE(m_window->project()->annotations().get(last)->box, before);
}

void TestEditor::rubberBandSelectsInside()
{
    auto *doc = workspace()->document();
    QVector<core::Annotation> boxes;
    for (QRectF r : {QRectF(20, 20, 30, 30), QRectF(80, 20, 30, 30), QRectF(300, 200, 30, 30)}) {
        core::Annotation a;
        a.classId = m_car;
        a.box = r;
        boxes.append(a);
    }
    const QVector<Id> ids = doc->addAnnotations(boxes);
    key(Qt::Key_V);
    drag(at(10, 10), at(120, 60));
    QCOMPARE(m_canvas->selection(), (QVector<Id>{ids[0], ids[1]}));
    QTest::mouseClick(m_canvas, Qt::LeftButton, Qt::ShiftModifier, at(310, 210));
    QCOMPARE(m_canvas->selection().size(), 3);
    key(Qt::Key_Delete);
    QVERIFY(stored(m_items[0]).isEmpty());
}

void TestEditor::nextItemKeepsHistoryPerItem()
{
    key(Qt::Key_W);
    drag(at(50, 40), at(150, 120));
    key(Qt::Key_D);
    QCOMPARE(workspace()->document()->itemId(), m_items[1]);
    QTRY_VERIFY_WITH_TIMEOUT(m_canvas->imageShown(), kSlowMachineMs);
    QVERIFY(!workspace()->document()->undoStack()->canUndo());
    key(Qt::Key_A);
    QCOMPARE(workspace()->document()->itemId(), m_items[0]);
    QVERIFY(workspace()->document()->undoStack()->canUndo());
    key(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(stored(m_items[0]).isEmpty());
    // The neighbours were decoded ahead.
    workspace()->imageCache()->waitForIdle();
    QTRY_VERIFY_WITH_TIMEOUT(workspace()->imageCache()->cached(m_items[1]) != nullptr, kSlowMachineMs);
}

// The label list and the history catch up with a switch once the canvas has painted the new
// item; an edit meanwhile refreshes the list at once, and the selection is the canvas's.
void TestEditor::labelListFollowsAfterTheCanvas()
{
    auto *doc = workspace()->document();
    auto *list = workspace()->annotationList();
    auto *history = workspace()->findChild<QUndoView *>();
    QVERIFY(history);
    core::Annotation a;
    a.classId = m_car;
    a.box = QRectF(100, 100, 80, 60);
    const Id first = doc->addAnnotation(a);
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(history->stack(), doc->undoStack());
    key(Qt::Key_D);
    QCOMPARE(doc->itemId(), m_items[1]);
    QVERIFY(list->isStale()); // still the previous item's row until the canvas has painted
    QTRY_VERIFY_WITH_TIMEOUT(!list->isStale(), kSlowMachineMs);
    QCOMPARE(list->model()->rowCount(), 0);
    QCOMPARE(history->stack(), doc->undoStack());
    QVERIFY(!history->stack()->canUndo());
    key(Qt::Key_A);
    QVERIFY(list->isStale());
    a.box = QRectF(10, 10, 30, 30);
    const Id second = doc->addAnnotation(a); // an edit before the paint: the list shows it at once
    QVERIFY(!list->isStale());
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->rowOf(first), 0);
    QCOMPARE(list->model()->rowOf(second), 1);
    m_canvas->setSelection({first});
    key(Qt::Key_D);
    key(Qt::Key_A); // back before anything painted: one catch-up, for the item shown
    QTRY_VERIFY_WITH_TIMEOUT(!list->isStale(), kSlowMachineMs);
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(history->stack()->count(), 2);
    m_canvas->setSelection({second});
    const auto rows = list->view()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data(labeling::AnnotationListModel::IdRole).toLongLong(), second);
}

// The neighbours' rows are read ahead after a switch; edits made since, on the item itself or
// by a schema change, are what a switch back shows, on the canvas and in the label list.
void TestEditor::switchingWithRowsReadAheadShowsEveryEdit()
{
    auto *doc = workspace()->document();
    auto *list = workspace()->annotationList();
    key(Qt::Key_W);
    drag(at(50, 40), at(150, 120)); // a car on item 0
    const Id car = stored(m_items[0]).first().id;
    key(Qt::Key_D);
    QTRY_VERIFY_WITH_TIMEOUT(doc->prefetched(m_items[0]) && doc->prefetched(m_items[2]), kSlowMachineMs);
    QVERIFY(workspace()->schema());
    m_canvas->setCurrentClass(m_truck);
    drag(at(200, 40), at(300, 120)); // a truck on item 1
    QCOMPARE(stored(m_items[1]).size(), 1);
    QVERIFY(doc->prefetched(m_items[0])); // editing item 1 keeps item 0's rows
    key(Qt::Key_A);
    QCOMPARE(doc->itemId(), m_items[0]);
    QCOMPARE(doc->annotations().size(), 1);
    QCOMPARE(doc->annotations().first().id, car);
    QTRY_VERIFY_WITH_TIMEOUT(!list->isStale(), kSlowMachineMs);
    QCOMPARE(list->model()->rowCount(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(doc->prefetched(m_items[1]), kSlowMachineMs);
    QVERIFY(workspace()->schema()->removeClass(m_truck)); // every truck goes, item 1's too
    QVERIFY(stored(m_items[1]).isEmpty());
    key(Qt::Key_D);
    QCOMPARE(doc->itemId(), m_items[1]);
    QVERIFY(doc->annotations().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!list->isStale(), kSlowMachineMs);
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(m_canvas->annotationAt(QPointF(250, 80)) == 0);
}

void TestEditor::reviewRecordsReviewer()
{
    m_window->project()->setAuthor(QStringLiteral("rita"));
    key(Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m_window->project()->items().get(m_items[0])->status, core::ItemStatus::Labeled);
    workspace()->setCommentProvider([] { return std::optional<QString>(QStringLiteral("missed a car")); });
    key(Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->project()->items().get(m_items[0])->status, core::ItemStatus::Rejected);
    const auto reviews = *m_window->project()->items().reviews(m_items[0]);
    QCOMPARE(reviews.last().author, QStringLiteral("rita"));
    QCOMPARE(reviews.last().comment, QStringLiteral("missed a car"));
}

void TestEditor::tagsPanelSetsTags()
{
    auto *doc = workspace()->document();
    const Id night = doc->classes().last().id;
    QVERIFY(doc->setTags({night}));
    QCOMPARE(stored(m_items[0]).size(), 1);
    QCOMPARE(stored(m_items[0]).first().kind, core::AnnotationKind::Tag);
    doc->undo();
    QVERIFY(stored(m_items[0]).isEmpty());
}

void TestEditor::shortcutClashIsRefused()
{
    ui::SettingsDialog dialog(m_window->actions());
    dialog.setShortcut(QStringLiteral("edit.duplicate"), QKeySequence(Qt::Key_D));
    QVERIFY(!dialog.save());
    QVERIFY2(dialog.lastError().contains(QStringLiteral("Next Item")), qPrintable(dialog.lastError()));
    QCOMPARE(m_window->actions().action(QStringLiteral("edit.duplicate"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    dialog.setShortcut(QStringLiteral("edit.duplicate"), QKeySequence(Qt::CTRL | Qt::Key_J));
    dialog.setReviewer(QStringLiteral("rita"));
    QVERIFY(dialog.save());
    QCOMPARE(m_window->actions().action(QStringLiteral("edit.duplicate"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_J));
    QCOMPARE(ui::shortcutsettings::reviewerName(), QStringLiteral("rita"));
    ui::MainWindow again; // a new window reads the saved shortcut
    QCOMPARE(again.actions().action(QStringLiteral("edit.duplicate"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_J));
    QSettings().clear();
}

void TestEditor::wheelZoomKeepsThePointUnderTheCursor()
{
    const QPoint cursor = at(100, 80);
    QWheelEvent wheel(cursor, m_canvas->mapToGlobal(cursor), {}, QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    const double before = m_canvas->view().scale;
    QApplication::sendEvent(m_canvas, &wheel);
    QVERIFY(m_canvas->view().scale > before * 1.3);
    const QPointF under = m_canvas->view().toImage(QPointF(cursor));
    QVERIFY2(QLineF(under, QPointF(100, 80)).length() < 1.0, qPrintable(QStringLiteral("%1,%2").arg(under.x()).arg(under.y())));
    m_canvas->fitToWindow();
    const QPointF centre = m_canvas->view().toScreen(QPointF(200, 150)); // the image's centre sits in the middle
    QVERIFY(QLineF(centre, QPointF(m_canvas->width() / 2.0, m_canvas->height() / 2.0)).length() < 1.0);
}

void TestEditor::classHotkeysMayNotClash()
{
    ui::LabelSchemaDialog dialog(*workspace()->schema(), m_window->actions());
    QVERIFY(dialog.hotkeyClash(m_car, QStringLiteral("Q")).isEmpty());
    QVERIFY(dialog.hotkeyClash(m_car, QStringLiteral("1")).contains(QStringLiteral("class.pick1")));
    QVERIFY(dialog.hotkeyClash(m_car, QStringLiteral("W")).contains(QStringLiteral("tool.box")));
}

QTEST_MAIN(TestEditor)
#include "test_editor.moc"
