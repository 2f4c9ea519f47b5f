// Document pages in the Annotate workspace, driven like a person would: select words with the
// mouse, label them with a field's key, link two entities, undo, correct a word, draw a region
// box, and check what the project file holds after each step.

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/linkrepository.h"
#include "core/store/project.h"
#include "labeling/annotationdocument.h"
#include "ui/annotateworkspace.h"
#include "ui/canvas/canvas.h"
#include "ui/canvas/wordselecttool.h"
#include "ui/documentlabeling.h"
#include "ui/formpanel.h"
#include "ui/mainwindow.h"

#include <QSettings>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace annotune;
using core::Id;

class TestDocumentView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    Id m_question = 0, m_answer = 0, m_date = 0, m_total = 0, m_logo = 0, m_page = 0;
    QVector<Id> m_words;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::Canvas *m_canvas = nullptr;
    int m_run = 0;

    core::store::Project &project() { return *m_window->project(); }
    QVector<core::Annotation> stored() { return *project().annotations().forItem(m_page); }
    QVector<core::AnnotationLink> links() { return *project().links().forItem(m_page); }
    ui::AnnotateWorkspace *workspace() const { return m_window->annotateWorkspace(); }
    labeling::AnnotationDocument *doc() const { return workspace()->document(); }
    QPoint at(const QPointF &image) const { return m_canvas->view().toScreen(image).toPoint(); }
    QPoint word(int i) const { return at(doc()->findWord(m_words[i])->box.center()); }
    void key(int k, Qt::KeyboardModifiers mods = Qt::NoModifier) { QTest::keyClick(m_canvas, Qt::Key(k), mods); }
    void drag(QPoint from, QPoint to, Qt::MouseButton button = Qt::LeftButton)
    {
        QTest::mousePress(m_canvas, button, {}, from);
        for (int i = 1; i <= 4; ++i)
            QTest::mouseMove(m_canvas, from + (to - from) * i / 4);
        QTest::mouseRelease(m_canvas, button, {}, to);
    }
    const core::Annotation *fieldOf(Id classId)
    {
        for (const core::Annotation &a : doc()->annotations())
            if (a.classId == classId)
                return &a;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings().clear();
        QImage img(600, 400, QImage::Format_RGB32);
        img.fill(Qt::white);
        QVERIFY(img.save(m_dir.filePath(QStringLiteral("page.png"))));
    }

    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("d%1.annotune").arg(++m_run));
        {
            auto created = core::store::Project::create(m_path);
            QVERIFY(created);
            core::store::Project &p = **created;
            const auto cls = [&](const char *name, core::ClassKind kind, int pos) {
                return *p.classes().add({0, QString::fromLatin1(name), QColor::fromHsv(pos * 80, 200, 220), kind, {}, pos},
                                        QStringLiteral("t"));
            };
            m_question = cls("question", core::ClassKind::Field, 0);
            m_answer = cls("answer", core::ClassKind::Field, 1);
            m_date = cls("invoice_date", core::ClassKind::Field, 2);
            m_total = cls("total", core::ClassKind::Field, 3);
            m_logo = cls("logo", core::ClassKind::Box, 4);
            core::Item page;
            page.kind = core::ItemKind::DocumentPage;
            page.path = QStringLiteral("page.png");
            page.sha256 = QString(64, u'c');
            page.width = 600;
            page.height = 400;
            m_page = p.items().insertMany({page}, QStringLiteral("t"))->first();
            const QStringList texts = {QStringLiteral("Invoice"), QStringLiteral("date:"), QStringLiteral("12.03.2024"),
                                       QStringLiteral("Total"), QStringLiteral("$1,234.50")};
            QVector<core::Word> words;
            for (int i = 0; i < texts.size(); ++i)
                words.append(core::Word{0, m_page, i, texts[i], QRectF(40 + 100 * i, 100 + 60 * (i / 3), 80, 24)});
            QVERIFY(p.annotations().insertWords(m_page, words));
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
        QCOMPARE(doc()->itemId(), m_page);
        QTRY_VERIFY(m_canvas->imageShown());
        m_canvas->fitToWindow();
        m_words.clear();
        for (const core::Word &w : doc()->words())
            m_words.append(w.id);
        QCOMPARE(m_words.size(), 5);
    }

    void cleanup() { m_window.reset(); }

    void selectWordsAndLabelThemByHotkey()
    {
        key(Qt::Key_T);
        QCOMPARE(m_canvas->tool()->id(), QStringLiteral("tool.words"));
        auto *tool = workspace()->documentLabeling()->wordTool();
        QTest::mouseClick(m_canvas, Qt::LeftButton, {}, word(0));
        QTest::mouseClick(m_canvas, Qt::LeftButton, Qt::ShiftModifier, word(1));
        QCOMPARE(tool->selectedWords(), QVector<Id>({m_words[0], m_words[1]}));
        QTest::mouseClick(m_canvas, Qt::LeftButton, Qt::ShiftModifier, word(1)); // drops it again
        QTest::mouseClick(m_canvas, Qt::LeftButton, Qt::ShiftModifier, word(1));
        key(Qt::Key_1); // question: fields come first in the picker on document pages
        QCOMPARE(stored().size(), 1);
        QCOMPARE(stored().first().classId, m_question);
        QCOMPARE(stored().first().kind, core::AnnotationKind::Field);
        QCOMPARE(stored().first().rawText, QStringLiteral("Invoice date:"));
        QVERIFY(tool->selectedWords().isEmpty());
        // Rubber band across the date, then the date field's key: normalised to ISO, raw text kept.
        const QRectF date = doc()->findWord(m_words[2])->box;
        drag(at(date.topLeft() - QPointF(6, 6)), at(date.bottomRight() + QPointF(6, 6)));
        QCOMPARE(tool->selectedWords(), QVector<Id>({m_words[2]}));
        key(Qt::Key_3);
        QCOMPARE(stored().size(), 2);
        QCOMPARE(stored().last().classId, m_date);
        QCOMPARE(stored().last().value, QStringLiteral("2024-03-12"));
        QCOMPARE(stored().last().rawText, QStringLiteral("12.03.2024"));
        // The form panel: the answer and the total are missing; a click on the question selects its words.
        ui::FormPanel *form = workspace()->documentLabeling()->formPanel();
        QCOMPARE(form->missingCount(), 2);
        QCOMPARE(form->model()->item(0, 0)->text(), QStringLiteral("question"));
        QTest::mouseClick(form->view()->viewport(), Qt::LeftButton, {},
                          form->view()->visualRect(form->model()->index(0, 1)).center());
        QCOMPARE(tool->selectedWords(), QVector<Id>({m_words[0], m_words[1]}));
        QCOMPARE(m_canvas->selection(), QVector<Id>({stored().first().id}));
        // Correcting a value in the form keeps the text as read.
        QCOMPARE(form->model()->item(2, 0)->text(), QStringLiteral("invoice_date"));
        form->model()->item(2, 1)->setText(QStringLiteral("2024-03-13"));
        QCOMPARE(stored().last().value, QStringLiteral("2024-03-13"));
        QCOMPARE(stored().last().rawText, QStringLiteral("12.03.2024"));
        key(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(stored().last().value, QStringLiteral("2024-03-12"));
        key(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(stored().size(), 1);
        key(Qt::Key_Z, Qt::ShiftModifier | Qt::ControlModifier);
        QCOMPARE(stored().size(), 2);
    }

    void linkTwoEntitiesAndUndo()
    {
        const Id q = doc()->assignWordsToField({m_words[3]}, m_question);
        const Id a = doc()->assignWordsToField({m_words[4]}, m_answer);
        QVERIFY(q && a);
        QCOMPARE(fieldOf(m_answer)->value, QStringLiteral("$1,234.50")); // "answer" is text, not an amount
        key(Qt::Key_K);
        QCOMPARE(m_canvas->tool()->id(), QStringLiteral("tool.link"));
        drag(word(3), word(4));
        QCOMPARE(links().size(), 1);
        QCOMPARE(links().first().fromId, q);
        QCOMPARE(links().first().toId, a);
        QCOMPARE(doc()->links().size(), 1);
        key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(links().isEmpty());
        QVERIFY(doc()->links().isEmpty());
        // Click, click links too; a right-click on the arrow removes it.
        QTest::mouseClick(m_canvas, Qt::LeftButton, {}, word(3));
        QTest::mouseClick(m_canvas, Qt::LeftButton, {}, word(4));
        QCOMPARE(links().size(), 1);
        const QRectF from = doc()->find(q)->box, to = doc()->find(a)->box;
        const QPointF middle((from.right() + to.left()) / 2, from.center().y());
        QTest::mouseClick(m_canvas, Qt::RightButton, {}, at(middle));
        QVERIFY(links().isEmpty());
        key(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(links().size(), 1);
    }

    void correctAWordAndTheFieldFollows()
    {
        const Id total = doc()->assignWordsToField({m_words[4]}, m_total);
        QCOMPARE(doc()->find(total)->value, QStringLiteral("1234.50"));
        core::Word w = *doc()->findWord(m_words[4]);
        w.text = QStringLiteral("$1,284.50");
        QVERIFY(doc()->editWord(w));
        QCOMPARE(project().annotations().words(m_page)->at(4).text, QStringLiteral("$1,284.50"));
        QCOMPARE(project().annotations().get(total)->value, QStringLiteral("1284.50"));
        key(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(project().annotations().words(m_page)->at(4).text, QStringLiteral("$1,234.50"));
        QCOMPARE(project().annotations().get(total)->value, QStringLiteral("1234.50"));
    }

    void regionBoxOnAPage()
    {
        key(Qt::Key_W);
        QCOMPARE(m_canvas->tool()->id(), QStringLiteral("tool.box"));
        workspace()->chooseClass(m_logo);
        drag(at(QPointF(400, 250)), at(QPointF(560, 360)));
        QCOMPARE(stored().size(), 1);
        QCOMPARE(stored().first().kind, core::AnnotationKind::Box);
        QCOMPARE(stored().first().classId, m_logo);
    }
};

QTEST_MAIN(TestDocumentView)
#include "test_documentview.moc"
