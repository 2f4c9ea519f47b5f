// The workbench window: opening projects, keyboard navigation, errors that keep state, and the
// action registry's shortcut conflict detection.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/itemlistmodel.h"
#include "ui/actionregistry.h"
#include "ui/browseworkspace.h"
#include "ui/imageview.h"
#include "ui/mainwindow.h"
#include "ui/startpage.h"
#include "ui/statustext.h"

#include <QAction>
#include <QListView>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace annotune;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_projectPath;
    QVector<core::Id> m_ids;
    QStringList m_errors;

    std::unique_ptr<ui::MainWindow> makeWindow();
    static bool showsStartPage(ui::MainWindow &w);

private Q_SLOTS:
    void initTestCase();
    void init() { m_errors.clear(); }
    void opensProjectAndShowsFirstItem();
    void keysMoveBetweenItems();
    void positionTextLaysOutOnlyWhenWider();
    void nextUnlabeledSkipsLabeled();
    void notAProjectIsReportedAndStateKept();
    void missingFileFromStartPageStaysOnStartPage();
    void defaultReporterShowsMessageBox();
    void importRunsOffThreadAndRefreshes();
    void registryRefusesDuplicateIds();
    void registryFindsShortcutConflicts();
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_projectPath = m_dir.filePath(QStringLiteral("w.annotune"));
    auto project = core::store::Project::create(m_projectPath);
    QVERIFY(project);
    core::LabelClass cls{0, QStringLiteral("car"), Qt::yellow, core::ClassKind::Box, {}, 0};
    auto classId = (*project)->classes().add(cls, QStringLiteral("tester"));
    QVERIFY(classId);
    QVector<core::Item> items;
    for (int i = 0; i < 5; ++i) {
        QImage img(64, 48, QImage::Format_RGB32);
        img.fill(QColor::fromHsv(i * 60, 200, 200));
        const QString name = QStringLiteral("img%1.png").arg(i);
        QVERIFY(img.save(m_dir.filePath(name)));
        core::Item it;
        it.path = name;
        it.sha256 = QStringLiteral("%1").arg(i + 1, 64, 10, QLatin1Char('0'));
        it.width = 64;
        it.height = 48;
        it.status = i == 3 ? core::ItemStatus::Unlabeled : core::ItemStatus::Labeled;
        items.append(it);
    }
    auto ids = (*project)->items().insertMany(items, QStringLiteral("tester"));
    QVERIFY(ids);
    m_ids = *ids;
    core::Annotation a;
    a.itemId = m_ids[1];
    a.classId = *classId;
    a.box = QRectF(4, 4, 20, 10);
    QVERIFY((*project)->annotations().add(a, QStringLiteral("tester")));
}

std::unique_ptr<ui::MainWindow> TestMainWindow::makeWindow()
{
    auto w = std::make_unique<ui::MainWindow>();
    w->setErrorReporter([this](const QString &, const QString &message) { m_errors << message; });
    return w;
}

bool TestMainWindow::showsStartPage(ui::MainWindow &w)
{
    auto *stack = qobject_cast<QStackedWidget *>(w.centralWidget());
    return stack && stack->currentWidget() == w.startPage();
}

void TestMainWindow::opensProjectAndShowsFirstItem()
{
    auto w = makeWindow();
    QVERIFY(showsStartPage(*w));
    QVERIFY(w->openProject(m_projectPath));
    QVERIFY(m_errors.isEmpty());
    QVERIFY(!showsStartPage(*w));
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[0]);
    QTRY_COMPARE(w->browseWorkspace()->imageView()->state(), ui::ImageView::State::Ready);
    QVERIFY(w->windowTitle().contains(QStringLiteral("w")));
}

void TestMainWindow::keysMoveBetweenItems()
{
    auto w = makeWindow();
    QVERIFY(w->openProject(m_projectPath));
    w->show();
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    QListView *list = w->browseWorkspace()->itemView();
    list->setFocus();
    QTest::keyClick(list, Qt::Key_D);
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[1]);
    QCOMPARE(w->browseWorkspace()->imageView()->scene().annotations.size(), 1);
    QTest::keyClick(list, Qt::Key_D);
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[2]);
    QTest::keyClick(list, Qt::Key_A);
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[1]);
    QCOMPARE(w->browseWorkspace()->currentRow(), 1);
    QCOMPARE(w->findChild<ui::StatusText *>()->text(), QStringLiteral("Item 2 of %1").arg(m_ids.size()));
}

// The item position changes on every switch: it repaints itself, and asks the status bar for a
// new layout (which repaints all of the bar) only when its text is wider than any before.
void TestMainWindow::positionTextLaysOutOnlyWhenWider()
{
    struct LayoutRequests : QObject {
        int count = 0;
        bool eventFilter(QObject *, QEvent *e) override
        {
            count += e->type() == QEvent::LayoutRequest ? 1 : 0;
            return false;
        }
    } requests;
    QWidget bar;
    auto *layout = new QHBoxLayout(&bar);
    auto *text = new ui::StatusText(&bar);
    layout->addWidget(text);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    text->setText(QStringLiteral("Item 10 of 20"));
    QCoreApplication::processEvents();
    QCOMPARE(text->sizeHint().width(), text->fontMetrics().horizontalAdvance(text->text()));
    bar.installEventFilter(&requests);
    text->setText(QStringLiteral("Item 9 of 20"));
    text->setText(QStringLiteral("Item 11 of 20"));
    QCoreApplication::processEvents();
    QCOMPARE(requests.count, 0);
    QCOMPARE(text->text(), QStringLiteral("Item 11 of 20"));
    text->setText(QStringLiteral("Item 1,000 of 2,000"));
    QCoreApplication::processEvents();
    QVERIFY(requests.count > 0);
    QVERIFY(text->width() >= text->fontMetrics().horizontalAdvance(text->text()));
}

void TestMainWindow::nextUnlabeledSkipsLabeled()
{
    auto w = makeWindow();
    QVERIFY(w->openProject(m_projectPath));
    w->actions().action(QStringLiteral("go.nextUnlabeled"))->trigger();
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[3]);
    w->actions().action(QStringLiteral("go.nextUnlabeled"))->trigger(); // none after: stays
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[3]);
}

void TestMainWindow::notAProjectIsReportedAndStateKept()
{
    auto w = makeWindow();
    QVERIFY(w->openProject(m_projectPath));
    w->browseWorkspace()->selectNext();
    const QString bogus = m_dir.filePath(QStringLiteral("notes.annotune"));
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("just some text, not a database\n");
    f.close();

    QVERIFY(!w->openProject(bogus));
    QCOMPARE(m_errors.size(), 1);
    QVERIFY2(m_errors.first().contains(QStringLiteral("not an Annotune project")), qPrintable(m_errors.first()));
    QVERIFY(w->project());
    QCOMPARE(w->project()->path(), QFileInfo(m_projectPath).absoluteFilePath());
    QCOMPARE(w->browseWorkspace()->imageView()->itemId(), m_ids[1]);
    QVERIFY(!showsStartPage(*w));
}

void TestMainWindow::missingFileFromStartPageStaysOnStartPage()
{
    auto w = makeWindow();
    QVERIFY(!w->openProject(m_dir.filePath(QStringLiteral("nope.annotune"))));
    QCOMPARE(m_errors.size(), 1);
    QVERIFY(m_errors.first().contains(QStringLiteral("no such project file")));
    QVERIFY(!w->project());
    QVERIFY(showsStartPage(*w));
    QVERIFY(!w->actions().action(QStringLiteral("go.next"))->isEnabled());
}

void TestMainWindow::defaultReporterShowsMessageBox()
{
    ui::MainWindow w; // the real reporter: a modal message box
    w.show();
    QString shown;
    QTimer::singleShot(50, this, [&shown] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->accept();
        }
    });
    QVERIFY(!w.openProject(m_dir.filePath(QStringLiteral("missing.annotune"))));
    QVERIFY2(shown.contains(QStringLiteral("missing.annotune")), qPrintable(shown));
    QVERIFY(!w.project());
}

void TestMainWindow::importRunsOffThreadAndRefreshes()
{
    QTemporaryDir dir;
    const QString projectPath = dir.filePath(QStringLiteral("imp.annotune"));
    QVERIFY(core::store::Project::create(projectPath));
    QDir().mkpath(dir.filePath(QStringLiteral("media")));
    for (int i = 0; i < 12; ++i) {
        QImage img(30 + i, 20, QImage::Format_RGB32);
        img.fill(QColor::fromHsv(i * 25, 180, 220));
        QVERIFY(img.save(dir.filePath(QStringLiteral("media/m%1.png").arg(i))));
    }
    QFile junk(dir.filePath(QStringLiteral("media/broken.png")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a png");
    junk.close();

    auto w = makeWindow();
    QVERIFY(w->openProject(projectPath));
    QCOMPARE(w->browseWorkspace()->model()->totalCount(), 0);
    QVERIFY(w->importFolder(dir.filePath(QStringLiteral("media"))));
    QVERIFY(w->isImporting());
    QVERIFY(!w->importFolder(dir.filePath(QStringLiteral("media")))); // one at a time
    QTRY_VERIFY_WITH_TIMEOUT(!w->isImporting(), 20000);
    QCOMPARE(w->browseWorkspace()->model()->totalCount(), 12);
    QCOMPARE(w->browseWorkspace()->model()->rowCount(), 12);
    QCOMPARE(m_errors.size(), 1); // the unreadable file is reported
    QVERIFY(m_errors.first().contains(QStringLiteral("broken.png")));
    QVERIFY(w->browseWorkspace()->imageView()->itemId() != 0);
}

void TestMainWindow::registryRefusesDuplicateIds()
{
    ui::ActionRegistry registry;
    QVERIFY(registry.add(QStringLiteral("a.one"), QStringLiteral("One"), QKeySequence(Qt::Key_1)));
    QVERIFY(!registry.add(QStringLiteral("a.one"), QStringLiteral("Again"), QKeySequence(Qt::Key_2)));
    QCOMPARE(registry.ids(), QStringList{QStringLiteral("a.one")});
    QCOMPARE(registry.action(QStringLiteral("a.one"))->text(), QStringLiteral("One"));
}

void TestMainWindow::registryFindsShortcutConflicts()
{
    auto w = makeWindow();
    ui::ActionRegistry &registry = w->actions();
    QVERIFY2(registry.conflicts().isEmpty(), qPrintable(registry.conflicts().join(QLatin1Char(','))));
    QVERIFY(registry.add(QStringLiteral("test.dup"), QStringLiteral("Dup"), QKeySequence(Qt::Key_D)));
    QCOMPARE(registry.conflicts(), (QStringList{QStringLiteral("go.next"), QStringLiteral("test.dup")}));
    QCOMPARE(registry.clashesWith(QKeySequence(Qt::Key_D), QStringLiteral("go.next")), QStringList{QStringLiteral("test.dup")});
    QVERIFY(registry.setShortcut(QStringLiteral("test.dup"), QKeySequence(Qt::Key_X)));
    QVERIFY(registry.conflicts().isEmpty());
    QCOMPARE(registry.defaultShortcut(QStringLiteral("test.dup")), QKeySequence(Qt::Key_D));
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
