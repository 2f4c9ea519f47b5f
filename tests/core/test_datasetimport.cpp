// applyImport: safe path resolution, matching existing items, missing images, label checks,
// clipping, predictions, and that every failure leaves the project exactly as it was.

#include "core/formats/datasetimport.h"
#include "core/media.h"
#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "tests/common/projectstate.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune::core;
using namespace annotune::core::formats;
using annotune::testing::projectStateHash;

namespace {

void writeImage(const QString &path, int w, int h, QRgb colour)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(colour);
    QVERIFY(img.save(path, "PNG"));
}

LabelRecord box(int cls, QRectF r, const QString &where = {})
{
    LabelRecord l;
    l.classIndex = cls;
    l.box = r;
    l.where = where;
    return l;
}

} // namespace

class TestDatasetImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::Project> m_project;
    QString m_images;

    Dataset twoImages()
    {
        Dataset ds;
        ds.source = QStringLiteral("labels.json");
        const int cat = ds.classIndex(QStringLiteral("cat"));
        const int dog = ds.classIndex(QStringLiteral("dog"), ClassKind::Polygon);
        ImageRecord a{QStringLiteral("a.png"), {}, 100, 80, {}, QStringLiteral("images[0]"), {}, {}, {}};
        a.labels << box(cat, QRectF(10, 10, 20, 20));
        LabelRecord poly;
        poly.classIndex = dog;
        poly.kind = AnnotationKind::Polygon;
        poly.polygon = QPolygonF({QPointF(1, 1), QPointF(50, 1), QPointF(25, 40)});
        poly.box = poly.polygon.boundingRect();
        poly.attributes.insert(QStringLiteral("occluded"), true);
        a.labels << poly;
        ImageRecord b{QStringLiteral("sub/b.png"), {}, 0, 0, {}, QStringLiteral("images[1]"), {}, {}, {}};
        ds.images << a << b;
        return ds;
    }

private Q_SLOTS:
    void init()
    {
        m_project.reset();
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        m_images = m_dir.filePath(QStringLiteral("imgs"));
        writeImage(m_images + QStringLiteral("/a.png"), 100, 80, qRgb(1, 2, 3));
        writeImage(m_images + QStringLiteral("/sub/b.png"), 60, 40, qRgb(4, 5, 6));
        auto p = store::Project::create(m_dir.filePath(QStringLiteral("p.annotune")));
        QVERIFY(p);
        m_project = std::move(p.value());
    }

    void importsItemsClassesAndLabels()
    {
        auto report = applyImport(*m_project, twoImages(), {m_images});
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->itemsAdded, 2);
        QCOMPARE(report->labels, qint64(2));
        QCOMPARE(report->classesAdded, (QStringList{QStringLiteral("cat"), QStringLiteral("dog")}));
        auto rows = m_project->items().page({}, {}, 0, 10);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).item.path, QStringLiteral("imgs/a.png"));
        QCOMPARE(rows->at(0).item.status, ItemStatus::Labeled);
        QCOMPARE(rows->at(1).item.status, ItemStatus::Unlabeled);
        QCOMPARE(rows->at(1).item.width, 60);
        auto anns = m_project->annotations().forItem(rows->at(0).item.id);
        QCOMPARE(anns->size(), 2);
        QCOMPARE(anns->at(1).polygon.size(), 3);
        QCOMPARE(anns->at(1).attributes.value(QStringLiteral("occluded")).toBool(), true);
        auto classes = m_project->classes().list();
        QCOMPARE(classes->at(1).kind, ClassKind::Polygon);

        // Importing the same file again matches the items by path and adds the labels to them.
        auto again = applyImport(*m_project, twoImages(), {m_images});
        QVERIFY(again);
        QCOMPARE(again->itemsAdded, 0);
        QCOMPARE(again->itemsMatched, 2);
        QVERIFY(again->classesAdded.isEmpty());
    }

    void matchesByHashWhenMoved()
    {
        QVERIFY(applyImport(*m_project, twoImages(), {m_images}));
        const QString other = m_dir.filePath(QStringLiteral("copy"));
        QDir().mkpath(other);
        QVERIFY(QFile::copy(m_images + QStringLiteral("/a.png"), other + QStringLiteral("/renamed.png")));
        Dataset ds;
        ds.source = QStringLiteral("x.json");
        ImageRecord r{QStringLiteral("renamed.png"), {}, 0, 0, {box(ds.classIndex(QStringLiteral("cat")), QRectF(0, 0, 5, 5))}, {}, {}, {}, {}};
        ds.images << r;
        auto report = applyImport(*m_project, ds, {other});
        QVERIFY(report);
        QCOMPARE(report->itemsMatched, 1);
        QCOMPARE(*m_project->items().count({}), qint64(2));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QRectF>("rect");
        QTest::addColumn<int>("polygonPoints");
        QTest::addColumn<QString>("expected");
        QTest::newRow("parent escape") << QStringLiteral("../../etc/passwd") << QRectF(1, 1, 2, 2) << 0 << QStringLiteral("\"..\"");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << QRectF(1, 1, 2, 2) << 0 << QStringLiteral("absolute");
        QTest::newRow("windows drive") << QStringLiteral("C:\\Windows\\win.ini") << QRectF(1, 1, 2, 2) << 0 << QStringLiteral("absolute");
        QTest::newRow("backslash escape") << QStringLiteral("..\\..\\secret.png") << QRectF(1, 1, 2, 2) << 0 << QStringLiteral("\"..\"");
        QTest::newRow("missing image") << QStringLiteral("nope.png") << QRectF(1, 1, 2, 2) << 0 << QStringLiteral("missing");
        QTest::newRow("negative box") << QStringLiteral("a.png") << QRectF(5, 5, -3, 4) << 0 << QStringLiteral("negative box size");
        QTest::newRow("outside image") << QStringLiteral("a.png") << QRectF(500, 500, 10, 10) << 0 << QStringLiteral("outside the 100 x 80 image");
        QTest::newRow("two-point polygon") << QStringLiteral("a.png") << QRectF(1, 1, 2, 2) << 2 << QStringLiteral("at least 3 points");
        QTest::newRow("not finite") << QStringLiteral("a.png") << QRectF(qQNaN(), 1, 2, 2) << 0 << QStringLiteral("not finite");
    }

    void refusals()
    {
        QFETCH(QString, fileName);
        QFETCH(QRectF, rect);
        QFETCH(int, polygonPoints);
        QFETCH(QString, expected);
        QVERIFY(applyImport(*m_project, twoImages(), {m_images}));
        const QByteArray before = projectStateHash(*m_project);
        Dataset ds;
        ds.source = QStringLiteral("bad.json");
        LabelRecord l = box(ds.classIndex(QStringLiteral("newclass")), rect, QStringLiteral("annotations[7]"));
        if (polygonPoints) {
            l.kind = AnnotationKind::Polygon;
            for (int i = 0; i < polygonPoints; ++i)
                l.polygon << QPointF(i, i);
        }
        ImageRecord ok{QStringLiteral("sub/b.png"), {}, 0, 0, {box(0, QRectF(1, 1, 3, 3))}, QStringLiteral("images[0]"), {}, {}, {}};
        ImageRecord bad{fileName, {}, 0, 0, {l}, QStringLiteral("images[1]"), {}, {}, {}};
        ds.images << ok << bad;
        auto report = applyImport(*m_project, ds, {m_images});
        QVERIFY(!report);
        QVERIFY2(report.error().message.contains(expected), qPrintable(report.error().message));
        QVERIFY2(report.error().message.startsWith(QStringLiteral("bad.json")), qPrintable(report.error().message));
        QCOMPARE(projectStateHash(*m_project), before);
    }

    void skipMissingImportsTheRest()
    {
        Dataset ds = twoImages();
        ds.images << ImageRecord{QStringLiteral("gone.png"), {}, 10, 10, {box(0, QRectF(1, 1, 2, 2))}, QStringLiteral("images[2]"), {}, {}, {}};
        ImportOptions options{m_images};
        options.skipMissingImages = true;
        auto report = applyImport(*m_project, ds, options);
        QVERIFY(report);
        QCOMPARE(report->itemsAdded, 2);
        QCOMPARE(report->missingImages.size(), 1);
        QVERIFY(report->missingImages.first().contains(QStringLiteral("gone.png")));
    }

    void clipsLabelsThatReachPastTheEdge()
    {
        Dataset ds;
        ds.source = QStringLiteral("clip.json");
        ds.images << ImageRecord{QStringLiteral("a.png"), {}, 0, 0, {box(ds.classIndex(QStringLiteral("c")), QRectF(90, 70, 20, 20))}, {}, {}, {}, {}};
        auto report = applyImport(*m_project, ds, {m_images});
        QVERIFY(report);
        QCOMPARE(report->warnings.size(), 1);
        auto anns = m_project->annotations().forItem(m_project->items().page({}, {}, 0, 1)->first().item.id);
        QCOMPARE(anns->first().box, QRectF(90, 70, 10, 10));
    }

    void embeddedImagesAreWrittenBesideTheProject()
    {
        QImage img(30, 20, QImage::Format_RGB32);
        img.fill(qRgb(9, 9, 9));
        QByteArray png;
        QBuffer buf(&png);
        buf.open(QIODevice::WriteOnly);
        img.save(&buf, "PNG");
        Dataset ds;
        ds.source = QStringLiteral("shape.json");
        ds.images << ImageRecord{QStringLiteral("only-inside.png"), {}, 30, 20, {}, {}, png, {}, {}};
        auto report = applyImport(*m_project, ds, {m_images});
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->itemsAdded, 1);
        const Item it = m_project->items().page({}, {}, 0, 1)->first().item;
        QVERIFY(QFileInfo::exists(m_project->absoluteMediaPath(it.path)));
        QCOMPARE(it.width, 30);
    }

    void predictionsOfARun()
    {
        QVERIFY(applyImport(*m_project, twoImages(), {m_images}));
        Run run;
        run.name = QStringLiteral("r");
        run.task = QStringLiteral("detection");
        auto runId = m_project->runs().create(run, QStringLiteral("t"));
        Dataset ds = twoImages();
        ds.images[0].labels[0].score = 0.25;
        ImportOptions options{m_images};
        options.predictionsRun = *runId;
        const qint64 annotationsBefore = *m_project->annotations().count();
        auto report = applyImport(*m_project, ds, options);
        QVERIFY(report);
        QCOMPARE(*m_project->annotations().count(), annotationsBefore);
        auto preds = m_project->runs().predictions(*runId, m_project->items().page({}, {}, 0, 1)->first().item.id);
        QCOMPARE(preds->size(), 2);
    }

    void cancelLeavesNothing()
    {
        const QByteArray before = projectStateHash(*m_project);
        CancelFlag cancel = true;
        auto report = applyImport(*m_project, twoImages(), {m_images}, {}, &cancel);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
        QCOMPARE(projectStateHash(*m_project), before);
    }

    void symlinkOutsideTheRootIsRefused()
    {
        const QString outside = m_dir.filePath(QStringLiteral("outside.png"));
        writeImage(outside, 10, 10, qRgb(1, 1, 1));
        QVERIFY(QFile::link(outside, m_images + QStringLiteral("/link.png")));
        auto r = resolveUnder(m_images, QStringLiteral("link.png"));
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("outside")));
        QVERIFY(resolveUnder(m_images, QStringLiteral("sub/./b.png")));
    }
};

QTEST_GUILESS_MAIN(TestDatasetImport)
#include "test_datasetimport.moc"
