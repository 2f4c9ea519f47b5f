// COCO instances and results: fixtures from datumaro and faster-coco-eval, a round trip through a
// project, malformed files refused with the file and record named and the project untouched,
// results imported as predictions, and what an export cannot carry.

#include "core/formats/coco.h"
#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/jsonwriter.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "tests/common/projectstate.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <charconv>
#include <cmath>
#include <random>

using namespace annotune::core;
using namespace annotune::core::formats;

namespace {

const QString kDatumaro = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets/coco_dataset/");
const QString kCocoEval = QStringLiteral(ANNOTUNE_SHARED_DATA "/coco-eval/");

QJsonValue parseFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

void makeImage(const QString &path, int w, int h)
{
    QDir().mkpath(QFileInfo(path).path());
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(Qt::gray);
    QVERIFY(img.save(path, QFileInfo(path).suffix() == QLatin1String("jpg") ? "JPG" : "PNG"));
}

std::unique_ptr<store::Project> newProject(const QString &path)
{
    auto p = store::Project::create(path);
    return p ? std::move(*p) : nullptr;
}

// A label as text, for comparing two reads of the same data.
QString describe(const Dataset &ds, const LabelRecord &l)
{
    QStringList points;
    for (const QPointF &p : l.polygon)
        points << QStringLiteral("%1,%2").arg(p.x()).arg(p.y());
    QJsonObject attributes = l.attributes;
    return QStringLiteral("%1 %2 [%3 %4 %5 %6] (%7) %8 %9")
        .arg(ds.classes[l.classIndex].name, toText(l.kind))
        .arg(l.box.x()).arg(l.box.y()).arg(l.box.width()).arg(l.box.height())
        .arg(points.join(QLatin1Char(' ')), l.score ? QString::number(*l.score) : QStringLiteral("-"),
             QString::fromUtf8(QJsonDocument(attributes).toJson(QJsonDocument::Compact)));
}

QMap<QString, QStringList> byImage(const Dataset &ds)
{
    QMap<QString, QStringList> out;
    for (const ImageRecord &img : ds.images) {
        QStringList labels;
        for (const LabelRecord &l : img.labels)
            labels << describe(ds, l);
        out.insert(img.fileName, labels);
    }
    return out;
}

// Labels a raw COCO file holds that a project can keep: annotations without captions or
// panoptic segments.
int importableAnnotations(const QJsonObject &root)
{
    int n = 0;
    for (const QJsonValue &a : root.value(QStringLiteral("annotations")).toArray())
        n += a.toObject().contains(QStringLiteral("caption")) || a.toObject().contains(QStringLiteral("segments_info")) ? 0 : 1;
    return n;
}

// Images, categories, a multi-part polygon, a compressed RLE mask, keypoints, score and
// datumaro attributes: everything the format carries, in one file.
const char *kRich = R"({
 "info": {}, "licenses": [],
 "categories": [{"id": 7, "name": "car", "supercategory": ""}, {"id": 3, "name": "person", "supercategory": ""}],
 "images": [{"id": 10, "file_name": "img/a.png", "width": 40, "height": 30},
            {"id": 20, "file_name": "img/b.png", "width": 20, "height": 10},
            {"id": 30, "file_name": "img/empty.png", "width": 8, "height": 8}],
 "annotations": [
  {"id": 1, "image_id": 10, "category_id": 7, "bbox": [1.5, 2.25, 10, 5], "area": 50, "iscrowd": 0, "segmentation": [], "score": 0.75},
  {"id": 2, "image_id": 10, "category_id": 3, "bbox": [0, 0, 30, 20], "area": 1, "iscrowd": 0,
   "segmentation": [[0, 0, 2, 0, 2, 2], [10, 10, 30, 10, 30, 20, 10, 20]], "attributes": {"occluded": true, "note": "x"}},
  {"id": 3, "image_id": 20, "category_id": 3, "bbox": [2, 0, 4, 10], "area": 20, "iscrowd": 1,
   "segmentation": {"counts": "i0X1W4", "size": [10, 20]}},
  {"id": 4, "image_id": 20, "category_id": 3, "bbox": [1, 1, 5, 5], "area": 25, "iscrowd": 0, "segmentation": [],
   "keypoints": [2, 2, 2, 4, 4, 1], "num_keypoints": 2}
 ]})";

} // namespace

class TestFormatCoco : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_n = 0;
    QString fresh(const QString &name) { return m_tmp.filePath(QStringLiteral("%1-%2").arg(++m_n).arg(name)); }

private Q_SLOTS:
    void fixturesImportWithTheirCounts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("warning");
        const QStringList files{
            QStringLiteral("coco_instances/annotations/instances_train.json"), QStringLiteral("coco_instances/annotations/instances_val.json"),
            QStringLiteral("mmdet_coco/annotations/instances_val.json"), QStringLiteral("coco_roboflow/val/_annotations.coco.json"),
            QStringLiteral("coco_labels/annotations/labels_val.json"), QStringLiteral("coco_stuff/annotations/stuff_train.json"),
            QStringLiteral("coco_person_keypoints/annotations/person_keypoints_val.json"),
            QStringLiteral("coco_image_info/annotations/image_info_val.json")};
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f << QString();
        QTest::newRow("captions") << QStringLiteral("coco_captions/annotations/captions_val.json") << QStringLiteral("captions were not imported");
        QTest::newRow("panoptic") << QStringLiteral("coco_panoptic/annotations/panoptic_val.json") << QStringLiteral("panoptic annotations were not imported");
    }
    void fixturesImportWithTheirCounts()
    {
        QFETCH(QString, file);
        QFETCH(QString, warning);
        const QString path = kDatumaro + file;
        const QJsonObject raw = parseFile(path).toObject();
        QVERIFY(!raw.isEmpty());
        auto ds = readCoco(path, {});
        QVERIFY2(ds, ds ? "" : qPrintable(ds.error().message));
        QCOMPARE(ds->images.size(), raw.value(QStringLiteral("images")).toArray().size());
        if (!warning.isEmpty())
            QVERIFY2(ds->warnings.join(QLatin1Char('\n')).contains(warning), qPrintable(ds->warnings.join(QLatin1Char('\n'))));
        auto project = newProject(fresh(QStringLiteral("p.annotune")));
        QVERIFY(project);
        auto report = applyImport(*project, *ds, {cocoImagesRoot(path)});
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->itemsAdded, int(raw.value(QStringLiteral("images")).toArray().size()));
        QCOMPARE(report->labels, qint64(importableAnnotations(raw)));
        QVERIFY(report->missingImages.isEmpty());
    }

    void fixtureKindsAndAttributes()
    {
        // instances_val.json holds one polygon with datumaro attributes {x: 1, y: "hello"} and one
        // crowd RLE mask of size [10, 5] on the 5 x 10 image b.jpg.
        auto ds = readCoco(kDatumaro + QStringLiteral("coco_instances/annotations/instances_val.json"), {});
        QVERIFY(ds);
        QCOMPARE(ds->images.size(), 1);
        const auto &labels = ds->images[0].labels;
        QCOMPARE(labels.size(), 2);
        QCOMPARE(labels[0].kind, AnnotationKind::Polygon);
        QCOMPARE(labels[0].polygon.size(), 4);
        QCOMPARE(labels[0].attributes.value(QStringLiteral("y")).toString(), QStringLiteral("hello"));
        QCOMPARE(labels[1].kind, AnnotationKind::Mask);
        QCOMPARE(labels[1].attributes.value(QStringLiteral("iscrowd")).toInt(), 1);
        QCOMPARE(labels[1].attributes.value(QStringLiteral("rle")).toObject().value(QStringLiteral("counts")).toArray().size(), 3);
        QCOMPARE(labels[1].box, QRectF(0, 0, 1, 9));
        QCOMPARE(labels[0].where, QStringLiteral("annotations[0]"));
    }

    void roundTripThroughAProject()
    {
        const QString root = fresh(QStringLiteral("rt"));
        makeImage(root + QStringLiteral("/img/a.png"), 40, 30);
        makeImage(root + QStringLiteral("/img/b.png"), 20, 10);
        makeImage(root + QStringLiteral("/img/empty.png"), 8, 8);
        writeFile(root + QStringLiteral("/rich.json"), kRich);
        auto first = readCoco(root + QStringLiteral("/rich.json"), {});
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        // The larger part (20 x 10) is the polygon, the small triangle rides in attributes.polygons.
        const LabelRecord &poly = first->images[0].labels[1];
        QCOMPARE(poly.polygon.size(), 4);
        QCOMPARE(poly.attributes.value(QStringLiteral("polygons")).toArray().size(), 1);
        QCOMPARE(first->images[1].labels[0].kind, AnnotationKind::Mask);
        QCOMPARE(first->images[1].labels[1].attributes.value(QStringLiteral("num_keypoints")).toInt(), 2);

        auto project = newProject(root + QStringLiteral("/p.annotune"));
        QVERIFY(project);
        auto report = applyImport(*project, *first, {root});
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->labels, 4);
        QCOMPARE(report->itemsAdded, 3);
        auto collected = collectDataset(*project, {});
        QVERIFY(collected);
        const QString out = root + QStringLiteral("/out.json");
        auto written = writeCoco(*collected, out, {});
        QVERIFY2(written, written ? "" : qPrintable(written.error().message));
        QCOMPARE(written->labels, 4);
        QVERIFY(written->loss.counts.isEmpty());
        auto second = readCoco(out, {});
        QVERIFY2(second, second ? "" : qPrintable(second.error().message));
        QCOMPARE(byImage(*second), byImage(*first));
        QStringList names, namesAgain;
        for (const auto &c : first->classes)
            names << c.name;
        for (const auto &c : second->classes)
            namesAgain << c.name;
        names.sort();
        namesAgain.sort();
        QCOMPARE(namesAgain, names);

        // The export names images and categories by project ids, the compressed RLE is verbatim.
        const QJsonObject json = parseFile(out).toObject();
        const QJsonArray images = json.value(QStringLiteral("images")).toArray();
        QCOMPARE(images.size(), 3);
        QVERIFY(project->items().get(images[0].toObject().value(QStringLiteral("id")).toInteger()));
        QVERIFY(QJsonDocument(json).toJson(QJsonDocument::Compact).contains("\"counts\":\"i0X1W4\""));
    }

    void malformedFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("record");
        QTest::addColumn<QString>("reason");
        const QByteArray head = R"({"categories":[{"id":1,"name":"a"}],"images":[{"id":1,"file_name":"a.png","width":10,"height":10}],)";
        auto with = [&](const QByteArray &annotation) { return head + R"("annotations":[)" + annotation + "]}"; };
        QTest::newRow("truncated") << QByteArray(head + R"("annotations":[{"id":1,"image_id":1)") << QStringLiteral("line 1") << QStringLiteral("truncated");
        QTest::newRow("bad bracket") << QByteArray(head + R"("annotations":[}]})") << QStringLiteral("line 1") << QStringLiteral("malformed");
        QTest::newRow("trailing") << QByteArray(with("") + " {}") << QStringLiteral("line 1") << QStringLiteral("unexpected content");
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringLiteral("line 1") << QStringLiteral("not a COCO instances file");
        QTest::newRow("unknown image") << with(R"({"id":1,"image_id":9,"category_id":1,"bbox":[0,0,1,1]})") << QStringLiteral("annotations[0].image_id")
                                       << QStringLiteral("no image has id 9");
        QTest::newRow("unknown category") << with(R"({"id":1,"image_id":1,"category_id":5,"bbox":[0,0,1,1]})")
                                          << QStringLiteral("annotations[0].category_id") << QStringLiteral("no category has id 5");
        QTest::newRow("duplicate image") << QByteArray(R"({"images":[{"id":1,"file_name":"a.png"},{"id":1,"file_name":"b.png"}]})")
                                         << QStringLiteral("images[1].id") << QStringLiteral("used twice");
        QTest::newRow("bbox of 3") << with(R"({"id":1,"image_id":1,"category_id":1,"bbox":[0,0,1]})") << QStringLiteral("annotations[0].bbox")
                                   << QStringLiteral("3 numbers, not 4");
        QTest::newRow("negative size") << with(R"({"image_id":1,"category_id":1,"bbox":[0,0,-4,1]})") << QStringLiteral("annotations[0].bbox")
                                       << QStringLiteral("negative box size");
        QTest::newRow("not finite") << with(R"({"image_id":1,"category_id":1,"bbox":[0,0,"inf",1]})") << QStringLiteral("annotations[0].bbox")
                                    << QStringLiteral("not finite");
        QTest::newRow("two-point polygon") << with(R"({"image_id":1,"category_id":1,"segmentation":[[0,0,1,1]]})")
                                           << QStringLiteral("annotations[0].segmentation[0]") << QStringLiteral("at least 3 points");
        QTest::newRow("odd polygon") << with(R"({"image_id":1,"category_id":1,"segmentation":[[0,0,1,1,2]]})")
                                     << QStringLiteral("annotations[0].segmentation[0]") << QStringLiteral("odd count");
        QTest::newRow("rle sum") << with(R"({"image_id":1,"category_id":1,"segmentation":{"counts":[5,5],"size":[10,10]}})")
                                 << QStringLiteral("annotations[0].segmentation") << QStringLiteral("add up to 10 pixels");
        QTest::newRow("rle size") << with(R"({"image_id":1,"category_id":1,"segmentation":{"counts":[50],"size":[5,10]}})")
                                  << QStringLiteral("annotations[0].segmentation") << QStringLiteral("differs from the image");
        QTest::newRow("non-utf8 name") << QByteArray(R"({"images":[{"id":1,"file_name":"a)" "\xff\xfe" R"(.png"}]})") << QStringLiteral("line 1")
                                       << QStringLiteral("not valid UTF-8");
        QTest::newRow("huge image") << QByteArray(R"({"images":[{"id":1,"file_name":"a.png","width":100000,"height":100000}]})")
                                    << QStringLiteral("images[0]") << QStringLiteral("larger than");
        QTest::newRow("no file name") << QByteArray(R"({"images":[{"id":1}]})") << QStringLiteral("images[0]") << QStringLiteral("no file_name");
        // Read fine; refused by the import.
        QTest::newRow("dot-dot path") << QByteArray(R"({"images":[{"id":1,"file_name":"../../etc/passwd"}]})") << QStringLiteral("images[0]")
                                      << QStringLiteral("would leave the chosen folder");
        QTest::newRow("absolute path") << QByteArray(R"({"images":[{"id":1,"file_name":"/etc/passwd"}]})") << QStringLiteral("images[0]")
                                       << QStringLiteral("absolute paths are not allowed");
        QTest::newRow("outside image") << with(R"({"image_id":1,"category_id":1,"bbox":[50,50,5,5]})") << QStringLiteral("annotations[0]")
                                       << QStringLiteral("lies outside");
    }
    void malformedFilesAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, record);
        QFETCH(QString, reason);
        const QString root = fresh(QStringLiteral("bad"));
        makeImage(root + QStringLiteral("/a.png"), 10, 10);
        const QString path = root + QStringLiteral("/bad.json");
        writeFile(path, json);
        auto project = newProject(root + QStringLiteral("/p.annotune"));
        QVERIFY(project);
        const QByteArray before = annotune::testing::projectStateHash(*project);
        ReadOptions options;
        options.maxImagePixels = 100'000'000;
        auto ds = readCoco(path, options);
        QString message;
        if (!ds) {
            message = ds.error().message;
        } else {
            auto report = applyImport(*project, *ds, {root});
            QVERIFY2(!report, "the import should fail");
            message = report.error().message;
        }
        QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(message.contains(record), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
        QCOMPARE(annotune::testing::projectStateHash(*project), before);
    }

    void resultsImportAsPredictions()
    {
        // gt_dataset.json: 3 images of 256 x 256 (img_1..3.jpg), 4 categories; dt_dataset.json: 9 detections.
        const QString root = fresh(QStringLiteral("results"));
        const QJsonObject gt = parseFile(kCocoEval + QStringLiteral("gt_dataset.json")).toObject();
        const QJsonArray dt = parseFile(kCocoEval + QStringLiteral("dt_dataset.json")).toArray();
        QCOMPARE(dt.size(), 9);
        ReadOptions options;
        for (const QJsonValue &v : gt.value(QStringLiteral("images")).toArray()) {
            const QJsonObject img = v.toObject();
            makeImage(root + QLatin1Char('/') + img.value(QStringLiteral("file_name")).toString(), img.value(QStringLiteral("width")).toInt(),
                      img.value(QStringLiteral("height")).toInt());
            options.fileNamesById.insert(img.value(QStringLiteral("id")).toInteger(), img.value(QStringLiteral("file_name")).toString());
        }
        for (const QJsonValue &v : gt.value(QStringLiteral("categories")).toArray())
            options.classNamesById.insert(v[QStringLiteral("id")].toInteger(), v[QStringLiteral("name")].toString());
        auto project = newProject(root + QStringLiteral("/p.annotune"));
        QVERIFY(project);
        auto gtData = readCoco(kCocoEval + QStringLiteral("gt_dataset.json"), {});
        QVERIFY(gtData);
        auto gtReport = applyImport(*project, *gtData, {root});
        QVERIFY2(gtReport, gtReport ? "" : qPrintable(gtReport.error().message));
        QCOMPARE(gtReport->labels, 9);

        auto results = readCocoResults(kCocoEval + QStringLiteral("dt_dataset.json"), options);
        QVERIFY2(results, results ? "" : qPrintable(results.error().message));
        qsizetype labels = 0;
        for (const ImageRecord &img : results->images)
            for (const LabelRecord &l : img.labels) {
                QVERIFY(l.score);
                ++labels;
            }
        QCOMPARE(labels, dt.size());
        Run run;
        run.name = QStringLiteral("dt");
        run.status = RunStatus::Finished;
        auto runId = project->runs().create(run, project->author());
        QVERIFY(runId);
        ImportOptions importOptions{root};
        importOptions.predictionsRun = *runId;
        auto report = applyImport(*project, *results, importOptions);
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->labels, dt.size());
        QCOMPARE(report->itemsMatched, 3);
        QCOMPARE(report->itemsAdded, 0);
    }

    void resultsWithUnknownIdsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::newRow("image") << QByteArray(R"([{"image_id":5,"category_id":1,"bbox":[0,0,1,1],"score":0.5}])") << QStringLiteral("[0].image_id: no project image has id 5");
        QTest::newRow("category") << QByteArray(R"([{"image_id":1,"category_id":8,"bbox":[0,0,1,1],"score":0.5}])") << QStringLiteral("[0].category_id: no project class has id 8");
        QTest::newRow("score") << QByteArray(R"([{"image_id":1,"category_id":1,"bbox":[0,0,1,1]}])") << QStringLiteral("[0]: the result has no score");
        QTest::newRow("not a list") << QByteArray(R"({"images":[]})") << QStringLiteral("not a COCO results file");
    }
    void resultsWithUnknownIdsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        const QString path = fresh(QStringLiteral("results.json"));
        writeFile(path, json);
        ReadOptions options;
        options.fileNamesById.insert(1, QStringLiteral("a.png"));
        options.classNamesById.insert(1, QStringLiteral("a"));
        auto ds = readCocoResults(path, options);
        QVERIFY(!ds);
        QVERIFY2(ds.error().message.startsWith(path + QStringLiteral(": ")), qPrintable(ds.error().message));
        QVERIFY2(ds.error().message.contains(reason), qPrintable(ds.error().message));
    }

    void readingCanBeCancelled()
    {
        CancelFlag cancel = true;
        ReadOptions options;
        options.cancel = &cancel;
        auto ds = readCoco(kDatumaro + QStringLiteral("coco_instances/annotations/instances_val.json"), options);
        QVERIFY(!ds);
        QCOMPARE(ds.error().code, ErrorCode::Cancelled);
    }

    void numbersAreWrittenAsToCharsWritesThem()
    {
        // The writer's shortcut for coordinates with few decimals must give to_chars' text exactly.
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> any(0, 5000);
        QVector<double> values{0.01, 0.015, 0.0099, 0.1, 0.5, 12.05, 999999999.5, 1e-7, 1e300, 123456789.1234};
        for (int i = 0; i < 20000; ++i) {
            const double x = any(rng);
            const double p = std::pow(10.0, i % 6);
            values << std::round(x * p) / p << -std::round(x * p) / p << x << x / 1000 << x * any(rng);
        }
        for (double v : values) {
            char ours[64], theirs[64];
            const QByteArray a(ours, shortestDouble(ours, ours + sizeof ours, v) - ours);
            const QByteArray b(theirs, std::to_chars(theirs, theirs + sizeof theirs, v).ptr - theirs);
            QCOMPARE(a, b);
        }
    }

    void exportReportsWhatItCannotCarry()
    {
        Dataset ds;
        ds.source = QStringLiteral("test");
        ImageRecord img;
        img.fileName = QStringLiteral("a.png");
        img.width = 100;
        img.height = 100;
        auto label = [&](AnnotationKind kind, QPolygonF polygon = {}) {
            LabelRecord l;
            l.classIndex = ds.classIndex(QStringLiteral("c"));
            l.kind = kind;
            l.polygon = polygon;
            l.box = polygon.isEmpty() ? QRectF(10, 10, 20, 10) : polygon.boundingRect();
            img.labels << l;
        };
        label(AnnotationKind::Box);
        label(AnnotationKind::Tag);
        label(AnnotationKind::Polyline, QPolygonF{{1, 1}, {5, 5}});
        label(AnnotationKind::Points, QPolygonF{{1, 1}});
        label(AnnotationKind::Points, QPolygonF{{2, 2}});
        label(AnnotationKind::Ellipse);
        ds.images << img;
        const QString out = fresh(QStringLiteral("loss.json"));
        auto report = writeCoco(ds, out, {});
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->labels, 2);
        QCOMPARE(report->loss.counts.value(QStringLiteral("tags (COCO instances have no place for them)")), 1);
        QCOMPARE(report->loss.counts.value(QStringLiteral("polylines (COCO instances have no place for them)")), 1);
        QCOMPARE(report->loss.counts.value(QStringLiteral("points (COCO instances have no place for them)")), 2);
        QCOMPARE(report->loss.counts.value(QStringLiteral("ellipse as 32-point polygon")), 1);
        auto back = readCoco(out, {});
        QVERIFY(back);
        QCOMPARE(back->images[0].labels[1].kind, AnnotationKind::Polygon);
        QCOMPARE(back->images[0].labels[1].polygon.size(), 32);

        const QString folder = fresh(QStringLiteral("unwritable"));
        QVERIFY(QDir().mkpath(folder));
        auto failed = writeCoco(ds, folder + QStringLiteral("/missing/x.json"), {});
        QVERIFY(!failed);
        QVERIFY2(failed.error().message.contains(QStringLiteral("cannot write")), qPrintable(failed.error().message));
        CancelFlag cancel = true;
        WriteOptions options;
        options.cancel = &cancel;
        auto cancelledWrite = writeCoco(ds, folder + QStringLiteral("/x.json"), options);
        QVERIFY(!cancelledWrite);
        QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestFormatCoco)
#include "test_format_coco.moc"
