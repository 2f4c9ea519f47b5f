// The Evaluate workspace and model-assisted labeling, driven offscreen: suggestions accepted,
// rejected and accepted in bulk through the document's undo stack, the metrics table of a run
// with known predictions, approval against a failing and a passing gate, linked views.

#include "core/eval/approval.h"
#include "core/store/annotationrepository.h"
#include "core/store/approvalrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "labeling/annotationdocument.h"
#include "ui/annotateworkspace.h"
#include "ui/mainwindow.h"
#include "ui/review/approvalpanel.h"
#include "ui/review/errorsbrowser.h"
#include "ui/review/errorsmodel.h"
#include "ui/review/evaluateworkspace.h"
#include "ui/review/metricsmodel.h"
#include "ui/review/reviewcharts.h"
#include "ui/review/reviewpane.h"
#include "ui/suggestionsdock.h"

#include <QComboBox>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace annotune;
using core::Id;

class TestReview : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    QVector<Id> m_items;
    Id m_car = 0, m_truck = 0, m_run = 0;
    QVector<Id> m_predictions; // on item 0: car 0.9 (right), truck 0.7 (false alarm), car 0.3 (low)
    std::unique_ptr<ui::MainWindow> m_window;
    int m_count = 0;

    core::store::Project &project() { return *m_window->project(); }
    ui::SuggestionsDock *dock() { return m_window->annotateWorkspace()->suggestions(); }
    labeling::AnnotationDocument *doc() { return m_window->annotateWorkspace()->document(); }
    ui::EvaluateWorkspace *evaluate() { return m_window->evaluateWorkspace(); }
    void evaluateRun();

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void acceptSuggestionRemembersOriginAndUndoes();
    void rejectSuggestionHidesIt();
    void acceptAllAboveThreshold();
    void uncertaintyQueueOrdersUnlabeledItems();
    void metricsTableForKnownPredictions();
    void approveWithFailingAndPassingGate();
    void linkedViewsShareZoom();
    void editInAnnotateAndMarkDisagreement();
};

static core::Prediction box(Id run, Id item, Id cls, QRectF r, double score)
{
    core::Prediction p;
    p.runId = run;
    p.itemId = item;
    p.classId = cls;
    p.kind = core::AnnotationKind::Box;
    p.box = r;
    p.score = score;
    return p;
}

void TestReview::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings().clear();
    for (int i = 0; i < 3; ++i) {
        QImage img(400, 300, QImage::Format_RGB32);
        img.fill(QColor::fromHsv(i * 90, 120, 200));
        QVERIFY(img.save(m_dir.filePath(QStringLiteral("r%1.png").arg(i))));
    }
}

void TestReview::init()
{
    m_path = m_dir.filePath(QStringLiteral("r%1.annotune").arg(++m_count));
    {
        auto opened = core::store::Project::create(m_path);
        QVERIFY(opened);
        auto &p = **opened;
        m_car = *p.classes().add({0, QStringLiteral("car"), Qt::yellow, core::ClassKind::Box, {}, 0}, QStringLiteral("t"));
        m_truck = *p.classes().add({0, QStringLiteral("truck"), Qt::red, core::ClassKind::Box, {}, 1}, QStringLiteral("t"));
        QVector<core::Item> items(3);
        for (int i = 0; i < 3; ++i) {
            items[i].path = QStringLiteral("r%1.png").arg(i);
            items[i].sha256 = QString(64, QLatin1Char('a' + i));
            items[i].width = 400;
            items[i].height = 300;
            items[i].split = core::Split::Test;
            items[i].status = i < 2 ? core::ItemStatus::Labeled : core::ItemStatus::Unlabeled;
        }
        m_items = *p.items().insertMany(items, QStringLiteral("t"));
        core::Annotation car;
        car.itemId = m_items[0];
        car.classId = m_car;
        car.box = QRectF(50, 40, 100, 80);
        QVERIFY(p.annotations().add(car, QStringLiteral("t")));
        core::Annotation truck = car;
        truck.itemId = m_items[1];
        truck.classId = m_truck;
        truck.box = QRectF(200, 100, 120, 90);
        QVERIFY(p.annotations().add(truck, QStringLiteral("t")));
        core::Run run;
        run.name = QStringLiteral("known");
        run.task = QStringLiteral("detection");
        run.status = core::RunStatus::Finished;
        m_run = *p.runs().create(run, QStringLiteral("t"));
        QVERIFY(p.runs().insertPredictions({box(m_run, m_items[0], m_car, QRectF(52, 42, 100, 80), 0.9),
                                            box(m_run, m_items[0], m_truck, QRectF(250, 150, 60, 60), 0.7),
                                            box(m_run, m_items[0], m_car, QRectF(300, 20, 40, 40), 0.3),
                                            box(m_run, m_items[2], m_car, QRectF(10, 10, 50, 50), 0.55),
                                            box(m_run, m_items[2], m_truck, QRectF(100, 100, 50, 50), 0.45)}));
        m_predictions.clear();
        const auto onFirst = p.runs().predictions(m_run, m_items[0]);
        QVERIFY(onFirst);
        for (const auto &pr : *onFirst)
            m_predictions.append(pr.id);
        std::sort(m_predictions.begin(), m_predictions.end());
    }
    m_window = std::make_unique<ui::MainWindow>();
    m_window->setErrorReporter([](const QString &, const QString &m) { qWarning("%s", qPrintable(m)); });
    m_window->resize(1400, 900);
    QVERIFY(m_window->openProject(m_path));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestReview::cleanup()
{
    m_window.reset();
}

void TestReview::acceptSuggestionRemembersOriginAndUndoes()
{
    m_window->showAnnotate();
    QCOMPARE(doc()->itemId(), m_items[0]);
    dock()->setRun(m_run);
    QCOMPARE(dock()->visible().size(), 2); // 0.3 is under the default threshold
    QVERIFY(dock()->select(m_predictions[0]));
    dock()->listView()->setFocus();
    QTest::keyClick(dock()->listView(), Qt::Key_Return);
    const auto stored = *project().annotations().forItem(m_items[0]);
    QCOMPARE(stored.size(), 2);
    const core::Annotation &added = stored.last();
    QCOMPARE(added.classId, m_car);
    QCOMPARE(added.runId, std::optional<Id>(m_run));
    QVERIFY(added.score && std::abs(*added.score - 0.9) < 1e-9);
    QCOMPARE(added.attributes.value("origin").toObject().value("prediction").toInteger(), m_predictions[0]);
    QCOMPARE(dock()->visible().size(), 1); // accepted: no longer offered
    doc()->undo();
    QCOMPARE(project().annotations().forItem(m_items[0])->size(), 1);
    QCOMPARE(dock()->visible().size(), 2); // offered again
}

void TestReview::rejectSuggestionHidesIt()
{
    m_window->showAnnotate();
    dock()->setRun(m_run);
    QVERIFY(dock()->select(m_predictions[1]));
    dock()->listView()->setFocus();
    QTest::keyClick(dock()->listView(), Qt::Key_Delete);
    QCOMPARE(dock()->visible().size(), 1);
    QCOMPARE(dock()->visible().first().id, m_predictions[0]);
    QCOMPARE(project().annotations().forItem(m_items[0])->size(), 1); // nothing added, nothing deleted
    const auto reviews = *project().approvals().reviews(m_run);
    QCOMPARE(reviews.size(), 1);
    QCOMPARE(reviews[0].verdict, core::ReviewVerdict::Wrong);
    // Rejections persist: another load does not offer it again.
    dock()->setRun(0);
    dock()->setRun(m_run);
    QCOMPARE(dock()->visible().size(), 1);
}

void TestReview::acceptAllAboveThreshold()
{
    m_window->showAnnotate();
    dock()->setRun(m_run);
    dock()->setThreshold(m_truck, 0.8); // hides the 0.7 truck
    dock()->setThreshold(m_car, 0.2);   // shows the 0.3 car
    QCOMPARE(dock()->visible().size(), 2);
    const auto ids = dock()->acceptAll();
    QCOMPARE(ids.size(), 2);
    QCOMPARE(project().annotations().forItem(m_items[0])->size(), 3);
    QCOMPARE(dock()->visible().size(), 0);
    doc()->undo(); // one command for the batch
    QCOMPARE(project().annotations().forItem(m_items[0])->size(), 1);
}

void TestReview::uncertaintyQueueOrdersUnlabeledItems()
{
    auto queue = ui::uncertaintyQueue(project(), m_run);
    QVERIFY(queue);
    QCOMPARE(queue->size(), 1); // only item 2 is unlabeled
    QCOMPARE(queue->first().item.id, m_items[2]);
    QVERIFY(std::abs(queue->first().value - 0.45) < 1e-9);
    auto disagreements = ui::disagreementQueue(project(), m_run);
    QVERIFY(disagreements);
    QCOMPARE(disagreements->size(), 2); // a false alarm on item 0, a miss on item 1
}

void TestReview::evaluateRun()
{
    m_window->showEvaluate();
    QSignalSpy done(evaluate(), &ui::EvaluateWorkspace::evaluated);
    QVERIFY(evaluate()->evaluate(m_run, 0, core::Split::Test));
    QVERIFY(done.wait(20000));
}

void TestReview::metricsTableForKnownPredictions()
{
    evaluateRun();
    auto *metrics = evaluate()->metricsModel();
    QVERIFY(metrics->rowCount() >= 12);
    const auto *ap50 = metrics->find(QStringLiteral("AP50"));
    QVERIFY(ap50);
    // car found (AP 1), truck missed with a false truck elsewhere (AP 0): mean 0.5.
    QVERIFY2(std::abs(ap50->a - 0.5) < 1e-6, qPrintable(QString::number(ap50->a)));
    QCOMPARE(metrics->data(metrics->index(0, ui::MetricsModel::NameColumn), Qt::DisplayRole).toString(), QStringLiteral("AP"));
    QCOMPARE(evaluate()->classModel()->rowCount(), 2);
    auto *errors = evaluate()->errors()->model();
    QCOMPARE(errors->rowCount(), 2);
    QCOMPARE(errors->at(0).item.id, m_items[1]); // a miss (1) outweighs a 0.7 false alarm
    evaluate()->errors()->typeFilter()->setCurrentIndex(evaluate()->errors()->typeFilter()->findText(
        core::eval::toText(core::eval::ErrorType::FalsePositive)));
    QCOMPARE(errors->rowCount(), 1);
    QCOMPARE(errors->at(0).item.id, m_items[0]);
    QCOMPARE(evaluate()->charts()->chartCount(), 3);
    const QString png = m_dir.filePath(QStringLiteral("chart.png"));
    QVERIFY(evaluate()->charts()->exportCurrent(png));
    QVERIFY(!QImage(png).isNull());
}

void TestReview::approveWithFailingAndPassingGate()
{
    core::eval::GateRules rules;
    rules.minMetrics.insert(QStringLiteral("AP50"), 0.9);
    QVERIFY(core::eval::saveGateRules(project(), rules, QStringLiteral("t")));
    m_window->showEvaluate();
    auto *panel = evaluate()->approval();
    panel->setReviewerProvider([] { return std::optional<QString>(QStringLiteral("Rita")); });
    QSignalSpy finished(panel, &ui::ApprovalPanel::finished);
    QVERIFY(panel->approve());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.last().at(0).toBool(), false);
    QCOMPARE(finished.last().at(1).toLongLong(), 0);
    QVERIFY2(panel->verdict().contains(QStringLiteral("AP50")), qPrintable(panel->verdict()));
    QVERIFY(project().approvals().list()->isEmpty());

    rules.minMetrics.insert(QStringLiteral("AP50"), 0.4);
    QVERIFY(core::eval::saveGateRules(project(), rules, QStringLiteral("t")));
    QVERIFY(panel->approve());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY(finished.last().at(1).toLongLong() > 0);
    const auto approvals = *project().approvals().list();
    QCOMPARE(approvals.size(), 1);
    QCOMPARE(approvals[0].reviewer, QStringLiteral("Rita"));
}

void TestReview::linkedViewsShareZoom()
{
    evaluateRun();
    auto *a = evaluate()->pane(0);
    auto *b = evaluate()->pane(1);
    QVERIFY(evaluate()->currentItemId() != 0);
    QTRY_VERIFY(a->width() > 0);
    const double before = a->view().scale;
    QWheelEvent wheel(QPointF(50, 50), a->mapToGlobal(QPointF(50, 50)), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(a, &wheel);
    QVERIFY(a->view().scale > before);
    QCOMPARE(b->view().scale, a->view().scale);
    QCOMPARE(b->view().offset, a->view().offset);
    QTest::mousePress(b, Qt::LeftButton, {}, QPoint(60, 60));
    QTest::mouseMove(b, QPoint(90, 80));
    QTest::mouseRelease(b, Qt::LeftButton, {}, QPoint(90, 80));
    QCOMPARE(a->view().offset, b->view().offset);
}

void TestReview::editInAnnotateAndMarkDisagreement()
{
    evaluateRun();
    evaluate()->showItem(m_items[1]);
    evaluate()->setCommentProvider([] { return std::optional<QString>(QStringLiteral("truck box looks wrong")); });
    QVERIFY(evaluate()->markDisagreement());
    QCOMPARE(project().items().get(m_items[1])->status, core::ItemStatus::InReview);
    const auto reviews = *project().items().reviews(m_items[1]);
    QVERIFY(!reviews.isEmpty());
    QPushButton *edit = nullptr;
    for (auto *button : evaluate()->findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Edit in Annotate"))
            edit = button;
    QVERIFY(edit);
    edit->click();
    QVERIFY(m_window->annotating());
    QCOMPARE(doc()->itemId(), m_items[1]);
}

QTEST_MAIN(TestReview)
#include "test_review.moc"
